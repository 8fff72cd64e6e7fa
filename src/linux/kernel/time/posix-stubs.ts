import { kernelObject, SYSCALL_DEFINE } from "../../kbuild/object.js";
import { clockGettime, clockNanosleep } from "./hrtimer.js";
import { isBasicClock } from "./timekeeping.js";

/**
 * kernel/time/posix-stubs.c: what a kernel without CONFIG_POSIX_TIMERS keeps — reading and
 * sleeping on CLOCK_REALTIME, CLOCK_MONOTONIC and CLOCK_BOOTTIME only (others: EINVAL).
 */
export const kernel_time_posix_stubs_c = kernelObject("kernel/time/posix-stubs.c", [
  SYSCALL_DEFINE(2, "clock_gettime", (task, a0, a1) => clockGettime(task, a0 | 0, a1, isBasicClock)),
  SYSCALL_DEFINE(4, "clock_nanosleep", (task, a0, a1, a2, a3) => clockNanosleep(task, a0 | 0, a1 | 0, a2, a3, isBasicClock)),
]);
