/*
 * fork, vfork, clone and clone3, made for real with the runner's words: the child gets a
 * channel of its own (connected by the parent first, so the child needs no path lookup of
 * its own: it may be in other namespaces or share the parent's working directory) and tells
 * the runner which child code it is with the token the runner sent along.
 */
#include "serve.h"

/* A CLONE_VM child's own stack: the parent's is in use by the parent (or, for vfork, still needed). */
#define CHILD_STACK_SIZE (256UL << 10)

struct child_start {
  u64 token;
  u64 flags;
  u64 mask;
  long ctl;
};

struct iovec {
  u64 base, len;
};

/* clone3's flags: the first word of its struct clone_args, read as the kernel will (EFAULT shows there). */
static u64 clone3_flags(u64 args) {
  u64 flags = 0;
  struct iovec local = { (u64)&flags, sizeof flags }, remote = { args, sizeof flags };
  if (sys5(NR_process_vm_readv, sys0(NR_getpid), &local, 1, &remote, 1) != sizeof flags) return 0;
  return flags;
}

__attribute__((noreturn)) static void child_main(void *arg) {
  struct child_start cs = *(struct child_start *)arg;
  if (!(cs.flags & CLONE_VM)) tasks_forget_others();
  struct task *t = task_claim((int)sys0(NR_gettid));
  /* A copied descriptor table holds the other tasks' channels: only this one is the child's. */
  if (!(cs.flags & CLONE_FILES)) {
    if (cs.ctl > agent_fds.chan_min) sys3(NR_close_range, agent_fds.chan_min, cs.ctl - 1, 0);
    sys3(NR_close_range, cs.ctl + 1, agent_fds.diag - 1, 0);
  }
  t->ctl = (int)cs.ctl;
  /* The child starts as its parent's code runs: with its mask, outside any handler. */
  struct level lv = { t, 0, cs.mask, 0 };
  channel_hello(t, cs.token, agent_start_stack);
  serve(&lv);
  die("a child's main loop returned", 0);
}

/*
 * The call runs with every signal blocked (so the child starts blocked too, and no handler
 * runs in it before it has its channel); a signal for the parent waits for its next call.
 */
s64 clone_task(struct level *lv, const u64 *words, u64 token) {
  u64 nr = SYSCALL_NR(words[0]);
  u64 flags = nr == NR_clone3 ? clone3_flags(words[1]) : CLONE_FLAGS_OF(nr, words[1]);
  long ctl = channel_connect();
  if (ctl < 0) {
    diag("cannot connect a channel for a child", ctl);
    return -EAGAIN;
  }
  struct child_start local = { token, flags, lv->mask, ctl }, *cs = &local;
  u64 stack = 0, sp = 0;
  if (flags & CLONE_VM) {
    long m = raw_syscall6(NR_mmap, 0, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (m < 0) {
      sys1(NR_close, ctl);
      return m;
    }
    stack = (u64)m;
    /* The start block on the child's stack: the parent's frame may be gone before the child reads it. */
    sp = stack + CHILD_STACK_SIZE - 64;
    cs = (struct child_start *)sp;
    *cs = local;
  }
  s64 ret = agent_clone(words, sp, child_main, cs);
  if (ret < 0 || !(flags & CLONE_FILES)) sys1(NR_close, ctl);
  /* After vfork the child has exited or exec'd: its stack and its slot in the shared table are free. */
  if (ret > 0 && (flags & CLONE_VFORK) && (flags & CLONE_VM)) {
    struct task *child = task_find((int)ret);
    if (child) task_release(child);
  }
  if (stack && (ret < 0 || (flags & CLONE_VFORK))) sys2(NR_munmap, stack, CHILD_STACK_SIZE);
  return ret;
}
