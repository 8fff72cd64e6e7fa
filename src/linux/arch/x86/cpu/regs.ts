/**
 * The user-visible register state of an x86-64 thread: what the CPU interpreter reads and writes,
 * and what ptrace(PTRACE_GETREGS) will show (the integer part of struct user_regs_struct,
 * arch/x86/include/uapi/asm/ptrace.h). Segment registers and fs_base/gs_base are not modelled.
 *
 * Each 64-bit register is two 32-bit halves, `lo[n]` and `hi[n]` (n in encoding order, rip at
 * index RIP = 16), kept as int32 (two's complement: `x >>> 0` is the unsigned half), so the
 * interpreter does 64-bit arithmetic on numbers that V8 keeps unboxed, without BigInt or
 * allocation. The BigInt accessors (`rax`, `get(n)`, `rip` ...) are for tests and ptrace; the
 * word accessors (`word`, `setWord`) are for the system-call entry, whose handlers take exact
 * register words (include/uapi/word.ts); the number ones (`num`, `setNum`, `ripNum`) for
 * addresses.
 */

import { wordOfBits, type Word } from "../../../include/uapi/word.js";

/**
 * RFLAGS bits (Intel SDM vol. 1, 3.4.3 "EFLAGS Register"; arch/x86/include/uapi/asm/processor-flags.h),
 * as compile-time constants for the interpreter (tsc inlines const enum members; an imported
 * `const` costs a load and a check in V8's optimized code). The exports below are the same values
 * for callers.
 */
export const enum Fl {
  CF = 1 << 0, // carry
  FIXED = 1 << 1, // reserved, always 1
  PF = 1 << 2, // parity (of the low 8 bits of a result)
  AF = 1 << 4, // auxiliary carry (out of bit 3)
  ZF = 1 << 6, // zero
  SF = 1 << 7, // sign
  TF = 1 << 8, // trap (single-step)
  IF = 1 << 9, // interrupt enable
  DF = 1 << 10, // direction
  OF = 1 << 11, // overflow
  IOPL = 3 << 12, // I/O privilege level (2 bits)
  NT = 1 << 14, // nested task
  RF = 1 << 16, // resume
  VM = 1 << 17, // virtual-8086 mode
  AC = 1 << 18, // alignment check
  VIF = 1 << 19, // virtual interrupt flag
  VIP = 1 << 20, // virtual interrupt pending
  ID = 1 << 21, // CPUID available
  /** The six arithmetic status flags. */
  STATUS = CF | PF | AF | ZF | SF | OF,
}
export const CF: number = Fl.CF, FIXED: number = Fl.FIXED, PF: number = Fl.PF, AF: number = Fl.AF,
  ZF: number = Fl.ZF, SF: number = Fl.SF, TF: number = Fl.TF, IF: number = Fl.IF, DF: number = Fl.DF,
  OF: number = Fl.OF, IOPL: number = Fl.IOPL, NT: number = Fl.NT, RF: number = Fl.RF, VM: number = Fl.VM,
  AC: number = Fl.AC, VIF: number = Fl.VIF, VIP: number = Fl.VIP, ID: number = Fl.ID;
export const STATUS_FLAGS: number = Fl.STATUS;

/** RFLAGS of a freshly exec'd user process: IF and the reserved bit 1 (start_thread() in Linux). */
export const RFLAGS_INIT: number = Fl.IF | Fl.FIXED; // 0x202

/** Register numbers in the encoding order of ModRM.reg / ModRM.rm / opcode+r, with REX.R/B as bit 3; rip's slot in lo/hi. */
export const enum Reg {
  RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7,
  R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15,
  /** Where rip is kept in `lo` / `hi` (not a general-purpose register: get(16) is an error). */
  RIP = 16,
}
export const RAX: number = Reg.RAX, RCX: number = Reg.RCX, RDX: number = Reg.RDX, RBX: number = Reg.RBX,
  RSP: number = Reg.RSP, RBP: number = Reg.RBP, RSI: number = Reg.RSI, RDI: number = Reg.RDI,
  R8: number = Reg.R8, R9: number = Reg.R9, R10: number = Reg.R10, R11: number = Reg.R11,
  R12: number = Reg.R12, R13: number = Reg.R13, R14: number = Reg.R14, R15: number = Reg.R15, RIP: number = Reg.RIP;

/** 64-bit register names by encoding number. */
export const REG64_NAMES = [
  "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
  "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
] as const;
export type Reg64Name = (typeof REG64_NAMES)[number];

/** Initial values for `new X86Regs({...})`; what is not given is 0 (rflags 0x202, orig_rax -1). */
export type X86RegsInit = Partial<Record<Reg64Name | "rip" | "orig_rax", bigint>> & { rflags?: number };
/** 32-bit register names by encoding number. */
export const REG32_NAMES: readonly string[] = [
  "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
  "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d",
];
/** 16-bit register names by encoding number. */
export const REG16_NAMES: readonly string[] = [
  "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
  "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w",
];

const TWO32 = 4294967296;

/** The unsigned 64-bit value of int32 halves. */
export function big(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

function checkGpr(n: number, what: string): void {
  if (!(n >= 0 && n < 16 && Number.isInteger(n))) throw new RangeError(`X86Regs.${what}: register ${n}`);
}

export class X86Regs {
  /** Bits 31:0 of rax..r15 (encoding order), then rip at index RIP, as int32. */
  readonly lo = new Int32Array(17);
  /** Bits 63:32, same layout. */
  readonly hi = new Int32Array(17);
  /** RFLAGS; bit 1 is kept set by the CPU and by the setter. */
  private _rflags: number = Fl.IF | Fl.FIXED;
  /**
   * rax at system-call entry (user_regs_struct.orig_rax): the syscall number the kernel dispatched,
   * -1n outside a system call. The CPU interpreter never touches it; the syscall entry code sets it.
   */
  orig_rax = -1n;

  constructor(init?: X86RegsInit) {
    if (!init) return;
    for (const [k, v] of Object.entries(init)) {
      if (v === undefined) continue;
      if (k === "rflags") this.rflags = v as number;
      else if (k === "rip") this.rip = v as bigint;
      else if (k === "orig_rax") this.orig_rax = v as bigint;
      else {
        const n = (REG64_NAMES as readonly string[]).indexOf(k);
        if (n < 0) throw new Error(`X86Regs: unknown register ${k}`);
        this.set(n, v as bigint);
      }
    }
  }

  get rflags(): number {
    return this._rflags;
  }
  /** Stores the low 32 bits with the reserved bit 1 forced on (it reads as 1 on every x86 CPU). */
  set rflags(v: number) {
    this._rflags = (v | Fl.FIXED) >>> 0;
  }

  /** Register `n` (0..15, encoding order) as an unsigned 64-bit value. */
  get(n: number): bigint {
    checkGpr(n, "get");
    return big(this.lo[n]!, this.hi[n]!);
  }
  /** Sets register `n` (0..15) to `v` modulo 2^64. */
  set(n: number, v: bigint): void {
    checkGpr(n, "set");
    this.setRaw(n, v);
  }
  private setRaw(n: number, v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.lo[n] = Number(u & 0xffffffffn) | 0;
    this.hi[n] = Number(u >> 32n) | 0;
  }

  /** Reads the low `size` bits of register `n`: the value an instruction with that operand size sees. */
  read(n: number, size: 16 | 32 | 64): bigint {
    const v = this.get(n);
    return size === 64 ? v : BigInt.asUintN(size, v);
  }
  /**
   * Writes a register the way an instruction of operand size `size` does (Intel SDM vol. 1,
   * 3.4.1.1): a 64-bit write replaces the register, a 32-bit write zero-extends into bits 63:32,
   * a 16-bit write leaves bits 63:16 unchanged.
   */
  write(n: number, size: 16 | 32 | 64, v: bigint): void {
    if (size === 64) this.set(n, v);
    else if (size === 32) this.set(n, BigInt.asUintN(32, v));
    else this.set(n, (this.get(n) & ~0xffffn) | BigInt.asUintN(16, v));
  }

  /**
   * Register `n` (0..15) as the canonical word of its 64 bits (a number within +-2^53, else a
   * bigint): what a system call takes and returns.
   */
  word(n: number): Word {
    checkGpr(n, "word");
    const v = this.hi[n]! * TWO32 + (this.lo[n]! >>> 0);
    return Number.isSafeInteger(v) ? v : wordOfBits(big(this.lo[n]!, this.hi[n]!));
  }
  /** Sets register `n` (0..15) to a word: a system call's result or argument. */
  setWord(n: number, w: Word): void {
    if (typeof w === "number") this.setNum(n, w);
    else this.set(n, w);
  }

  /** Register `n` (0..15) as a signed 64-bit value in a JS number, exact within +-2^53: an address. */
  num(n: number): number {
    checkGpr(n, "num");
    return this.hi[n]! * TWO32 + (this.lo[n]! >>> 0);
  }
  /** Sets register `n` (0..15) from a safe integer (a negative one as two's complement). */
  setNum(n: number, v: number): void {
    checkGpr(n, "setNum");
    if (!Number.isSafeInteger(v)) throw new RangeError(`X86Regs.setNum: ${v} is not a safe integer`);
    this.lo[n] = v | 0;
    this.hi[n] = Math.floor(v / TWO32) | 0;
  }

  /** Address of the next instruction, in [0, 2^64). */
  get rip(): bigint {
    return big(this.lo[Reg.RIP]!, this.hi[Reg.RIP]!);
  }
  set rip(v: bigint) {
    this.setRaw(Reg.RIP, v);
  }
  /** rip as a number: exact below 2^53, which every user address is (canonical lower half). */
  get ripNum(): number {
    return (this.hi[Reg.RIP]! >>> 0) * TWO32 + (this.lo[Reg.RIP]! >>> 0);
  }
  set ripNum(v: number) {
    if (!(Number.isSafeInteger(v) && v >= 0)) throw new RangeError(`X86Regs.ripNum: ${v}`);
    this.lo[Reg.RIP] = v | 0;
    this.hi[Reg.RIP] = Math.floor(v / TWO32) | 0;
  }

  clone(): X86Regs {
    const c = new X86Regs();
    c.copyFrom(this);
    return c;
  }
  /** Makes this a copy of `o` (fork, sigreturn, PTRACE_SETREGS of a whole set). */
  copyFrom(o: X86Regs): void {
    this.lo.set(o.lo);
    this.hi.set(o.hi);
    this._rflags = o._rflags;
    this.orig_rax = o.orig_rax;
  }

  get rax(): bigint { return this.get(Reg.RAX); }
  set rax(v: bigint) { this.set(Reg.RAX, v); }
  get rcx(): bigint { return this.get(Reg.RCX); }
  set rcx(v: bigint) { this.set(Reg.RCX, v); }
  get rdx(): bigint { return this.get(Reg.RDX); }
  set rdx(v: bigint) { this.set(Reg.RDX, v); }
  get rbx(): bigint { return this.get(Reg.RBX); }
  set rbx(v: bigint) { this.set(Reg.RBX, v); }
  get rsp(): bigint { return this.get(Reg.RSP); }
  set rsp(v: bigint) { this.set(Reg.RSP, v); }
  get rbp(): bigint { return this.get(Reg.RBP); }
  set rbp(v: bigint) { this.set(Reg.RBP, v); }
  get rsi(): bigint { return this.get(Reg.RSI); }
  set rsi(v: bigint) { this.set(Reg.RSI, v); }
  get rdi(): bigint { return this.get(Reg.RDI); }
  set rdi(v: bigint) { this.set(Reg.RDI, v); }
  get r8(): bigint { return this.get(Reg.R8); }
  set r8(v: bigint) { this.set(Reg.R8, v); }
  get r9(): bigint { return this.get(Reg.R9); }
  set r9(v: bigint) { this.set(Reg.R9, v); }
  get r10(): bigint { return this.get(Reg.R10); }
  set r10(v: bigint) { this.set(Reg.R10, v); }
  get r11(): bigint { return this.get(Reg.R11); }
  set r11(v: bigint) { this.set(Reg.R11, v); }
  get r12(): bigint { return this.get(Reg.R12); }
  set r12(v: bigint) { this.set(Reg.R12, v); }
  get r13(): bigint { return this.get(Reg.R13); }
  set r13(v: bigint) { this.set(Reg.R13, v); }
  get r14(): bigint { return this.get(Reg.R14); }
  set r14(v: bigint) { this.set(Reg.R14, v); }
  get r15(): bigint { return this.get(Reg.R15); }
  set r15(v: bigint) { this.set(Reg.R15, v); }
}
