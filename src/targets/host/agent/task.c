/* The table of tasks in this address space, keyed by tid. */
#include "serve.h"

#define MAX_TASKS 256

static struct task tasks[MAX_TASKS];

struct task *task_find(int tid) {
  for (int i = 0; i < MAX_TASKS; i++) {
    if (tasks[i].tid == tid) return &tasks[i];
  }
  return 0;
}

static int claim(struct task *t, int expected, int tid) {
  return __atomic_compare_exchange_n(&t->tid, &expected, tid, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/*
 * A slot for a new task: its own (a task that died holding it left it with a tid now reused),
 * a free one, or one whose task is gone. Slots are not released when their task exits (a
 * handler may still run before the exit does); a vfork parent releases its child's.
 */
struct task *task_claim(int tid) {
  struct task *t = task_find(tid);
  for (int i = 0; !t && i < MAX_TASKS; i++) {
    if (claim(&tasks[i], 0, tid)) t = &tasks[i];
  }
  for (int i = 0; !t && i < MAX_TASKS; i++) {
    int old = tasks[i].tid;
    if (old && sys2(NR_kill, old, 0) == -ESRCH && claim(&tasks[i], old, tid)) t = &tasks[i];
  }
  if (!t) die("no free task slot", 0);
  t->ctl = -1;
  t->depth = 0;
  return t;
}

void task_release(struct task *t) {
  t->tid = 0;
}

/* A child with memory of its own: the other slots are copies of tasks that are not here. */
void tasks_forget_others(void) {
  memset(tasks, 0, sizeof tasks);
}
