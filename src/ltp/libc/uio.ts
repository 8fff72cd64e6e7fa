/** <sys/uio.h>: readv() and writev(), and a way to lay out a struct iovec array in memory. */
import { malloc } from "./malloc.js";
import { pokeBytes } from "./memory.js";
import { intSyscall, type SysResult } from "./syscall.js";

export const readv = (fd: number, iov: number, iovcnt: number): SysResult => intSyscall("readv", fd, iov, iovcnt);
export const writev = (fd: number, iov: number, iovcnt: number): SysResult => intSyscall("writev", fd, iov, iovcnt);

/**
 * An array of struct iovec { void *iov_base; size_t iov_len; } on the heap, one per
 * [base, len] (a length may be negative or past 2^63, as a C caller could write it).
 */
export function iovec(segs: readonly (readonly [number, number | bigint])[]): number {
  const b = new Uint8Array(16 * segs.length);
  const v = new DataView(b.buffer);
  segs.forEach(([base, len], i) => {
    v.setBigUint64(i * 16, BigInt.asUintN(64, BigInt(base)), true);
    v.setBigUint64(i * 16 + 8, BigInt.asUintN(64, BigInt(len)), true);
  });
  const addr = malloc(Math.max(b.length, 1));
  pokeBytes(addr, b);
  return addr;
}
