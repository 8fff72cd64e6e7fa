import type { Task } from "../include/linux/sched.js";

/** include/linux/threads.h: PID_MAX_DEFAULT and RESERVED_PIDS. */
export const PID_MAX_DEFAULT = 0x8000;
export const RESERVED_PIDS = 300;

/**
 * The pid namespace's allocator (kernel/pid.c alloc_pid): numbers go up from the last one
 * handed out and wrap to RESERVED_PIDS at pid_max, skipping numbers in use; when none is
 * free, fork fails with EAGAIN.
 */
export class PidTable {
  private readonly tasks = new Map<number, Task>();
  private last = 0;

  constructor(public pidMax = PID_MAX_DEFAULT) {}

  /** A free pid, or null when every one is taken. */
  alloc(): number | null {
    for (let tries = 0; tries < this.pidMax; tries++) {
      let nr = this.last + 1;
      if (nr >= this.pidMax) nr = RESERVED_PIDS;
      this.last = nr;
      if (!this.tasks.has(nr)) return nr;
    }
    return null;
  }

  attach(task: Task): void {
    this.tasks.set(task.pid, task);
  }

  /** free_pid(): the number can be handed out again. */
  free(pid: number): void {
    this.tasks.delete(pid);
  }

  /** find_task_by_vpid() */
  find(pid: number): Task | undefined {
    return this.tasks.get(pid);
  }

  /** Every task, in pid order. */
  all(): Task[] {
    return [...this.tasks.values()].sort((a, b) => a.pid - b.pid);
  }
}
