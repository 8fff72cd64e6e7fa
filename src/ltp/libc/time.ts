/**
 * <time.h> and <unistd.h> timing: sleeps, clocks and the alarm. Times are { sec, nsec } as
 * struct timespec holds them; they pass through the process's memory like C's pointers.
 */
import { outBuffer } from "./data_segment.js";
import { errno } from "./errno.js";
import { peekBytes, pokeBytes } from "./memory.js";
import { intSyscall, type SysResult } from "./syscall.js";

export interface Timespec {
  readonly sec: number;
  readonly nsec: number;
}

function putTimespec(addr: number, t: Timespec): void {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, BigInt(t.sec), true);
  v.setBigInt64(8, BigInt(t.nsec), true);
  pokeBytes(addr, b);
}

function getTimespec(addr: number): Timespec {
  const v = new DataView(peekBytes(addr, 16).buffer);
  return { sec: Number(v.getBigInt64(0, true)), nsec: Number(v.getBigInt64(8, true)) };
}

/** Nanoseconds in a timespec (exact up to 104 days). */
export const timespecNs = (t: Timespec): number => t.sec * 1e9 + t.nsec;

/** alarm(seconds): the seconds left of the previous alarm. */
export const alarm = (seconds: number): SysResult => intSyscall("alarm", seconds);

/** nanosleep(req, &rem): 0, or -1 with errno (EINTR: `rem` holds what was left). */
export async function nanosleep(req: Timespec): Promise<{ ret: number; rem: Timespec }> {
  const buf = outBuffer();
  putTimespec(buf, req);
  pokeBytes(buf + 16, new Uint8Array(16));
  const ret = await intSyscall("nanosleep", buf, buf + 16);
  return { ret, rem: getTimespec(buf + 16) };
}

/**
 * clock_nanosleep(clock, flags, req, &rem): like glibc, the error number itself (0 on
 * success), not -1 and errno; `rem` is written for an interrupted relative sleep.
 */
export async function clock_nanosleep(clockid: number, flags: number, req: Timespec): Promise<{ ret: number; rem: Timespec }> {
  const buf = outBuffer();
  putTimespec(buf, req);
  pokeBytes(buf + 16, new Uint8Array(16));
  const r = await intSyscall("clock_nanosleep", clockid, flags, buf, buf + 16);
  return { ret: r === -1 ? errno() : 0, rem: getTimespec(buf + 16) };
}

/** clock_gettime(clock): the time, or -1 (errno set). */
export async function clock_gettime(clockid: number): Promise<Timespec | -1> {
  const buf = outBuffer();
  const r = await intSyscall("clock_gettime", clockid, buf);
  return r === -1 ? -1 : getTimespec(buf);
}

/** sleep(seconds): a nanosleep(); interrupted, the seconds left rounded to the nearest (glibc). */
export async function sleep(seconds: number): Promise<number> {
  const { ret, rem } = await nanosleep({ sec: seconds, nsec: 0 });
  return ret === -1 ? rem.sec + (rem.nsec >= 500000000 ? 1 : 0) : 0;
}
