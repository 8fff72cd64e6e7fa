/* What the parts of the serving agent share: tasks, their channels, and the request loop. */
#ifndef AGENT_SERVE_H
#define AGENT_SERVE_H

#include "agent.h"
#include "protocol.h"

/*
 * One task the runner drives. Tasks that share memory (CLONE_VM) share this table, so
 * nothing per task lives in a global: a signal handler finds its task by tid.
 */
struct task {
  volatile int tid;
  int ctl;   /* the channel to the runner */
  int depth; /* how many program functions (handlers) are running on it */
};

struct task *task_claim(int tid);
struct task *task_find(int tid);
void task_release(struct task *t);
void tasks_forget_others(void);

/*
 * One loop of requests: the task's main code (depth 0) or one program function it is
 * running. Each keeps the signal mask its code runs with; between requests every signal is
 * blocked, so handlers run only inside the system calls the code makes, and a request
 * never finds the agent in the middle of another.
 */
struct level {
  struct task *t;
  int depth;
  u64 mask;
  /* For a program function: the stack pointer it was entered with (rt_sigreturn's frame is there). */
  u64 frame_sp;
};

/* channel.c */
long channel_connect(void);
void channel_send(struct task *t, const struct message *m);
void channel_receive(struct task *t, struct message *m);
void channel_hello(struct task *t, u64 token, u64 start_stack);
void channel_reply(struct task *t, u64 seq, s64 ret);

/* serve.c */
extern int agent_isolated;
extern u64 agent_start_stack;
u64 block_all_signals(void);
void set_signal_mask(u64 mask);
void serve(struct level *lv);

/* clone.c */
s64 clone_task(struct level *lv, const u64 *words, u64 token);

/* usercode.c */
__attribute__((noreturn)) void run_machine_code(const struct level *lv, u64 ip, u64 sp);

#endif
