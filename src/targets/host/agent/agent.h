/*
 * The host target's agent: the body of one test process on the real kernel. It runs freestanding
 * (no libc: no TLS, no errno, no malloc, no hidden system calls) so that every system call the
 * process makes is one the runner asked for, and its address space holds only what the
 * emulated target's processes hold, at the same addresses.
 */
#ifndef AGENT_H
#define AGENT_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;
typedef long s64;
typedef unsigned long size_t;

/* include/uapi/asm-generic/signal.h: the kernel's stack_t */
struct kernel_stack_t {
  u64 ss_sp;
  int ss_flags;
  int pad;
  u64 ss_size;
};

struct rlimit64 {
  u64 cur, max;
};

#include "layout.h"
#include "arch.h"

/* The errno values the agent itself answers with (include/uapi/asm-generic/errno-base.h). */
#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EAGAIN 11
#define EPIPE 32

/* include/uapi/linux/sched.h */
#define CLONE_VM 0x00000100
#define CLONE_FILES 0x00000400
#define CLONE_VFORK 0x00004000
#define CLONE_NEWNS 0x00020000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWPID 0x20000000

/* include/uapi/asm-generic/signal.h */
#define SIGHUP 1
#define SIGINT 2
#define SIGKILL 9
#define SIGSEGV 11
#define SIGTERM 15
#define SIGCHLD 17
#define SA_RESTORER 0x04000000
#define SIG_SETMASK 2
#define ALL_SIGNALS (~0UL)

/* include/uapi/asm-generic/fcntl.h */
#define O_RDONLY 0
#define O_WRONLY 1
#define O_DIRECTORY 0200000
#define O_CLOEXEC 02000000
#define O_PATH 010000000
#define O_NONBLOCK 04000
#define AT_FDCWD (-100)
#define AT_REMOVEDIR 0x200
#define AT_EMPTY_PATH 0x1000
#define F_GETFD 1
#define F_SETFD 2
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1

/* include/uapi/linux/prctl.h, personality.h, mount.h, mman.h, resource.h */
#define PR_SET_PDEATHSIG 1
#define PR_SET_NAME 15
#define PR_SET_CHILD_SUBREAPER 36
#define ADDR_NO_RANDOMIZE 0x0040000
#define MS_NOSUID 2
#define MS_NODEV 4
#define MS_NOEXEC 8
#define MS_REC 16384
#define MS_PRIVATE (1 << 18)
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 2
#define MAP_ANONYMOUS 0x20
#define MAP_STACK 0x20000
#define RLIMIT_NOFILE 7
#define AF_UNIX 1
#define SOCK_STREAM 1
#define SOCK_CLOEXEC O_CLOEXEC
#define WNOHANG 1
#define __WALL 0x40000000

#define sys0(n) raw_syscall6((n), 0, 0, 0, 0, 0, 0)
#define sys1(n, a) raw_syscall6((n), (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b) raw_syscall6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c) raw_syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d) raw_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sys5(n, a, b, c, d, e) raw_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

/* entry.S */
long agent_clone(const u64 *words, u64 child_sp, void (*child)(void *), void *arg);
__attribute__((noreturn)) void agent_sigreturn(u64 sp);
void agent_restorer(void);
void probe_read(u64 addr);
void probe_write(u64 addr);

/* lib.c: what the compiler may call, and the little formatting the agent needs */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
size_t strlen(const char *s);
int streq(const char *a, const char *b);
long parse_long(const char *s);
char *put_str(char *p, const char *s);
char *put_dec(char *p, s64 v);
long write_all(int fd, const void *buf, size_t len);
long read_all(int fd, void *buf, size_t len);
__attribute__((noreturn)) void die(const char *what, long err);
void diag(const char *what, long err);
__attribute__((noreturn)) void kill_self(void);

/*
 * The descriptors an agent inherits, at the top of its descriptor table (the launcher puts
 * them just below RLIMIT_NOFILE's hard limit), so that the program's own descriptors are
 * numbered as in the emulated target, where a process starts with an empty table.
 */
struct agent_fds {
  int rundir;   /* the job's runtime directory, where the runner's socket is */
  int outer_proc; /* /proc as the runner sees it: our ids there name /proc/<tid>/mem */
  int diag;     /* the launcher's stderr: one line per agent error */
  int chan_min; /* where channel sockets go: above every descriptor a test is likely to use */
};
#define AGENT_FD_LIMIT 4096
extern struct agent_fds agent_fds;
void agent_fds_from_limit(u64 hard);
int nofile_raise(struct rlimit64 *saved);
void nofile_restore(const struct rlimit64 *saved);

/* launcher.c */
__attribute__((noreturn)) void launcher_main(int argc, char **argv);

/* serve.c */
__attribute__((noreturn)) void agent_serve_init(u64 start_sp);

#endif
