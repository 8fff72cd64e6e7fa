import type { Word } from "../linux/include/uapi/word.js";

/**
 * What the generators know of the machine a program runs on: where its memory is, so that
 * pointers land inside a mapping, on its edges or outside it on purpose.
 */
export interface AddressSpace {
  /** The data segment every program starts with (mapped, writable). */
  readonly dataStart: number;
  readonly dataEnd: number;
  /** Where the scratch structures (see scratch.ts) are. */
  readonly scratch: readonly number[];
  /** The initial stack pointer. */
  readonly stack: number;
  /** TASK_SIZE: the first address user space cannot map. */
  readonly taskSize: number;
  /** Addresses of no-op signal handlers and of the restorer that calls rt_sigreturn. */
  readonly handler: number;
}

type Pick = () => number;

/** The argument kinds a register may hold, each a generator of words. */
export type ArgKind = "fd" | "pointer" | "flags" | "length" | "signed" | "signal" | "pid" | "small";

export const ARG_KINDS: readonly ArgKind[] = ["fd", "pointer", "flags", "length", "signed", "signal", "pid", "small"];

const TWO64 = 2n ** 64n;

/** The lengths at the limits a kernel compares with: MAX_RW_COUNT, INT_MAX, 2^53, 2^63, 2^64 - 1. */
const EDGE_LENGTHS: readonly Word[] = [
  0, 1, 4095, 4096, 4097, 65536, 2 ** 31 - 4096, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 47,
  2 ** 53 - 1, -(2 ** 53) + 1, 2n ** 53n + 1n, 2n ** 62n, -(2n ** 63n), 2n ** 63n - 1n, TWO64 - 2n, -1, -4096,
];

/** A word with `bits` random low bits (0..64), as its canonical Word. */
function randomBits(random: Pick, bits: number): Word {
  let v = 0n;
  for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(Math.floor(random() * 65536));
  v &= (1n << BigInt(bits)) - 1n;
  const signed = BigInt.asIntN(64, v);
  const n = Number(signed);
  return Number.isSafeInteger(n) ? n : signed;
}

const choose = <T>(random: Pick, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const below = (random: Pick, n: number): number => Math.floor(random() * n);

/** Generators of one word per kind: mostly plausible values, a fair share of edges and nonsense. */
export function generateArg(kind: ArgKind, random: Pick, as: AddressSpace): Word {
  switch (kind) {
    case "fd":
      return random() < 0.85 ? below(random, 8) : choose(random, [-1, -100, 1023, 1024, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 + 3]);
    case "pointer":
      return pointer(random, as);
    case "flags":
      // One bit, a few bits, every bit of a 32-bit or 64-bit word.
      return choose(random, [
        () => 1 << below(random, 32) >>> 0,
        () => below(random, 2 ** 16),
        () => randomBits(random, 32),
        () => 0xffffffff,
        () => -1,
        () => randomBits(random, 64),
        () => 0,
      ])();
    case "length":
      return random() < 0.5 ? below(random, 8192) : choose(random, EDGE_LENGTHS);
    case "signed":
      return choose(random, [0, -1, -2, 2 ** 31 - 1, -(2 ** 31), 2 ** 53 - 1, -(2 ** 53) + 1, -(2n ** 63n), 2n ** 63n - 1n, randomBits(random, 64)]);
    case "signal":
      return random() < 0.9 ? below(random, 66) : choose(random, [-1, 2 ** 32 + 9, 128]);
    case "pid":
      return choose(random, [0, 1, 2, 3, 4, -1, -2, 32768, 4194304, -(2 ** 31), 2 ** 31 - 1, 2 ** 32 + 1]);
    case "small":
      return below(random, 16);
  }
}

/** A pointer: into a scratch structure, the data segment, the stack, at an edge, or nowhere. */
function pointer(random: Pick, as: AddressSpace): Word {
  switch (below(random, 10)) {
    case 0: case 1: case 2: return choose(random, as.scratch);
    case 3: return as.dataStart + below(random, as.dataEnd - as.dataStart);
    case 4: return as.dataEnd - below(random, 64);
    case 5: return as.stack - below(random, 4096);
    case 6: return as.handler;
    case 7: return choose(random, [0, 1, 4096, as.taskSize - 1, as.taskSize, as.taskSize - 4096, 2 ** 47, 2 ** 48]);
    case 8: return choose(random, [-1, -4096, -(2n ** 63n), 2n ** 63n - 1n, 0xffffffff]);
    default: return as.dataEnd + below(random, 1 << 20);
  }
}
