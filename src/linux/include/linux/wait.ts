import type { Task } from "./sched.js";

/**
 * wait_queue_head_t: the tasks asleep until some event (data in a pipe, room to write). A
 * waiter sleeps interruptibly: a signal wakes it as well (signal_wake_up()), so every wait
 * loop rechecks its condition and then signal_pending() before sleeping again:
 *
 *     while (!condition) {
 *       if (signalPending(task)) return -ERESTARTSYS;
 *       await wq.wait(task, "pipe_read");
 *     }
 */
export class WaitQueueHead {
  private readonly waiters = new Set<Task>();

  /** prepare_to_wait(), schedule(), finish_wait(): the running task sleeps until woken. */
  async wait(task: Task, channel: string): Promise<void> {
    this.waiters.add(task);
    try {
      await task.kernel.sched.sleep(task, channel);
    } finally {
      this.waiters.delete(task);
    }
  }

  /** wake_up_interruptible_all(): every waiter becomes runnable and rechecks its condition. */
  wakeUp(): void {
    for (const t of this.waiters) t.kernel.sched.wake(t);
  }

  /** wq_has_sleeper() */
  get hasSleeper(): boolean {
    return this.waiters.size > 0;
  }
}
