/**
 * syscall(2): the raw call on whichever process is running, with glibc's error convention
 * (-1 and errno on failure). Every wrapper of the C library goes through it.
 */
import { ENOSYS } from "../../linux/include/uapi/errno.js";
import type { UserProcess } from "../../targets/target.js";
import { job, sysno } from "../context.js";
import { setErrnoOf, setLastEnosysCall } from "./errno.js";

/** Linux returns -4095..-1 for errors (IS_ERR_VALUE); glibc turns them into -1 and errno. */
function settle(p: UserProcess, name: string, r: number): number {
  if (r < 0 && r >= -4095) {
    setErrnoOf(p, -r);
    if (r === -ENOSYS) setLastEnosysCall(p, name);
    return -1;
  }
  return r;
}

/** A C-visible result: the value, possibly after the task had to block. */
export type SysResult = number | Promise<number>;

/**
 * syscall(2) by name: the raw call with glibc's error convention. A name the arch's table
 * lacks answers -1 with ENOSYS, as LTP's __LTP__NR_INVALID_SYSCALL does.
 */
export function syscall(name: string, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): SysResult {
  const ctx = job();
  const p = ctx.target.current();
  const nr = ctx.numbers.get(name) ?? sysno(name);
  if (nr === undefined) return settle(p, name, -ENOSYS);
  const r = p.syscall(nr, a0, a1, a2, a3, a4, a5);
  return typeof r === "number" ? settle(p, name, r) : r.then((v) => settle(p, name, v));
}

/** Runs `then` on a syscall's result, synchronously when the call did not block. */
export function after(r: SysResult, then: (v: number) => number | Promise<number>): SysResult {
  return typeof r === "number" ? then(r) : r.then(then);
}
