import type { Scheduler, Task, TimerHandle } from "../../include/linux/sched.js";
import { EFAULT, EINVAL } from "../../include/uapi/errno.js";
import { SI_KERNEL, SIGALRM } from "../../include/uapi/signal.js";
import { ITIMER_REAL, NSEC_PER_SEC } from "../../include/uapi/time.js";
import { int, type SyscallHandler, uint, ulong } from "../../include/linux/syscalls.js";
import type { RealTimer } from "../../include/linux/sched/signal.js";
import { sendSignal } from "../signal.js";

/** The ITIMER_REAL of a process: its value left and its interval, in nanoseconds. */
interface Itimer {
  readonly value: number;
  readonly interval: number;
}

/** get_itimer(): an armed timer reads as at least 1 us left, an expired one as 0, with its interval. */
function getItimerReal(task: Task): Itimer {
  const t = task.signal.realTimer;
  if (!t) return { value: 0, interval: 0 };
  return { value: t.queued ? Math.max(t.expires - task.kernel.sched.now, 1000) : 0, interval: t.interval };
}

/**
 * The hrtimer of ITIMER_REAL: when it expires the process gets SIGALRM (it_real_fn():
 * SI_KERNEL) and nothing more; dequeue_signal() re-arms a periodic one (see RealTimer).
 */
class RealItimer implements RealTimer {
  private handle: TimerHandle | null = null;

  constructor(private readonly sched: Scheduler, private readonly leader: Task, public expires: number, readonly interval: number) {
    this.start();
  }

  get queued(): boolean {
    return this.handle !== null;
  }

  private start(): void {
    this.handle = this.sched.addTimer(this.expires, () => {
      this.handle = null;
      sendSignal(SIGALRM, this.leader, true, { signo: SIGALRM, code: SI_KERNEL });
    });
  }

  /** hrtimer_forward(now, interval) then hrtimer_restart(): the first expiry on the interval's grid after now. */
  rearm(): void {
    if (this.handle || this.interval <= 0) return;
    const now = this.sched.now;
    if (this.expires <= now) this.expires += (Math.floor((now - this.expires) / this.interval) + 1) * this.interval;
    this.start();
  }

  cancel(): void {
    this.handle?.cancel();
    this.handle = null;
  }
}

/**
 * do_setitimer(ITIMER_REAL): the old timer is cancelled and the new one armed. The timer
 * belongs to the process (signal_struct): a fork child starts without one, and the last
 * thread's exit cancels it.
 */
function setItimerReal(task: Task, value: number, interval: number): Itimer {
  const signal = task.signal;
  const old = getItimerReal(task);
  signal.realTimer?.cancel();
  signal.realTimer = null;
  if (value <= 0) return old;
  const sched = task.kernel.sched;
  signal.realTimer = new RealItimer(sched, task.groupLeader, sched.now + value, interval);
  return old;
}

/**
 * alarm(): setitimer(ITIMER_REAL) in whole seconds; it returns the seconds the old alarm
 * had left, rounded to the nearest and never 0 for one still pending (alarm_setitimer()).
 */
function alarm(task: Task, seconds: number): number {
  const old = setItimerReal(task, seconds * NSEC_PER_SEC, 0);
  const sec = Math.floor(old.value / NSEC_PER_SEC);
  const usec = Math.floor((old.value % NSEC_PER_SEC) / 1000);
  return sec + ((sec === 0 && usec) || usec >= 500000 ? 1 : 0);
}

/** struct itimerval: it_interval then it_value, each a timeval (seconds, microseconds). */
function putItimerval(task: Task, addr: number, t: Itimer): boolean {
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  const put = (at: number, ns: number) => {
    v.setBigInt64(at, BigInt(Math.floor(ns / NSEC_PER_SEC)), true);
    v.setBigInt64(at + 8, BigInt(Math.floor((ns % NSEC_PER_SEC) / 1000)), true);
  };
  put(0, t.interval);
  put(16, t.value);
  return task.mm!.write(addr, b);
}

function getitimer(task: Task, which: number, value: number): number {
  if (which !== ITIMER_REAL) return -EINVAL;
  return putItimerval(task, value, getItimerReal(task)) ? 0 : -EFAULT;
}

/** setitimer(): the new value is read first (EFAULT), then checked (EINVAL: usec out of range). */
function setitimer(task: Task, which: number, value: number, ovalue: number): number {
  let next: Itimer = { value: 0, interval: 0 };
  if (value) {
    const b = task.mm!.read(value, 32);
    if (!b) return -EFAULT;
    const v = new DataView(b.buffer);
    const tv = (at: number) => ({ sec: Number(v.getBigInt64(at, true)), usec: Number(v.getBigInt64(at + 8, true)) });
    const interval = tv(0), val = tv(16);
    if (which !== ITIMER_REAL) return -EINVAL;
    for (const t of [interval, val]) if (t.sec < 0 || t.usec < 0 || t.usec >= 1000000) return -EINVAL;
    next = { value: val.sec * NSEC_PER_SEC + val.usec * 1000, interval: interval.sec * NSEC_PER_SEC + interval.usec * 1000 };
  } else if (which !== ITIMER_REAL) return -EINVAL;
  const old = setItimerReal(task, next.value, next.interval);
  return ovalue && !putItimerval(task, ovalue, old) ? -EFAULT : 0;
}


export const sys_alarm: SyscallHandler = (task, a0) => alarm(task, uint(a0));
export const sys_getitimer: SyscallHandler = (task, a0, a1) => getitimer(task, int(a0), ulong(a1));
export const sys_setitimer: SyscallHandler = (task, a0, a1, a2) => setitimer(task, int(a0), ulong(a1), ulong(a2));
