/**
 * <signal.h>: sending signals and the signal mask. Signal sets are bigints, bit n-1 for signal
 * n, as the kernel's sigset_t; they pass through the process's memory like any pointer argument.
 */
import { SIGSET_SIZE } from "../linux/include/uapi/signal.js";
import { job } from "./context.js";
import { after, getpid, outBuffer, peekBytes, pokeBytes, syscall, type SysResult } from "./libc.js";

/** sigmask(sig): the set holding only sig. */
export const sigmask = (sig: number): bigint => 1n << BigInt(sig - 1);
export const sigismember = (set: bigint, sig: number): boolean => (set & sigmask(sig)) !== 0n;

function putSet(addr: number, set: bigint): void {
  const b = new Uint8Array(SIGSET_SIZE);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, set), true);
  pokeBytes(addr, b);
}

function getSet(addr: number): bigint {
  return new DataView(peekBytes(addr, SIGSET_SIZE).buffer).getBigUint64(0, true);
}

export const kill = (pid: number, sig: number): SysResult => syscall("kill", pid, sig);

/** raise(): the signal to the calling process (glibc sends it to the thread; one thread here). */
export const raise = (sig: number): SysResult => after(getpid(), (pid) => kill(pid, sig));

/** sigprocmask(how, set, &old): the old mask, or -1. `set` null only reads the mask. */
export async function sigprocmask(how: number, set: bigint | null): Promise<bigint | -1> {
  const buf = outBuffer();
  if (set !== null) putSet(buf, set);
  const r = await syscall("rt_sigprocmask", how, set === null ? 0 : buf, buf + 8, SIGSET_SIZE);
  return r === -1 ? -1 : getSet(buf + 8);
}

/** sigpending(): the set of blocked signals waiting, or -1. */
export async function sigpending(): Promise<bigint | -1> {
  const buf = outBuffer();
  const r = await syscall("rt_sigpending", buf, SIGSET_SIZE);
  return r === -1 ? -1 : getSet(buf);
}

/** struct sigaction, as far as it can be used here: SIG_DFL or SIG_IGN, flags and mask. */
export interface SigAction {
  readonly handler: number;
  readonly flags?: number;
  readonly mask?: bigint;
}

/** sigaction(sig, act, &old): the old action, or -1. */
export async function sigaction(sig: number, act: SigAction | null): Promise<SigAction | -1> {
  const restorer = job().target.arch === "x86_64";
  const size = restorer ? 32 : 24;
  const maskAt = restorer ? 24 : 16;
  const buf = outBuffer();
  if (act) {
    const b = new Uint8Array(size);
    const v = new DataView(b.buffer);
    v.setBigUint64(0, BigInt(act.handler), true);
    v.setBigUint64(8, BigInt(act.flags ?? 0), true);
    v.setBigUint64(maskAt, act.mask ?? 0n, true);
    pokeBytes(buf, b);
  }
  const r = await syscall("rt_sigaction", sig, act ? buf : 0, buf + 64, SIGSET_SIZE);
  if (r === -1) return -1;
  const v = new DataView(peekBytes(buf + 64, size).buffer);
  return { handler: Number(v.getBigUint64(0, true)), flags: Number(v.getBigUint64(8, true)), mask: v.getBigUint64(maskAt, true) };
}

/** signal(sig, SIG_DFL or SIG_IGN): the old handler, or -1 (SIG_ERR). */
export async function signal(sig: number, handler: number): Promise<number> {
  const old = await sigaction(sig, { handler });
  return old === -1 ? -1 : old.handler;
}
