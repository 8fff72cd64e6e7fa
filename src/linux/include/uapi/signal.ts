/** Signal numbers, include/uapi/asm-generic/signal.h (x86_64 and riscv64 agree). */
export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6,
  SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13,
  SIGALRM = 14, SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19,
  SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25,
  SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29, SIGPWR = 30, SIGSYS = 31;
export const SIGRTMIN = 32;
export const _NSIG = 64;

const NAMES = [
  "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
  "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
  "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
  "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
];

/** "SIGKILL" for 9, as LTP's tst_strsig() prints it. */
export function signalName(sig: number): string {
  if (sig > 0 && sig < NAMES.length) return NAMES[sig]!;
  if (sig >= SIGRTMIN && sig <= _NSIG) return `SIGRTMIN+${sig - SIGRTMIN}`;
  return `SIG?(${sig})`;
}

/** Dispositions, include/uapi/asm-generic/signal-defs.h. */
export const SIG_DFL = 0, SIG_IGN = 1;
/** sa_flags (the same values on x86_64 and riscv64; SA_RESTORER exists only on x86). */
export const SA_NOCLDSTOP = 0x00000001, SA_NOCLDWAIT = 0x00000002, SA_SIGINFO = 0x00000004,
  SA_RESTORER = 0x04000000, SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000,
  SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000;
/** rt_sigprocmask() how. */
export const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
/** The kernel's sigset_t: 64 signals, 8 bytes (the sigsetsize rt_sig* calls insist on). */
export const SIGSET_SIZE = 8;
/** si_code values of SIGCHLD, include/uapi/asm-generic/siginfo.h. */
export const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4, CLD_STOPPED = 5, CLD_CONTINUED = 6;
/** si_code values, include/uapi/asm-generic/siginfo.h. */
export const SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TIMER = -2, SI_TKILL = -6;
export const SEGV_MAPERR = 1, SEGV_ACCERR = 2;
/** SIGTRAP si_codes: a breakpoint, a single-step trace trap, a hardware breakpoint or watchpoint. */
export const TRAP_BRKPT = 1, TRAP_TRACE = 2, TRAP_HWBKPT = 4;
/** sa_flags bits the kernel keeps (UAPI_SA_FLAGS; SA_RESTORER only where it exists). */
export const SA_UNSUPPORTED = 0x00000400, SA_EXPOSE_TAGBITS = 0x00000800;
export const UAPI_SA_FLAGS = SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | SA_NODEFER |
  SA_RESETHAND | SA_EXPOSE_TAGBITS;
/** sizeof(siginfo_t) */
export const SI_MAX_SIZE = 128;
