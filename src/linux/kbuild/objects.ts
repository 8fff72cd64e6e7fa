import { kernelObject, SYSCALL_DEFINE } from "./object.js";

/*
 * Every source file the emulated kernel has, as the Makefiles list them, with the
 * SYSCALL_DEFINEs each holds: what the resolver reads, without loading any handler. A file
 * listed here is linked wherever its rule builds it; each of its definitions is bound to its
 * handler in kernel/entry/syscall_table.ts (the compiler checks that both lists agree).
 */

/** What the mmap() entries of both arches leave out of do_mmap(). */
const MMAP_PARTIAL = "file mappings: the in-memory filesystem has no ->mmap() (ENODEV); MAP_HUGETLB: no huge pages reserved (ENOMEM)";
const CPU_TIMERS = "ITIMER_VIRTUAL and ITIMER_PROF are not modelled (no CPU time is accounted): EINVAL";
const NO_ENOSPC = "the in-memory filesystem never fills up: tmpfs's size= limit (ENOSPC) is not enforced";
const NO_CPU_CLOCKS = "CPU-time and alarm clocks are not modelled: EINVAL";
const NO_DEVICE_DRIVERS = "device nodes are made, but no driver is registered: opening one is ENXIO";

export const KERNEL_OBJECTS = [
  kernelObject("arch/riscv/kernel/signal.c", [SYSCALL_DEFINE(0, "rt_sigreturn")]),
  kernelObject("arch/riscv/kernel/sys_riscv.c", [SYSCALL_DEFINE(6, "mmap", MMAP_PARTIAL)]),
  kernelObject("arch/x86/kernel/signal_64.c", [SYSCALL_DEFINE(0, "rt_sigreturn")]),
  kernelObject("arch/x86/kernel/sys_x86_64.c", [SYSCALL_DEFINE(6, "mmap", MMAP_PARTIAL)]),
  kernelObject("kernel/exit.c", [
    SYSCALL_DEFINE(1, "exit"),
    SYSCALL_DEFINE(1, "exit_group"),
    SYSCALL_DEFINE(4, "wait4", "rusage is stored as zeros (no accounting)"),
    SYSCALL_DEFINE(5, "waitid", "rusage is stored as zeros (no accounting); P_PIDFD: no pidfds (EBADF)"),
  ]),
  kernelObject("kernel/fork.c", [
    SYSCALL_DEFINE(0, "fork"),
    SYSCALL_DEFINE(0, "vfork"),
    SYSCALL_DEFINE(5, "clone",
      "the new stack and TLS are not used (emulated code runs on the host stack); namespaces and CLONE_PIDFD answer EINVAL"),
    SYSCALL_DEFINE(2, "clone3",
      "the stack and TLS are not used; namespaces and CLONE_PIDFD answer EINVAL; set_tid has one level (no pid namespaces); CLONE_INTO_CGROUP: no cgroup descriptors (EBADF)"),
    SYSCALL_DEFINE(1, "set_tid_address"),
  ]),
  kernelObject("kernel/kcmp.c", [
    SYSCALL_DEFINE(5, "kcmp", "KCMP_EPOLL_TFD: there are no epoll files yet, so a valid slot always answers EINVAL"),
  ]),
  kernelObject("kernel/ptrace.c", [
    SYSCALL_DEFINE(4, "ptrace",
      "PTRACE_O_TRACEFORK/VFORK/CLONE/EXEC/VFORKDONE/SECCOMP are accepted but report no event (no exec, no seccomp, " +
      "no auto-attach of new children); PTRACE_LISTEN is EIO; no GETREGSET/SETREGSET, no FP registers; x86 data " +
      "watchpoints (DR7 write/rw) are validated and stored but never fire; changes to the arguments at a " +
      "syscall-entry stop are not applied (the number is)"),
  ]),
  kernelObject("kernel/signal.c", [
    SYSCALL_DEFINE(0, "pause"),
    SYSCALL_DEFINE(2, "kill"),
    SYSCALL_DEFINE(3, "tgkill"),
    SYSCALL_DEFINE(2, "tkill"),
    SYSCALL_DEFINE(4, "rt_sigprocmask"),
    SYSCALL_DEFINE(2, "rt_sigpending"),
    SYSCALL_DEFINE(4, "rt_sigaction", "no alternate signal stacks: SA_ONSTACK handlers run on the normal stack"),
    SYSCALL_DEFINE(2, "rt_sigsuspend"),
    SYSCALL_DEFINE(0, "restart_syscall"),
  ]),
  kernelObject("kernel/sys.c", [
    SYSCALL_DEFINE(0, "getpid"),
    SYSCALL_DEFINE(0, "gettid"),
    SYSCALL_DEFINE(0, "getppid"),
    SYSCALL_DEFINE(0, "getuid"),
    SYSCALL_DEFINE(0, "geteuid"),
    SYSCALL_DEFINE(0, "getgid"),
    SYSCALL_DEFINE(0, "getegid"),
    SYSCALL_DEFINE(0, "getpgrp"),
    SYSCALL_DEFINE(2, "getrlimit"),
    SYSCALL_DEFINE(2, "setrlimit"),
    SYSCALL_DEFINE(4, "prlimit64"),
  ]),
  kernelObject("kernel/time/hrtimer.c", [SYSCALL_DEFINE(2, "nanosleep")]),
  kernelObject("kernel/time/itimer.c", [
    SYSCALL_DEFINE(1, "alarm"),
    SYSCALL_DEFINE(2, "getitimer", CPU_TIMERS),
    SYSCALL_DEFINE(3, "setitimer", CPU_TIMERS),
  ]),
  kernelObject("kernel/time/posix-stubs.c", [
    SYSCALL_DEFINE(2, "clock_gettime"),
    SYSCALL_DEFINE(4, "clock_nanosleep"),
  ]),
  kernelObject("kernel/time/posix-timers.c", [
    SYSCALL_DEFINE(2, "clock_gettime", NO_CPU_CLOCKS),
    SYSCALL_DEFINE(4, "clock_nanosleep", NO_CPU_CLOCKS),
  ]),
  kernelObject("fs/fcntl.c", [
    SYSCALL_DEFINE(3, "fcntl",
      "descriptor and status flags (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL) and pipe sizes (F_GETPIPE_SZ, F_SETPIPE_SZ) only; other commands answer EINVAL"),
  ]),
  kernelObject("fs/file.c", [
    SYSCALL_DEFINE(1, "dup"),
    SYSCALL_DEFINE(2, "dup2"),
    SYSCALL_DEFINE(3, "dup3"),
  ]),
  kernelObject("fs/namei.c", [
    SYSCALL_DEFINE(3, "mkdirat"),
    SYSCALL_DEFINE(2, "mkdir"),
    SYSCALL_DEFINE(4, "mknodat", NO_DEVICE_DRIVERS),
    SYSCALL_DEFINE(3, "mknod", NO_DEVICE_DRIVERS),
    SYSCALL_DEFINE(3, "unlinkat"),
    SYSCALL_DEFINE(1, "unlink"),
    SYSCALL_DEFINE(1, "rmdir"),
  ]),
  kernelObject("fs/open.c", [
    SYSCALL_DEFINE(3, "open"),
    SYSCALL_DEFINE(4, "openat"),
    SYSCALL_DEFINE(2, "creat"),
    SYSCALL_DEFINE(1, "close"),
    SYSCALL_DEFINE(1, "chdir"),
  ]),
  kernelObject("fs/pipe.c", [
    SYSCALL_DEFINE(2, "pipe2",
      "O_NOTIFICATION_PIPE (with CONFIG_WATCH_QUEUE) makes a pipe nothing can write, but no watch can be set on it: nothing is ever posted"),
    SYSCALL_DEFINE(1, "pipe"),
  ]),
  kernelObject("fs/read_write.c", [
    SYSCALL_DEFINE(3, "read"),
    SYSCALL_DEFINE(3, "write", NO_ENOSPC),
    SYSCALL_DEFINE(4, "pread64"),
    SYSCALL_DEFINE(4, "pwrite64", NO_ENOSPC),
    SYSCALL_DEFINE(3, "readv"),
    SYSCALL_DEFINE(3, "writev", NO_ENOSPC),
    SYSCALL_DEFINE(3, "lseek"),
  ]),
  kernelObject("fs/stat.c", [
    SYSCALL_DEFINE(2, "newstat"),
    SYSCALL_DEFINE(2, "newlstat"),
    SYSCALL_DEFINE(4, "newfstatat"),
    SYSCALL_DEFINE(2, "newfstat"),
  ]),
  kernelObject("fs/statfs.c", [
    SYSCALL_DEFINE(2, "statfs"),
    SYSCALL_DEFINE(2, "fstatfs"),
  ]),
  kernelObject("mm/mmap.c", [
    SYSCALL_DEFINE(1, "brk"),
    SYSCALL_DEFINE(2, "munmap"),
  ]),
  kernelObject("mm/mprotect.c", [SYSCALL_DEFINE(3, "mprotect")]),
  kernelObject("mm/nommu.c", [
    SYSCALL_DEFINE(1, "brk", "the loader reserves no room above the break: it cannot grow"),
    SYSCALL_DEFINE(2, "munmap"),
  ]),
] as const;

/** The source files of the emulated kernel, by path. */
export type KernelObjectPath = (typeof KERNEL_OBJECTS)[number]["path"];
