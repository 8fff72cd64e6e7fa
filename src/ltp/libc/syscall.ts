/**
 * syscall(2): the raw call on whichever process is running, with glibc's error convention
 * (-1 and errno on failure). Every wrapper of the C library goes through it.
 *
 * Arguments and results are register words (include/uapi/word.ts): a number within +-2^53,
 * a bigint beyond (C's ~0UL is -1, but 1UL << 63 is a bigint). A number that is not a safe
 * integer is refused with a TypeError rather than passed on with its low bits lost.
 */
import { ENOSYS } from "../../linux/include/uapi/errno.js";
import type { Word } from "../../linux/include/uapi/word.js";
import type { UserProcess } from "../../targets/target.js";
import { job, sysno, type JobContext } from "../context.js";
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

/** settle() of a word: one beyond +-2^53 is never an error. */
function settleWord(p: UserProcess, name: string, r: Word): Word {
  return typeof r === "number" ? settle(p, name, r) : r;
}

/** A C-visible result of a 64-bit type (long, off_t): the word, possibly after the task had to block. */
export type WordResult = Word | Promise<Word>;

/**
 * A C-visible result that a number holds exactly (int, pid_t, an ssize_t of at most
 * MAX_RW_COUNT, an address): the value, possibly after the task had to block.
 */
export type SysResult = number | Promise<number>;

/**
 * The raw call by name on the job's running process `p`: -ENOSYS where the arch's table has
 * no such call, as LTP's __LTP__NR_INVALID_SYSCALL.
 */
function rawSyscall(ctx: JobContext, p: UserProcess, name: string, a0: Word, a1: Word, a2: Word, a3: Word, a4: Word, a5: Word): WordResult {
  const nr = ctx.numbers.get(name) ?? sysno(name);
  return nr === undefined ? -ENOSYS : p.syscall(nr, a0, a1, a2, a3, a4, a5);
}

/** syscall(2) by name: the raw call with glibc's error convention. */
export function syscall(name: string, a0: Word = 0, a1: Word = 0, a2: Word = 0, a3: Word = 0, a4: Word = 0, a5: Word = 0): WordResult {
  const ctx = job();
  const p = ctx.target.current();
  const r = rawSyscall(ctx, p, name, a0, a1, a2, a3, a4, a5);
  return typeof r === "object" ? r.then((v) => settleWord(p, name, v)) : settleWord(p, name, r);
}

/** A result beyond +-2^53 from a call whose C type cannot hold one: the kernel under test is wrong. */
function notANumber(name: string, v: bigint): never {
  throw new RangeError(`${name}() returned 0x${BigInt.asUintN(64, v).toString(16)}, more than its C result type holds`);
}

/** syscall() of a call whose C result a number holds (see SysResult): what most wrappers make. */
export function intSyscall(name: string, a0: Word = 0, a1: Word = 0, a2: Word = 0, a3: Word = 0, a4: Word = 0, a5: Word = 0): SysResult {
  const ctx = job();
  const p = ctx.target.current();
  const r = rawSyscall(ctx, p, name, a0, a1, a2, a3, a4, a5);
  if (typeof r === "number") return settle(p, name, r);
  if (typeof r === "bigint") return notANumber(name, r);
  return r.then((v) => (typeof v === "number" ? settle(p, name, v) : notANumber(name, v)));
}

/** Runs `then` on a syscall's result, synchronously when the call did not block. */
export function after(r: SysResult, then: (v: number) => number | Promise<number>): SysResult {
  return typeof r === "number" ? then(r) : r.then(then);
}
