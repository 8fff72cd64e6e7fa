/*
 * The request loop: the runner's requests executed as the task's own system calls, exactly
 * as asked, with the task's signal mask in place only while the call runs.
 */
#include "serve.h"

/* Set in the init: a PID namespace makes it pid 1. Without one, kill(-1) would reach the whole machine. */
int agent_isolated;
/* Where argc sat when the program started: the same in every task (children inherit the stack's contents). */
u64 agent_start_stack;

u64 block_all_signals(void) {
  u64 all = ALL_SIGNALS, old = 0;
  sys4(NR_rt_sigprocmask, SIG_SETMASK, &all, &old, 8);
  return old;
}

void set_signal_mask(u64 mask) {
  sys4(NR_rt_sigprocmask, SIG_SETMASK, &mask, 0, 8);
}

/* The system call with the code's signal mask: signals are delivered in it, as on return to user mode. */
static s64 syscall_unblocked(struct level *lv, const u64 *w) {
  set_signal_mask(lv->mask);
  s64 r = raw_syscall6((long)w[0], (long)w[1], (long)w[2], (long)w[3], (long)w[4], (long)w[5], (long)w[6]);
  /* The call may have changed the mask (rt_sigprocmask, sigsuspend's return): it is the code's from now on. */
  lv->mask = block_all_signals();
  return r;
}

static s64 do_syscall(struct level *lv, const struct message *m) {
  const u64 *w = &m->w[4];
  u64 nr = SYSCALL_NR(w[0]);
  if (nr == NR_rt_sigreturn && lv->frame_sp) {
    /* The restorer's rt_sigreturn: the frame is at the stack pointer the function was entered with. */
    lv->t->depth--;
    agent_sigreturn(lv->frame_sp);
  }
  if (IS_CLONE_NR(nr)) return clone_task(lv, w, m->w[3]);
  /* kill()'s pid is a pid_t: any word whose low 32 bits are -1 means every process. */
  if (nr == NR_kill && (int)w[1] == -1 && !agent_isolated) {
    diag("kill(-1, ...) refused: the job is not in a PID namespace of its own", 0);
    return -EPERM;
  }
  return syscall_unblocked(lv, w);
}

/*
 * The access C code would have made, for real: a load or a store that faults with the real
 * SIGSEGV (its handler runs, or the process dies of it). A function address without a
 * function is a jump into nothing: SIGSEGV too.
 */
static s64 do_fault(struct level *lv, u64 addr, u64 access) {
  set_signal_mask(lv->mask);
  if (access == FAULT_READ) probe_read(addr);
  else if (access == FAULT_WRITE) probe_write(addr);
  else sys3(NR_tgkill, sys0(NR_getpid), sys0(NR_gettid), SIGSEGV);
  lv->mask = block_all_signals();
  return 0;
}

/* Serves until the program function of this level returns (never, at depth 0). */
void serve(struct level *lv) {
  struct message m;
  for (;;) {
    channel_receive(lv->t, &m);
    if ((int)m.w[2] != lv->depth) die("a request for another handler depth", 0);
    switch (m.w[0]) {
      case OP_SYSCALL:
        channel_reply(lv->t, m.w[1], do_syscall(lv, &m));
        break;
      case OP_RETURN:
        if (lv->depth == 0) die("a return without a function", 0);
        return;
      case OP_RUN_CODE:
        run_machine_code(lv, m.w[4], m.w[5]);
      case OP_FAULT:
        channel_reply(lv->t, m.w[1], do_fault(lv, m.w[4], m.w[5]));
        break;
      case OP_KILL:
        kill_self();
      default:
        die("an unknown request", 0);
    }
  }
}

/*
 * The first process, as exec started it: argv and envp are the program's, the inherited
 * descriptors sit at the top of the table, and the table is otherwise empty, as an emulated
 * process starts.
 */
void agent_serve_init(u64 start_sp) {
  agent_start_stack = start_sp;
  sys3(NR_fcntl, agent_fds.rundir, F_SETFD, FD_CLOEXEC);
  sys3(NR_fcntl, agent_fds.outer_proc, F_SETFD, FD_CLOEXEC);
  sys3(NR_fcntl, agent_fds.diag, F_SETFD, FD_CLOEXEC);
  sys3(NR_close_range, 0, 2, 0);
  agent_isolated = sys0(NR_getpid) == 1;
  /* The emulated kernel's init is "ltp" too. */
  sys2(NR_prctl, PR_SET_NAME, "ltp");
  struct task *t = task_claim((int)sys0(NR_gettid));
  long ctl = channel_connect();
  if (ctl < 0) die("cannot connect to the runner", ctl);
  t->ctl = (int)ctl;
  struct level lv = { t, 0, block_all_signals(), 0 };
  channel_hello(t, 0, agent_start_stack);
  serve(&lv);
  die("the main loop returned", 0);
}
