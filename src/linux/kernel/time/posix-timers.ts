import { int, type SyscallHandler, ulong } from "../../include/linux/syscalls.js";
import { clockGettime, clockNanosleep } from "./hrtimer.js";
import { isBasicClock, isTimekeepingClock } from "./timekeeping.js";
import { CLOCK_TAI } from "../../include/uapi/time.js";

/** The clocks common_nsleep() sleeps on (the coarse and raw clocks cannot be slept on). */
const sleepable = (clockid: number) => isBasicClock(clockid) || clockid === CLOCK_TAI;

/**
 * kernel/time/posix-timers.c (CONFIG_POSIX_TIMERS): the timekeeping clocks. The CPU-time
 * clocks and the alarm clocks are not modelled (no CPU time is accounted): EINVAL.
 */
export const sys_clock_gettime: SyscallHandler = (task, a0, a1) => clockGettime(task, int(a0), ulong(a1), isTimekeepingClock);
export const sys_clock_nanosleep: SyscallHandler = (task, a0, a1, a2, a3) => clockNanosleep(task, int(a0), int(a1), ulong(a2), ulong(a3), sleepable);
