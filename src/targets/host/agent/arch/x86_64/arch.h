/*
 * x86-64: the raw system call instruction, the numbers the agent itself uses, and the layout
 * of the signal frame rt_sigreturn reads (arch/x86/include/uapi/asm/sigcontext.h,
 * arch/x86/include/asm/sigframe.h). Everything else the agent does is arch-neutral C; a port
 * is this file and entry.S for the new arch.
 */
#ifndef AGENT_ARCH_H
#define AGENT_ARCH_H

#define ARCH_NAME "x86_64"

/* arch/x86/entry/syscalls/syscall_64.tbl */
#define NR_read 0
#define NR_write 1
#define NR_close 3
#define NR_rt_sigaction 13
#define NR_rt_sigprocmask 14
#define NR_rt_sigreturn 15
#define NR_mmap 9
#define NR_munmap 11
#define NR_dup2 33
#define NR_getpid 39
#define NR_socket 41
#define NR_connect 42
#define NR_clone 56
#define NR_fork 57
#define NR_vfork 58
#define NR_execve 59
#define NR_execveat 322
#define NR_wait4 61
#define NR_kill 62
#define NR_fcntl 72
#define NR_getuid 102
#define NR_getgid 104
#define NR_getppid 110
#define NR_setsid 112
#define NR_sigaltstack 131
#define NR_personality 135
#define NR_prctl 157
#define NR_mount 165
#define NR_gettid 186
#define NR_exit_group 231
#define NR_tgkill 234
#define NR_openat 257
#define NR_unlinkat 263
#define NR_readlinkat 267
#define NR_unshare 272
#define NR_pipe2 293
#define NR_prlimit64 302
#define NR_process_vm_readv 310
#define NR_close_range 436
#define NR_clone3 435

/* The calls that make a new task: the agent gives the child its own channel. */
#define IS_CLONE_NR(nr) ((nr) == NR_clone || (nr) == NR_fork || (nr) == NR_vfork || (nr) == NR_clone3)
/* The flags word of each: clone's first argument; fork and vfork imply theirs. */
#define CLONE_FLAGS_OF(nr, a0) ((nr) == NR_fork ? SIGCHLD : (nr) == NR_vfork ? (CLONE_VM | CLONE_VFORK | SIGCHLD) : (a0))
/* do_syscall_64() takes the number as an int: (1 << 32) + 39 is getpid. */
#define SYSCALL_NR(word) ((u64)(u32)(word))

static inline long raw_syscall6(long n, long a, long b, long c, long d, long e, long f) {
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}

/*
 * The frame rt_sigreturn restores from: struct rt_sigframe minus the return address, i.e.
 * struct ucontext with the x86-64 sigcontext. RUN_CODE builds one to enter machine code with
 * every register chosen (0 but rip and rsp) and the FPU in its initial state (fpstate NULL).
 */
struct arch_sigcontext {
  u64 r8, r9, r10, r11, r12, r13, r14, r15;
  u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
  u16 cs, gs, fs, ss;
  u64 err, trapno, oldmask, cr2, fpstate;
  u64 reserved1[8];
};

struct arch_ucontext {
  u64 uc_flags;
  u64 uc_link;
  struct kernel_stack_t uc_stack;
  struct arch_sigcontext uc_mcontext;
  u64 uc_sigmask;
};

/* __USER_CS and __USER_DS: the selectors of 64-bit user mode. */
#define USER_CS 0x33
#define USER_DS 0x2b

static inline void arch_frame_for_code(struct arch_ucontext *uc, u64 ip, u64 sp) {
  uc->uc_mcontext.rip = ip;
  uc->uc_mcontext.rsp = sp;
  uc->uc_mcontext.cs = USER_CS;
  uc->uc_mcontext.ss = USER_DS;
}

#endif
