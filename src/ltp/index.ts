/**
 * The LTP test API for testcases: the only module they import. It mirrors LTP's tst_test.h:
 * the library (lib/: tst_*, the SAFE_ macros), lapi/ wrappers, and the libc calls a C
 * testcase would make (libc/, one file per header), with the kernel's uapi constants.
 */

/* lib/: LTP's test library */
export { defineTest, type TestCase, type TestDescription } from "./lib/tst_test.js";
export { TBROK, TCONF, TERRNO, TFAIL, TINFO, TPASS, TTERRNO, TWARN, tst_brk, tst_checks, tst_res } from "./lib/tst_res.js";
export { TEST, TST_EXP_EQ_LI, TST_EXP_EXPR, TST_EXP_FAIL, TST_EXP_PASS, type TestResult } from "./lib/tst_test_macros.js";
export { tst_option, tst_parse_int } from "./lib/tst_options.js";
export { tst_kconfig_get } from "./lib/tst_kconfig.js";
export { tst_alloc, tst_strdup } from "./lib/tst_buffers.js";
export { ltp_clone, tst_reap_children } from "./lib/tst_child.js";
export {
  SAFE_CLOSE, SAFE_CREAT, SAFE_DUP, SAFE_FCNTL, SAFE_FORK, SAFE_FSTAT, SAFE_GETRLIMIT, SAFE_KILL, SAFE_LSEEK,
  SAFE_MALLOC, SAFE_MEMALIGN, SAFE_MKFIFO, SAFE_MKNOD, SAFE_MMAP, SAFE_MPROTECT, SAFE_MUNMAP, SAFE_OPEN, SAFE_PIPE,
  SAFE_PIPE2, SAFE_PREAD, SAFE_PWRITE, SAFE_READ, SAFE_RMDIR, SAFE_SETENV, SAFE_SETRLIMIT, SAFE_STAT, SAFE_UNLINK,
  SAFE_WAIT, SAFE_WAITPID, SAFE_WRITE,
} from "./lib/tst_safe_macros.js";
export { SAFE_FILE_PRINTF, SAFE_FILE_READ, SAFE_FILE_SCANF, tst_fill_file } from "./lib/tst_safe_file_ops.js";
export { SAFE_SIGACTION, SAFE_SIGNAL, SAFE_SIGPROCMASK, tst_kill_after } from "./lib/tst_safe_signal.js";
export { tst_get_unused_pid } from "./lib/tst_pid.js";
export { tst_fs_type, tst_fs_type_name, TST_RAMFS_MAGIC, TST_TMPFS_MAGIC } from "./lib/tst_fs_type.js";
export { tst_load_code, tst_run_code, tst_run_code_at, TST_CODE_STACK_SIZE, type LoadedCode } from "./lib/tst_code.js";
export {
  SAFE_GETREGS, SAFE_PTRACE, TST_RAISE_SIGSTOP, tst_fork_tracee, tst_getsiginfo, tst_ptrace_resume, tst_strstatus,
  tst_strword,
} from "./lib/tst_ptrace.js";

/* lapi/: what the libc lacks */
export { tst_syscall } from "./lapi/syscalls.js";
export * from "./lapi/kcmp.js";

/* libc/: the C library */
export { errno } from "./libc/errno.js";
export { syscall } from "./libc/syscall.js";
export { peekBytes, peekInt, peekString, peekU64, pokeBytes, pokeInt, pokeString, pokeU64 } from "./libc/memory.js";
export { argv } from "./libc/libc_start.js";
export {
  _exit, chdir, close, dup, dup2, dup3, getpid, getppid, gettid, getuid, lseek, pause, pipe, pipe2, pread, pwrite, read,
  rmdir, unlink, unlinkat, write,
} from "./libc/unistd.js";
export { fork, hasMmu, vfork } from "./libc/fork.js";
export { type ChildBody } from "./libc/sched.js";
export { environ, exit, getenv, putenv, setenv, unsetenv } from "./libc/stdlib.js";
export { free, malloc, memalign } from "./libc/malloc.js";
export { strdup } from "./libc/string.js";
export { creat, fcntl, open } from "./libc/fcntl.js";
export { fstat, fstatat, lstat, mkdir, mkfifo, mknod, readStat, sizeofStat, stat, type Stat } from "./libc/stat.js";
export { fstatfs, readStatfs, statfs } from "./libc/statfs.js";
export {
  W_EXITCODE, W_STOPCODE, wait, wait4, waitid, waitpid, WCOREDUMP, WEXITSTATUS, WIFCONTINUED, WIFEXITED, WIFSIGNALED,
  WIFSTOPPED, WSTOPSIG, WTERMSIG, type WaitidInfo,
} from "./libc/wait.js";
export { iovec, readv, writev } from "./libc/uio.js";
export { brk, mmap, mprotect, munmap, sbrk } from "./libc/mman.js";
export {
  kill, raise, sigaction, sigismember, sigmask, signal, sigpending, sigprocmask, sigsuspend, tgkill, type SigAction,
  type SignalHandler,
} from "./libc/signal.js";
export { alarm, clock_gettime, clock_nanosleep, nanosleep, sleep, timespecNs, type Timespec } from "./libc/time.js";
export { getrlimit, setrlimit, type Rlimit } from "./libc/resource.js";
export { ptrace, ptrace_peek } from "./libc/ptrace.js";
export {
  offsetof_debugreg, offsetof_regs, peek_user_regs, poke_user_regs, USER_REGS_SIZE, type UserRegs, type UserRegsField,
} from "./libc/user.js";

/* the kernel's uapi headers, as <linux/*.h> gives them to C */
export * from "../linux/include/uapi/errno.js";
export * from "../linux/include/uapi/fcntl.js";
export * from "../linux/include/uapi/mman.js";
export * from "../linux/include/uapi/ptrace.js";
export * from "../linux/include/uapi/resource.js";
export * from "../linux/include/uapi/sched.js";
export * from "../linux/include/uapi/signal.js";
export { makedev, S_ISBLK, S_ISCHR, S_ISDIR, S_ISFIFO, S_ISREG, S_ISSOCK } from "../linux/include/uapi/stat.js";
export * from "../linux/include/uapi/time.js";
export * from "../linux/include/uapi/wait.js";
/** A register word: what syscalls take and return, exact (a number within +-2^53, else a bigint). */
export { toWord, type Word } from "../linux/include/uapi/word.js";
