import type { Word } from "../uapi/word.js";
import type { TaskStruct } from "./task_struct.js";

/**
 * A system call handler: the body of a SYSCALL_DEFINEn (include/linux/syscalls.h declares
 * them all). Arguments arrive as the raw register words, exact and canonical (unused ones are
 * 0); the handler converts each to the C type it declares with the casts below, as
 * SYSCALL_DEFINEn's __SC_CAST does. It returns the value (a word: lseek's offset may need all
 * 64 bits) or a negative errno, synchronously unless it has to block.
 */
export type SyscallHandler = (
  task: TaskStruct, a0: Word, a1: Word, a2: Word, a3: Word, a4: Word, a5: Word,
) => Word | Promise<Word>;

/** (int): the low 32 bits, signed (descriptors of *at() calls, pids, flags, signal numbers). */
export function int(w: Word): number {
  return typeof w === "number" ? w | 0 : Number(BigInt.asIntN(32, w));
}

/** (unsigned int): the low 32 bits (descriptors, modes, flags). */
export function uint(w: Word): number {
  return typeof w === "number" ? w >>> 0 : Number(BigInt.asUintN(32, w));
}

/**
 * (long) as a number, for a long the kernel only compares with small values (ptrace's
 * request): exact within +-2^53; a word beyond is a number as far out, equal to none of them.
 * A long that must keep all its bits (loff_t) stays the word itself.
 */
export function long(w: Word): number {
  return typeof w === "number" ? w : Number(w);
}

/**
 * (unsigned long) as a number, for addresses, lengths and counts: exact below 2^53 (negative
 * words are the values above 2^63); above, rounded, but still beyond every limit the kernel
 * compares them with (TASK_SIZE, MAX_RW_COUNT), so every check answers as for the exact value.
 */
export function ulong(w: Word): number {
  if (typeof w === "number") return w < 0 ? w + 2 ** 64 : w;
  return Number(BigInt.asUintN(64, w));
}
