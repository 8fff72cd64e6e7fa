import { kernelObject, SYSCALL_DEFINE } from "../../kbuild/object.js";
import { clockGettime, clockNanosleep } from "./hrtimer.js";
import { isBasicClock, isTimekeepingClock } from "./timekeeping.js";
import { CLOCK_TAI } from "../../include/uapi/time.js";

/** The clocks common_nsleep() sleeps on (the coarse and raw clocks cannot be slept on). */
const sleepable = (clockid: number) => isBasicClock(clockid) || clockid === CLOCK_TAI;

/**
 * kernel/time/posix-timers.c (CONFIG_POSIX_TIMERS): the timekeeping clocks. The CPU-time
 * clocks and the alarm clocks are not modelled (no CPU time is accounted): EINVAL.
 */
export const kernel_time_posix_timers_c = kernelObject("kernel/time/posix-timers.c", [
  SYSCALL_DEFINE(2, "clock_gettime", (task, a0, a1) => clockGettime(task, a0 | 0, a1, isTimekeepingClock),
    "CPU-time and alarm clocks are not modelled: EINVAL"),
  SYSCALL_DEFINE(4, "clock_nanosleep", (task, a0, a1, a2, a3) => clockNanosleep(task, a0 | 0, a1 | 0, a2, a3, sleepable),
    "CPU-time and alarm clocks are not modelled: EINVAL"),
]);
