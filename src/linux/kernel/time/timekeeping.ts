import type { Task } from "../../include/linux/sched.js";
import { CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_TAI, NSEC_PER_SEC } from "../../include/uapi/time.js";
import type { MmStruct } from "../../include/linux/mm_types.js";

/**
 * The clocks of an emulated machine, all driven by the scheduler's virtual time (nanoseconds
 * since boot, which only sleeps and system calls advance). The machine booted one second
 * before its first task ran, on 2026-01-01 00:00:00 UTC; it never suspends (BOOTTIME is
 * MONOTONIC) and has no TAI offset set (TAI reads as REALTIME, as after boot without NTP).
 */
const BOOT_MONOTONIC_NS = NSEC_PER_SEC;
const BOOT_REALTIME_SEC = 1767225600;

/** A time as struct timespec holds it: seconds and nanoseconds. */
export interface Timespec {
  readonly sec: number;
  readonly nsec: number;
}

/** Whether a clock counts from the epoch (REALTIME and friends) rather than from boot. */
function isRealtime(clockid: number): boolean {
  return clockid === CLOCK_REALTIME || clockid === CLOCK_REALTIME_COARSE || clockid === CLOCK_TAI;
}

/** The clocks every kernel has, whatever CONFIG_POSIX_TIMERS says (posix-stubs.c serves them). */
export function isBasicClock(clockid: number): boolean {
  return clockid === CLOCK_REALTIME || clockid === CLOCK_MONOTONIC || clockid === CLOCK_BOOTTIME;
}

/** The clocks read from the timekeeper (the CPU-time clocks and alarm clocks are not modelled). */
export function isTimekeepingClock(clockid: number): boolean {
  return isBasicClock(clockid) || clockid === CLOCK_MONOTONIC_RAW || clockid === CLOCK_REALTIME_COARSE ||
    clockid === CLOCK_MONOTONIC_COARSE || clockid === CLOCK_TAI;
}

/** A clock's reading now. */
export function clockNow(task: Task, clockid: number): Timespec {
  const now = task.kernel.sched.now;
  const base = isRealtime(clockid) ? 0 : BOOT_MONOTONIC_NS;
  const ns = now + base;
  return { sec: Math.floor(ns / NSEC_PER_SEC) + (isRealtime(clockid) ? BOOT_REALTIME_SEC : 0), nsec: ns % NSEC_PER_SEC };
}

/**
 * A time on `clockid` as a point on the scheduler's clock (which sleeps are timed by); the
 * far future, beyond what a number holds exactly, is Infinity (a sleep nothing but a signal ends).
 */
export function toSchedTime(task: Task, clockid: number, t: Timespec): number {
  const sec = t.sec - (isRealtime(clockid) ? BOOT_REALTIME_SEC : 0);
  if (sec > 1e7) return Infinity;
  return sec * NSEC_PER_SEC + t.nsec - (isRealtime(clockid) ? 0 : BOOT_MONOTONIC_NS);
}

/** get_timespec64(): a struct __kernel_timespec from user memory, or null (EFAULT). */
export function getTimespec(mm: MmStruct, addr: number): Timespec | null {
  const b = mm.read(addr, 16);
  if (!b) return null;
  const v = new DataView(b.buffer);
  const sec = v.getBigInt64(0, true);
  // tv_nsec is a long, but compat rules take only its low 32 bits (get_timespec64()).
  return { sec: sec > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(sec), nsec: v.getInt32(8, true) };
}

/** timespec64_valid(): a non-negative time with the nanoseconds in range. */
export function timespecValid(t: Timespec): boolean {
  return t.sec >= 0 && t.nsec >= 0 && t.nsec < NSEC_PER_SEC;
}

/** put_timespec64() */
export function putTimespec(mm: MmStruct, addr: number, t: Timespec): boolean {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, BigInt(t.sec), true);
  v.setBigInt64(8, BigInt(t.nsec), true);
  return mm.write(addr, b);
}

/** A duration in nanoseconds as a timespec. */
export function nsToTimespec(ns: number): Timespec {
  return { sec: Math.floor(ns / NSEC_PER_SEC), nsec: ns % NSEC_PER_SEC };
}
