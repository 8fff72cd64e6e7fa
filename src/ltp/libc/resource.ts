/** <sys/resource.h>: resource limits, as bigints (RLIM_INFINITY is 2^64-1). */
import { SIZEOF_RLIMIT } from "../../linux/include/uapi/resource.js";
import { outBuffer } from "./data_segment.js";
import { peekBytes, pokeBytes } from "./memory.js";
import { intSyscall } from "./syscall.js";

export interface Rlimit {
  readonly rlim_cur: bigint;
  readonly rlim_max: bigint;
}

function putRlimit(addr: number, r: Rlimit): void {
  const b = new Uint8Array(SIZEOF_RLIMIT);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, BigInt.asUintN(64, r.rlim_cur), true);
  v.setBigUint64(8, BigInt.asUintN(64, r.rlim_max), true);
  pokeBytes(addr, b);
}

function getRlimit(addr: number): Rlimit {
  const v = new DataView(peekBytes(addr, SIZEOF_RLIMIT).buffer);
  return { rlim_cur: v.getBigUint64(0, true), rlim_max: v.getBigUint64(8, true) };
}

/**
 * getrlimit(): the limit, or -1. glibc implements it with prlimit64(0, ...), which every
 * 64-bit arch has (riscv64's getrlimit syscall exists too, x86_64's as well).
 */
export async function getrlimit(resource: number): Promise<Rlimit | -1> {
  const buf = outBuffer();
  const r = await intSyscall("prlimit64", 0, resource, 0, buf);
  return r === -1 ? -1 : getRlimit(buf);
}

/** setrlimit(): 0 or -1, through prlimit64(0, ...) as glibc does. */
export async function setrlimit(resource: number, limit: Rlimit): Promise<number> {
  const buf = outBuffer();
  putRlimit(buf, limit);
  return intSyscall("prlimit64", 0, resource, buf, 0);
}
