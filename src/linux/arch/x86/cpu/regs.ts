/**
 * The user-visible register state of an x86-64 thread: what the CPU interpreter reads and writes,
 * and what ptrace(PTRACE_GETREGS) will show (the integer part of struct user_regs_struct,
 * arch/x86/include/uapi/asm/ptrace.h). Segment registers and fs_base/gs_base are not modelled.
 *
 * General-purpose registers are unsigned 64-bit BigInts (every setter reduces modulo 2^64);
 * RFLAGS is a number (the architecturally defined bits all lie below bit 22).
 */

/* RFLAGS bits (Intel SDM vol. 1, 3.4.3 "EFLAGS Register"; arch/x86/include/uapi/asm/processor-flags.h). */
export const CF = 1 << 0; // carry
export const FIXED = 1 << 1; // reserved, always 1
export const PF = 1 << 2; // parity (of the low 8 bits of a result)
export const AF = 1 << 4; // auxiliary carry (out of bit 3)
export const ZF = 1 << 6; // zero
export const SF = 1 << 7; // sign
export const TF = 1 << 8; // trap (single-step)
export const IF = 1 << 9; // interrupt enable
export const DF = 1 << 10; // direction
export const OF = 1 << 11; // overflow
export const IOPL = 3 << 12; // I/O privilege level (2 bits)
export const NT = 1 << 14; // nested task
export const RF = 1 << 16; // resume
export const VM = 1 << 17; // virtual-8086 mode
export const AC = 1 << 18; // alignment check
export const VIF = 1 << 19; // virtual interrupt flag
export const VIP = 1 << 20; // virtual interrupt pending
export const ID = 1 << 21; // CPUID available

/** The six arithmetic status flags. */
export const STATUS_FLAGS = CF | PF | AF | ZF | SF | OF;

/** RFLAGS of a freshly exec'd user process: IF and the reserved bit 1 (start_thread() in Linux). */
export const RFLAGS_INIT = IF | FIXED; // 0x202

/** Register numbers in the encoding order of ModRM.reg / ModRM.rm / opcode+r, with REX.R/B as bit 3. */
export const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7,
  R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;

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

const M64 = (1n << 64n) - 1n;

export class X86Regs {
  /** GPRs by encoding number (0 = rax ... 15 = r15), each in [0, 2^64). */
  readonly gpr: bigint[];
  /** Address of the next instruction, in [0, 2^64). */
  rip: bigint;
  /** RFLAGS; bit 1 is kept set by the CPU and by the setter of this class. */
  private _rflags: number;
  /**
   * rax at system-call entry (user_regs_struct.orig_rax): the syscall number the kernel dispatched,
   * -1n outside a system call. The CPU interpreter never touches it; the syscall entry code sets it.
   */
  orig_rax: bigint;

  constructor(init?: X86RegsInit) {
    this.gpr = new Array<bigint>(16).fill(0n);
    this.rip = 0n;
    this._rflags = RFLAGS_INIT;
    this.orig_rax = -1n;
    if (init) {
      for (const [k, v] of Object.entries(init)) {
        if (v === undefined) continue;
        if (k === "rflags") this.rflags = v as number;
        else if (k === "rip") this.rip = BigInt.asUintN(64, v as bigint);
        else if (k === "orig_rax") this.orig_rax = v as bigint;
        else {
          const n = (REG64_NAMES as readonly string[]).indexOf(k);
          if (n < 0) throw new Error(`X86Regs: unknown register ${k}`);
          this.set(n, v as bigint);
        }
      }
    }
  }

  get rflags(): number {
    return this._rflags;
  }
  /** Stores the low 32 bits with the reserved bit 1 forced on (it reads as 1 on every x86 CPU). */
  set rflags(v: number) {
    this._rflags = ((v | FIXED) >>> 0);
  }

  /** Register `n` (0..15, encoding order) as an unsigned 64-bit value. */
  get(n: number): bigint {
    const v = this.gpr[n];
    if (v === undefined) throw new RangeError(`X86Regs.get: register ${n}`);
    return v;
  }
  /** Sets register `n` (0..15) to `v` modulo 2^64. */
  set(n: number, v: bigint): void {
    if (!(n >= 0 && n < 16 && Number.isInteger(n))) throw new RangeError(`X86Regs.set: register ${n}`);
    this.gpr[n] = v & M64;
  }

  /**
   * Reads the low `size` bits of register `n`: the value an instruction with that operand size sees.
   */
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

  clone(): X86Regs {
    const c = new X86Regs();
    for (let i = 0; i < 16; i++) c.gpr[i] = this.gpr[i]!;
    c.rip = this.rip;
    c._rflags = this._rflags;
    c.orig_rax = this.orig_rax;
    return c;
  }

  get rax(): bigint { return this.gpr[RAX]!; }
  set rax(v: bigint) { this.set(RAX, v); }
  get rcx(): bigint { return this.gpr[RCX]!; }
  set rcx(v: bigint) { this.set(RCX, v); }
  get rdx(): bigint { return this.gpr[RDX]!; }
  set rdx(v: bigint) { this.set(RDX, v); }
  get rbx(): bigint { return this.gpr[RBX]!; }
  set rbx(v: bigint) { this.set(RBX, v); }
  get rsp(): bigint { return this.gpr[RSP]!; }
  set rsp(v: bigint) { this.set(RSP, v); }
  get rbp(): bigint { return this.gpr[RBP]!; }
  set rbp(v: bigint) { this.set(RBP, v); }
  get rsi(): bigint { return this.gpr[RSI]!; }
  set rsi(v: bigint) { this.set(RSI, v); }
  get rdi(): bigint { return this.gpr[RDI]!; }
  set rdi(v: bigint) { this.set(RDI, v); }
  get r8(): bigint { return this.gpr[R8]!; }
  set r8(v: bigint) { this.set(R8, v); }
  get r9(): bigint { return this.gpr[R9]!; }
  set r9(v: bigint) { this.set(R9, v); }
  get r10(): bigint { return this.gpr[R10]!; }
  set r10(v: bigint) { this.set(R10, v); }
  get r11(): bigint { return this.gpr[R11]!; }
  set r11(v: bigint) { this.set(R11, v); }
  get r12(): bigint { return this.gpr[R12]!; }
  set r12(v: bigint) { this.set(R12, v); }
  get r13(): bigint { return this.gpr[R13]!; }
  set r13(v: bigint) { this.set(R13, v); }
  get r14(): bigint { return this.gpr[R14]!; }
  set r14(v: bigint) { this.set(R14, v); }
  get r15(): bigint { return this.gpr[R15]!; }
  set r15(v: bigint) { this.set(R15, v); }
}
