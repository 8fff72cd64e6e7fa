/**
 * <errno.h>: errno, one per process (glibc keeps it thread-local; every emulated task is a
 * process of its own here).
 */
import type { UserProcess } from "../../targets/target.js";
import { job } from "../context.js";

const errnos = new WeakMap<UserProcess, number>();

/** errno of the running process. */
export function errno(): number {
  return errnos.get(job().target.current()) ?? 0;
}

export function setErrno(e: number): void {
  setErrnoOf(job().target.current(), e);
}

/** Sets errno of `p`: the process that made a call, which may have blocked in it. */
export function setErrnoOf(p: UserProcess, e: number): void {
  errnos.set(p, e);
}

const enosysCalls = new WeakMap<UserProcess, string>();

/** The last call of `p` that answered ENOSYS: what a SAFE_ macro's failure with that errno is about. */
export function lastEnosysCall(p: UserProcess): string | undefined {
  return enosysCalls.get(p);
}

export function setLastEnosysCall(p: UserProcess, name: string): void {
  enosysCalls.set(p, name);
}
