/**
 * A register word: what a system call takes in each argument register and returns (C's long
 * and unsigned long, __kernel_long_t of asm/posix_types.h: 64 bits on every arch here).
 *
 * It is held exactly, in one canonical form: the 64 bits read as a signed integer (the raw
 * call's "value or -errno" reading), as a number when that is a safe integer and as a bigint
 * otherwise. The words programs pass nearly always (descriptors, flags, addresses, counts,
 * -1 for ~0UL) are numbers, so the common path stays all numbers; only words beyond +-2^53
 * (2^63, 2^53 + 1, 0x8000000000000001) are bigints. Two canonical words are equal exactly
 * when their 64 bits are (`===`).
 */
export type Word = number | bigint;

const MIN_SIGNED = -(2n ** 63n);
const END_UNSIGNED = 2n ** 64n;

/** The canonical word of 64 bits given as a bigint in either reading (signed, or unsigned as C's ~0UL). */
export function wordOfBits(v: bigint): Word {
  const signed = BigInt.asIntN(64, v);
  const n = Number(signed);
  return Number.isSafeInteger(n) ? n : signed;
}

/**
 * A word as a program hands it to the kernel, made canonical. A number must be a safe
 * integer: one beyond 2^53 has already lost bits (0xffffffffffffffff written as a number is
 * 2^64), so it is refused rather than passed on wrong; such words are written as bigints,
 * signed or unsigned (-1n and 0xffffffffffffffffn are the same word). Anything that is not
 * an integer of 64 bits is a mistake of the calling code: a TypeError.
 */
export function toWord(v: Word): Word {
  // Small enough to be inlined into every system call, which nearly always passes safe integers.
  return Number.isSafeInteger(v) ? v : otherWord(v);
}

/** toWord() of anything but a safe integer. */
function otherWord(v: Word): Word {
  if (typeof v === "bigint" && v >= MIN_SIGNED && v < END_UNSIGNED) return wordOfBits(v);
  if (typeof v === "number") {
    throw new TypeError(`${v} is not a register word: a number must be a safe integer (write words beyond 2^53 as bigints)`);
  }
  throw new TypeError(`${typeof v === "bigint" ? `${v}n` : String(v)} is not a register word: it does not fit in 64 bits`);
}

/** The word's 64 bits as an unsigned bigint (C's unsigned long, exactly): for storing it whole. */
export function wordBits(w: Word): bigint {
  return BigInt.asUintN(64, BigInt(w));
}

/**
 * A system call number as a program hands it to the kernel: a register word too, and every
 * real one a small integer. Anything else (NaN would index slot 0) is a TypeError, as for words.
 */
export function toSyscallNumber(nr: number): number {
  if (!Number.isSafeInteger(nr)) throw new TypeError(`${nr} is not a system call number: it must be a safe integer`);
  return nr;
}
