import { TaskState, type Task } from "../include/linux/sched.js";

/** How many system calls a task makes before it must let another runnable task in. */
export const TIMESLICE_SYSCALLS = 64;
/**
 * The virtual time a system call takes (about what getpid costs on a real machine): a task
 * that never sleeps still moves the clock, so an alarm ends a loop of system calls waiting
 * for it. The clock advances by a timeslice's worth when the slice is used up.
 */
export const SYSCALL_NS = 200;

/** A small, fast seeded generator (mulberry32): the same seed picks the same interleaving. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/** A pending timer; cancel() takes it off the queue (hrtimer_cancel()). */
export interface TimerHandle {
  cancel(): void;
}

/**
 * The scheduler: exactly one task runs at a time. A task gives up the CPU only when it
 * sleeps, exits or uses up its timeslice; then a seeded choice among the runnable tasks picks
 * the next one. Time is virtual: when nothing can run, the clock jumps to the next timer.
 * Nothing runnable and no timer left while tasks still live is a deadlock.
 */
export class Scheduler {
  /** Runnable tasks other than the one running. */
  private readonly runqueue: Task[] = [];
  private readonly timers: Timer[] = [];
  private timerSeq = 0;
  current: Task | null = null;
  /** Virtual time in nanoseconds since boot. */
  now = 0;
  /** System calls left in the running task's timeslice. */
  budget = TIMESLICE_SYSCALLS;
  private readonly random: () => number;

  constructor(
    seed: number,
    /** Called when nothing can run any more: every live task sleeps and no timer is pending. */
    private readonly idle: () => void,
  ) {
    this.random = seededRandom(seed);
  }

  /** Puts a new or woken task on the run queue. */
  enqueue(task: Task): void {
    task.state = TaskState.Running;
    task.waitChannel = null;
    this.runqueue.push(task);
  }

  /** wake_up_process(): a sleeping task becomes runnable. */
  wake(task: Task): void {
    if (task.state === TaskState.Sleeping) this.enqueue(task);
  }

  /**
   * The running task sleeps until woken; it awaits the promise. An interruptible sleep
   * (TASK_INTERRUPTIBLE) also ends when a signal arrives; a killable one only for a fatal one.
   */
  sleep(task: Task, channel: string, interruptible = true): Promise<void> {
    task.state = TaskState.Sleeping;
    task.waitChannel = channel;
    task.interruptible = interruptible;
    const p = new Promise<void>((resolve) => (task.resume = resolve));
    this.switchFrom(task);
    return p;
  }

  /** The running task stops (TASK_STOPPED) until SIGCONT or SIGKILL wakes it. */
  stop(task: Task): Promise<void> {
    task.state = TaskState.Stopped;
    task.waitChannel = "do_signal_stop";
    const p = new Promise<void>((resolve) => (task.resume = resolve));
    this.switchFrom(task);
    return p;
  }

  /** wake_up_state(t, __TASK_STOPPED): a stopped task runs again. */
  wakeStopped(task: Task): void {
    if (task.state === TaskState.Stopped) this.enqueue(task);
  }

  /** The running task enters a ptrace-stop (TASK_TRACED) until its tracer resumes it or SIGKILL. */
  traceStop(task: Task, channel: string): Promise<void> {
    task.state = TaskState.Traced;
    task.waitChannel = channel;
    const p = new Promise<void>((resolve) => (task.resume = resolve));
    this.switchFrom(task);
    return p;
  }

  /** wake_up_state(t, __TASK_TRACED): the tracer resumed it. */
  wakeTraced(task: Task): void {
    if (task.state === TaskState.Traced) this.enqueue(task);
  }

  /** The running task's timeslice is used up: others get a turn if any is runnable. */
  preempt(task: Task): Promise<void> | null {
    this.budget = TIMESLICE_SYSCALLS;
    this.now += TIMESLICE_SYSCALLS * SYSCALL_NS;
    while (this.timers.length && this.timers[0]!.at <= this.now) this.timers.shift()!.fire();
    if (this.runqueue.length === 0) return null;
    this.runqueue.push(task);
    const p = new Promise<void>((resolve) => (task.resume = resolve));
    this.switchFrom(task);
    return p;
  }

  /**
   * Takes a task that is not running off the CPU for good (killed by another): it exits where
   * it stands. Its exit runs as TASK_RUNNING, as do_exit() does in Linux, so that nothing its
   * exit wakes (the pipe it was asleep on, released by its own exit_files()) puts it back on
   * the run queue with nothing left to resume.
   */
  dequeue(task: Task): void {
    const i = this.runqueue.indexOf(task);
    if (i >= 0) this.runqueue.splice(i, 1);
    task.resume = null;
    task.state = TaskState.Running;
    task.waitChannel = null;
  }

  /** The running task is gone for good. */
  exited(task: Task): void {
    this.switchFrom(task);
  }

  /** Runs `fire` once virtual time reaches `at` (nanoseconds). */
  addTimer(at: number, fire: () => void): TimerHandle {
    const timer: Timer = { at, seq: this.timerSeq++, fire };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    return {
      cancel: () => {
        const i = this.timers.indexOf(timer);
        if (i >= 0) this.timers.splice(i, 1);
      },
    };
  }

  /** Picks and resumes the next task (the resumed one continues in a later microtask). */
  private switchFrom(prev: Task): void {
    if (this.current === prev) this.current = null;
    for (;;) {
      const n = this.runqueue.length;
      if (n > 0) {
        const i = n === 1 ? 0 : Math.floor(this.random() * n);
        const next = this.runqueue.splice(i, 1)[0]!;
        this.current = next;
        this.budget = TIMESLICE_SYSCALLS;
        const resume = next.resume!;
        next.resume = null;
        resume();
        return;
      }
      const timer = this.timers.shift();
      if (!timer) return this.idle();
      this.now = Math.max(this.now, timer.at);
      timer.fire();
    }
  }

  /** Tasks that are asleep or stopped, with what they wait for. */
  sleepers(all: Iterable<Task>): Task[] {
    return [...all].filter((t) => t.state === TaskState.Sleeping || t.state === TaskState.Stopped || t.state === TaskState.Traced);
  }
}
