/*
 * The program's own code: its functions (what the kernel enters as signal handlers), served
 * by the runner while the agent's frame waits on the real signal stack, and machine code,
 * entered through rt_sigreturn so that every register is what the test API promises.
 */
#include "serve.h"

/*
 * A program function was entered (entry.S: user_entry): the runner runs it, serving its
 * system calls from here, inside the real handler; then it returns, to the restorer the
 * kernel put on the frame, whose rt_sigreturn is real too.
 */
void user_call(u64 addr, u64 a0, u64 a1, u64 a2, u64 sp) {
  struct task *t = task_find((int)sys0(NR_gettid));
  if (!t) die("a program function was entered in a task the runner does not serve", 0);
  struct level lv = { t, ++t->depth, block_all_signals(), sp };
  struct message m = { { EV_CALL, (u64)lv.depth, addr, a0, a1, a2, sp } };
  channel_send(t, &m);
  serve(&lv);
  t->depth--;
  set_signal_mask(lv.mask);
}

struct code_frame {
  u64 pretcode;
  struct arch_ucontext uc;
};

/*
 * Machine code from ip with the stack pointer at sp, every other register 0, the FPU in its
 * initial state and the code's signal mask: what rt_sigreturn loads from a frame made for it.
 */
void run_machine_code(const struct level *lv, u64 ip, u64 sp) {
  struct code_frame f;
  memset(&f, 0, sizeof f);
  arch_frame_for_code(&f.uc, ip, sp);
  f.uc.uc_sigmask = lv->mask;
  /* rt_sigreturn restores the alternate signal stack too: keep the one in place. */
  sys2(NR_sigaltstack, 0, &f.uc.uc_stack);
  agent_sigreturn((u64)&f.uc);
}
