import type { Task } from "../../include/linux/sched.js";
import { EFAULT, EINVAL, ERESTART_RESTARTBLOCK, ERESTARTNOHAND } from "../../include/uapi/errno.js";
import { TIMER_ABSTIME } from "../../include/uapi/time.js";
import { type SyscallHandler, ulong } from "../../include/linux/syscalls.js";
import { clockNow, getTimespec, nsToTimespec, putTimespec, timespecValid, toSchedTime } from "./timekeeping.js";

/**
 * do_nanosleep() and hrtimer_nanosleep(): sleeps until `expires` (scheduler time) or a
 * signal. The timer expiring wins over a signal arriving with it. An absolute sleep cut
 * short is -ERESTARTNOHAND (restarted as it was, or EINTR after a handler); a relative one
 * stores the time left in rmtp and is -ERESTART_RESTARTBLOCK: EINTR after a handler, and
 * after a stop/continue it resumes through restart_syscall() towards the same expiry.
 * probe: nanosleep(2 s) with an SA_RESTART handler run at 0.1 s: -1 EINTR, rem 1.899684763;
 * nanosleep(0.5 s) across SIGSTOP/SIGCONT: 0 after 0.50 s in all.
 */
export async function hrtimerNanosleep(task: Task, expires: number, relative: boolean, rmtp: number): Promise<number> {
  const sched = task.kernel.sched;
  if (expires <= sched.now) return 0;
  let expired = false;
  const timer = expires === Infinity ? null : sched.addTimer(expires, () => {
    expired = true;
    sched.wake(task);
  });
  while (!expired && !task.signalPending) await sched.sleep(task, "hrtimer_nanosleep");
  timer?.cancel();
  if (expired) return 0;
  if (!relative) return -ERESTARTNOHAND;
  if (rmtp) {
    const left = expires - sched.now;
    if (left <= 0) return 0;
    if (!putTimespec(task.mm!, rmtp, left === Infinity ? { sec: Number.MAX_SAFE_INTEGER, nsec: 0 } : nsToTimespec(left))) return -EFAULT;
  }
  task.restartBlock = (t) => hrtimerNanosleep(t, expires, true, rmtp);
  return -ERESTART_RESTARTBLOCK;
}

/** nanosleep(): a relative sleep on CLOCK_MONOTONIC. */
function nanosleep(task: Task, rqtp: number, rmtp: number): number | Promise<number> {
  const t = getTimespec(task.mm!, rqtp);
  if (!t) return -EFAULT;
  if (!timespecValid(t)) return -EINVAL;
  task.restartBlock = null;
  const ns = t.sec > 1e7 ? Infinity : t.sec * 1e9 + t.nsec;
  return hrtimerNanosleep(task, task.kernel.sched.now + ns, true, rmtp);
}

/**
 * clock_gettime() of a clock `known` accepts (posix-timers.c knows more clocks than
 * posix-stubs.c): EINVAL for others, EFAULT for a bad pointer.
 */
export function clockGettime(task: Task, clockid: number, tp: number, known: (clockid: number) => boolean): number {
  if (!known(clockid)) return -EINVAL;
  return putTimespec(task.mm!, tp, clockNow(task, clockid)) ? 0 : -EFAULT;
}

/**
 * clock_nanosleep(): the clock is checked first, then the request (EFAULT, EINVAL); with
 * TIMER_ABSTIME the time is a point on that clock and rmtp is never written.
 */
export function clockNanosleep(
  task: Task, clockid: number, flags: number, rqtp: number, rmtp: number, sleeps: (clockid: number) => boolean,
): number | Promise<number> {
  if (!sleeps(clockid)) return -EINVAL;
  const t = getTimespec(task.mm!, rqtp);
  if (!t) return -EFAULT;
  if (!timespecValid(t)) return -EINVAL;
  task.restartBlock = null;
  const now = task.kernel.sched.now;
  if (flags & TIMER_ABSTIME) return hrtimerNanosleep(task, toSchedTime(task, clockid, t), false, 0);
  const ns = t.sec > 1e7 ? Infinity : t.sec * 1e9 + t.nsec;
  return hrtimerNanosleep(task, now + ns, true, rmtp);
}

export const sys_nanosleep: SyscallHandler = (task, a0, a1) => nanosleep(task, ulong(a0), ulong(a1));
