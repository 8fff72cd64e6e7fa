/**
 * The LTP test API for testcases: the only module they import. It mirrors LTP's tst_test.h,
 * the SAFE_ macros, lapi/ wrappers and the libc calls a C testcase would make.
 */
export { defineTest, type TestCase, type TestDescription } from "./tst_test.js";
export { TBROK, TCONF, TERRNO, TFAIL, TINFO, TPASS, TTERRNO, TWARN, tst_brk, tst_res } from "./tst_res.js";
export { TEST, TST_EXP_FAIL, TST_EXP_PASS, type TestResult } from "./tst_test_macros.js";
export { tst_syscall } from "./tst_syscall.js";
export {
  ltp_clone, SAFE_CLOSE, SAFE_DUP, SAFE_FORK, SAFE_MALLOC, SAFE_OPEN, SAFE_WAITPID,
  tst_get_unused_pid, tst_reap_children,
} from "./tst_safe_macros.js";
export {
  chdir, close, dup, dup2, dup3, errno, getpid, getppid, gettid, getuid, malloc, mkdir, open, pause,
  peekInt, pokeInt, syscall, waitpid, _exit, type ChildBody,
} from "./libc.js";
export { WCOREDUMP, WEXITSTATUS, WIFEXITED, WIFSIGNALED, WIFSTOPPED, WSTOPSIG, WTERMSIG } from "./wait.js";
export * from "./lapi/kcmp.js";
export * from "../linux/include/uapi/errno.js";
export * from "../linux/include/uapi/fcntl.js";
export * from "../linux/include/uapi/sched.js";
export * from "../linux/include/uapi/signal.js";
export * from "../linux/include/uapi/wait.js";
