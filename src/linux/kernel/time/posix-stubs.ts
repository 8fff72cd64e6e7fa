import { int, type SyscallHandler, ulong } from "../../include/linux/syscalls.js";
import { clockGettime, clockNanosleep } from "./hrtimer.js";
import { isBasicClock } from "./timekeeping.js";

/**
 * kernel/time/posix-stubs.c: what a kernel without CONFIG_POSIX_TIMERS keeps — reading and
 * sleeping on CLOCK_REALTIME, CLOCK_MONOTONIC and CLOCK_BOOTTIME only (others: EINVAL).
 */
export const sys_clock_gettime: SyscallHandler = (task, a0, a1) => clockGettime(task, int(a0), ulong(a1), isBasicClock);
export const sys_clock_nanosleep: SyscallHandler = (task, a0, a1, a2, a3) => clockNanosleep(task, int(a0), int(a1), ulong(a2), ulong(a3), isBasicClock);
