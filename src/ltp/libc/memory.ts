/**
 * Loads and stores through pointers: what C code does with `*p`, on the running process's
 * memory. A fault is a segmentation fault, as in C (the process dies of SIGSEGV).
 */
import { UserFault } from "../../targets/target.js";
import { job } from "../context.js";

export function peekInt(addr: number): number {
  const v = job().target.current().memory.getInt32(addr);
  if (v === null) throw new UserFault(addr, "read");
  return v;
}

export function pokeInt(addr: number, v: number): void {
  if (!job().target.current().memory.putInt32(addr, v)) throw new UserFault(addr, "write");
}

export function peekBytes(addr: number, len: number): Uint8Array {
  const b = job().target.current().memory.read(addr, len);
  if (!b) throw new UserFault(addr, "read");
  return b;
}

export function pokeBytes(addr: number, bytes: Uint8Array): void {
  if (!job().target.current().memory.write(addr, bytes)) throw new UserFault(addr, "write");
}

/** An unsigned 64-bit word (pointers, size_t) as a number. */
export function peekU64(addr: number): number {
  return Number(new DataView(peekBytes(addr, 8).buffer).getBigUint64(0, true));
}

export function pokeU64(addr: number, v: number | bigint): void {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
  pokeBytes(addr, b);
}

/** The NUL-terminated string at addr (UTF-8), read in runs that never cross a page, like strlen(). */
export function peekString(addr: number): string {
  const chunks: Uint8Array[] = [];
  for (let a = addr; ; ) {
    const b = job().target.current().memory.read(a, Math.min(256, 4096 - (a % 4096)));
    if (!b) throw new UserFault(a, "read");
    const nul = b.indexOf(0);
    if (nul >= 0) {
      chunks.push(b.subarray(0, nul));
      return Buffer.concat(chunks).toString("utf8");
    }
    chunks.push(b);
    a += b.length;
  }
}

/** Copies a JS string into memory at addr, NUL-terminated (strcpy()). */
export function pokeString(addr: number, s: string): void {
  pokeBytes(addr, Buffer.from(s + "\0", "utf8"));
}
