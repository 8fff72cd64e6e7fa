/**
 * The integer ALU: add/or/adc/sbb/and/sub/xor/cmp/test/inc/dec on 16/32/64-bit operands held as
 * two int32 halves, and the status flags they produce (Intel SDM vol. 1 3.4.3.1 and the
 * instruction pages), plus the jcc conditions.
 *
 * Flags, as the real CPU computes them (checked against it by the probes of test/cpu.test.ts):
 *  - CF: carry out of (add/adc) or borrow into (sub/sbb/cmp) the top bit; 0 for the logic ops;
 *    inc/dec leave it alone.
 *  - OF: signed overflow; 0 for the logic ops.
 *  - SF: the top bit of the result. ZF: the result is 0. PF: even parity of its low 8 bits.
 *  - AF: carry or borrow out of bit 3, i.e. bit 4 of a ^ b ^ result; the SDM leaves it undefined
 *    for the logic ops, and the Intel CPU of the probes clears it, as we do.
 */
import { Op } from "./insn.js";
import { Fl } from "./regs.js";

/** PF for each value of a result's low byte: set when it has an even number of 1 bits. */
export const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let n = 0;
  for (let b = i; b; b >>= 1) n += b & 1;
  PARITY[i] = n % 2 === 0 ? Fl.PF : 0;
}

/*
 * The ALU as JS text: aluCode() gives the statements of one operation for one operand size, and
 * both the interpreter's ALU handlers (execute.ts, compiled once per operation, size and operand
 * form) and compiled blocks (block.ts, with the instruction's registers as constants) are made
 * from it. So the flags have exactly one definition, and V8 sees straight-line integer code with
 * no call and no switch.
 *
 * The statements read the operands a = (al, ah) and b = (bl, bh), int32 halves (bits above the
 * size ignored), and f, RFLAGS before; they assign the result to rl, rh (rh 0 below 64 bits, a
 * 16-bit result zero-extended) and the new RFLAGS to f. `P` is PARITY. Sums of unsigned halves
 * (x >>> 0, below 2^34) carry into bit 32; `| 0` takes 32 bits back.
 */

const STATUS = Fl.STATUS as number;
const TOP = { 64: "rh", 32: "rl", 16: "rl" } as const;
/** The shift that brings the sign bit of the result word to bit 7 (SF) and to bit 11 (OF). */
const SF_SHIFT = { 64: 24, 32: 24, 16: 8 } as const;
const OF_SHIFT = { 64: 20, 32: 20, 16: 4 } as const;

/** ZF, SF and PF of the result rl, rh. */
function szp(size: 16 | 32 | 64): string {
  const zero = size === 64 ? "(rl | rh) === 0" : "rl === 0";
  return `(${zero} ? ${Fl.ZF} : 0) | ((${TOP[size]} >>> ${SF_SHIFT[size]}) & ${Fl.SF}) | P[rl & 255]`;
}

/**
 * a + b + cin (add, adc, inc), or a - b - cin (sub, sbb, cmp, dec): the result, CF = carry out of
 * or borrow into the top bit (unless keepCF: inc/dec), OF = signed overflow, AF = bit 4 of
 * a ^ b ^ result.
 */
function arith(sub: boolean, size: 16 | 32 | 64, b: string, bh: string, cin: string, keepCF: boolean): string {
  const op = sub ? "-" : "+";
  const mask = keepCF ? STATUS & ~Fl.CF : STATUS;
  const top = size === 64 ? ["ah", bh, "rh"] : ["a", "b", "rl"]; // the words that hold the sign bits
  // OF: add: the result's sign differs from both operands'; sub: the operands' signs differ and the result's differs from a's
  const of = sub ? `((${top[0]} ^ ${top[1]}) & (${top[0]} ^ ${top[2]}))` : `((${top[0]} ^ ${top[2]}) & (${top[1]} ^ ${top[2]}))`;
  const lines: string[] = [];
  let carry: string; // the full-width sum or difference that says CF
  if (size === 16) {
    lines.push(`const a = al & 65535, b = ${b} & 65535, s = a ${op} b ${op} ${cin};`, "rl = s & 65535; rh = 0;");
    carry = sub ? "s < 0" : "s > 65535";
  } else {
    lines.push(`const a = al, b = ${b}, s = (a >>> 0) ${op} (b >>> 0) ${op} ${cin};`, "rl = s | 0;");
    if (size === 64) {
      lines.push(`const t = (ah >>> 0) ${op} (${bh} >>> 0) ${op} (${sub ? "s < 0" : "s > 4294967295"} ? 1 : 0);`, "rh = t | 0;");
      carry = sub ? "t < 0" : "t > 4294967295";
    } else {
      lines.push("rh = 0;");
      carry = sub ? "s < 0" : "s > 4294967295";
    }
  }
  const cf = keepCF ? "" : `(${carry} ? ${Fl.CF} : 0) | `;
  lines.push(`f = (f & ${~mask}) | ${cf}((${of} >>> ${OF_SHIFT[size]}) & ${Fl.OF}) | ((a ^ b ^ rl) & ${Fl.AF}) | ${szp(size)};`);
  return `{ ${lines.join(" ")} }`;
}

/** and/or/xor/test: CF = OF = AF = 0, SF/ZF/PF from the result. */
function logic(size: 16 | 32 | 64, o: "&" | "|" | "^"): string {
  const r = size === 64 ? `rl = al ${o} bl; rh = ah ${o} bh;` : size === 32 ? `rl = al ${o} bl; rh = 0;` : `rl = (al ${o} bl) & 65535; rh = 0;`;
  return `{ ${r} f = (f & ${~STATUS}) | ${szp(size)}; }`;
}

/** The statements of ALU operation `op` (Op.ADD ... Op.DEC; inc/dec do not read b) at operand size `size` (see above). */
export function aluCode(op: number, size: 16 | 32 | 64): string {
  switch (op) {
    case Op.ADD: return arith(false, size, "bl", "bh", "0", false);
    case Op.ADC: return arith(false, size, "bl", "bh", "(f & 1)", false);
    case Op.INC: return arith(false, size, "1", "0", "0", true);
    case Op.SUB: case Op.CMP: return arith(true, size, "bl", "bh", "0", false);
    case Op.SBB: return arith(true, size, "bl", "bh", "(f & 1)", false);
    case Op.DEC: return arith(true, size, "1", "0", "0", true);
    case Op.AND: case Op.TEST: return logic(size, "&");
    case Op.OR: return logic(size, "|");
    case Op.XOR: return logic(size, "^");
    default: throw new Error(`x86 alu: operation ${op}`);
  }
}

/** Evaluates condition `cc` (the tttn field of jcc / setcc / cmovcc, SDM vol. 1 appendix B). */
function evaluate(cc: number, f: number): boolean {
  let r: boolean;
  switch (cc >> 1) {
    case 0: r = (f & Fl.OF) !== 0; break; // o
    case 1: r = (f & Fl.CF) !== 0; break; // b / c
    case 2: r = (f & Fl.ZF) !== 0; break; // e / z
    case 3: r = (f & (Fl.CF | Fl.ZF)) !== 0; break; // be
    case 4: r = (f & Fl.SF) !== 0; break; // s
    case 5: r = (f & Fl.PF) !== 0; break; // p
    case 6: r = !(f & Fl.SF) !== !(f & Fl.OF); break; // l: SF != OF
    default: r = (f & Fl.ZF) !== 0 || !(f & Fl.SF) !== !(f & Fl.OF); break; // le
  }
  return cc & 1 ? !r : r;
}

/** The five flags the conditions read, packed as bits 0-4: CF | PF<<1 | ZF<<2 | SF<<3 | OF<<4. */
export function condIndex(f: number): number {
  return (f & 1) | ((f >> 1) & 2) | ((f >> 4) & 12) | ((f >> 7) & 16);
}

/** For each condition, bit k set when it holds for the flag combination k of condIndex(). */
export const CC_MASKS = new Uint32Array(16);
for (let cc = 0; cc < 16; cc++) {
  for (let k = 0; k < 32; k++) {
    const f = (k & 1 ? Fl.CF : 0) | (k & 2 ? Fl.PF : 0) | (k & 4 ? Fl.ZF : 0) | (k & 8 ? Fl.SF : 0) | (k & 16 ? Fl.OF : 0);
    if (evaluate(cc, f)) CC_MASKS[cc]! |= 1 << k;
  }
}

/** Condition `cc` holds for rflags `f`. */
export function condition(cc: number, f: number): boolean {
  return ((CC_MASKS[cc]! >>> condIndex(f)) & 1) !== 0;
}
