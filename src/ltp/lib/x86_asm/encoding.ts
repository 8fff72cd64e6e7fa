/**
 * What every instruction family's encoder builds with: legacy prefixes, REX, the opcode,
 * ModRM with SIB and displacement, the immediate; and the checks they share. Memory operands
 * take the forms GNU as picks: no displacement when it is 0 (except for rbp/r13 bases, which
 * need disp8 0), disp8 when it fits, else disp32; rsp/r12 bases take a SIB byte; an absolute
 * address [0x1000] is SIB-encoded (mod 00 rm 101 means RIP-relative in 64-bit).
 */
import { AsmError } from "./asm_error.js";
import { evalExpr, hasLabel, type Ctx } from "./expressions.js";
import type { ImmOp, MemOp, Opnd, RegOp } from "./operands.js";
import type { Size } from "./registers.js";
import type { Insn } from "./statements.js";

export function fitsS(v: bigint, bits: number): boolean {
  return v >= -(1n << BigInt(bits - 1)) && v < 1n << BigInt(bits - 1);
}

/** `v` as `bytes` little-endian bytes. */
export function le(v: bigint, bytes: number): number[] {
  const out: number[] = [];
  const u = BigInt.asUintN(bytes * 8, v);
  for (let i = 0; i < bytes; i++) out.push(Number((u >> BigInt(8 * i)) & 0xffn));
  return out;
}

/** The value of an immediate for an operand of `size` bits: in [-2^(size-1), 2^size), returned signed. */
export function immValue(op: ImmOp, size: Size, ctx: Ctx): bigint {
  const v = evalExpr(op.expr, ctx);
  if (ctx.final && !(v >= -(1n << BigInt(size - 1)) && v < 1n << BigInt(size))) {
    throw new AsmError(ctx.line, `immediate ${v} does not fit ${size} bits`);
  }
  return BigInt.asIntN(size, v);
}

/** The operand size of an instruction from its register or sized memory operands. */
export function opSize(a: RegOp | MemOp, b: Opnd | undefined, line: number): Size {
  const sa = a.kind === "reg" ? a.size : a.size;
  const sb = b && b.kind === "reg" ? b.size : b && b.kind === "mem" ? b.size : null;
  if (sa !== null && sb !== null && sa !== sb) throw new AsmError(line, `operand size mismatch`);
  const s = sa ?? sb;
  if (s === null) throw new AsmError(line, `operand size unknown: write qword/dword/word ptr`);
  return s;
}

/** Refuses an instruction with other than `n` operands. */
export function wantOperands(st: Insn, n: number): void {
  if (st.ops.length !== n) throw new AsmError(st.line, `${st.mnemonic} takes ${n} operand${n === 1 ? "" : "s"}`);
}

/** Refuses a bare label as an immediate: GNU as would read it as a memory operand. */
export function refuseLabel(st: Insn, o: ImmOp): void {
  if (hasLabel(o.expr) && !o.offset) {
    throw new AsmError(st.line, `label in an operand of ${st.mnemonic}: write 'offset label' for its address or '[rip+label]' for memory`);
  }
}

export interface Encoded {
  bytes: number[];
  /** RIP-relative displacement to patch once the length is known: at `pos`, `target - end`. */
  ripTarget?: { pos: number; target: bigint };
}

/** One instruction's bytes as they are built: prefixes, REX, opcode, ModRM/SIB/disp, immediate. */
export class Enc {
  pre: number[] = []; // legacy prefixes
  rex = 0;
  op: number[] = [];
  tail: number[] = []; // modrm, sib, disp
  imm: number[] = [];
  ripTarget: bigint | null = null;
  ripPos = 0;

  constructor(readonly ctx: Ctx) {}

  size(s: Size): void {
    if (s === 16) this.pre.push(0x66);
    if (s === 64) this.rex |= 0x48;
  }

  regBits(field: "r" | "b", reg: number): void {
    if (reg & 8) this.rex |= field === "r" ? 0x44 : 0x41;
  }

  /** ModRM (+SIB +disp) with `regField` (a register number or a /digit) and r/m operand `rm`. */
  modrm(regField: number, rm: RegOp | MemOp): void {
    this.regBits("r", regField);
    if (rm.kind === "reg") {
      this.regBits("b", rm.reg);
      this.tail.push(0xc0 | ((regField & 7) << 3) | (rm.reg & 7));
      return;
    }
    const r = (regField & 7) << 3;
    const labelled = hasLabel(rm.disp);
    const disp = evalExpr(rm.disp, this.ctx);
    if (rm.rip) this.ripRelative(r, disp, labelled);
    else this.memory(r, rm, disp, labelled);
  }

  /** [rip + disp]: a label's displacement is patched once the instruction's end is known. */
  private ripRelative(r: number, disp: bigint, labelled: boolean): void {
    const ctx = this.ctx;
    this.tail.push(0x00 | r | 5);
    this.ripPos = this.tail.length;
    this.tail.push(0, 0, 0, 0);
    this.ripTarget = labelled ? disp : null;
    if (!labelled) {
      if (ctx.final && !fitsS(disp, 32)) throw new AsmError(ctx.line, `displacement ${disp} does not fit 32 bits`);
      this.tail.splice(this.ripPos, 4, ...le(disp, 4));
    }
  }

  /** [base + index*scale + disp], or an absolute [disp] without a base. */
  private memory(r: number, rm: MemOp, disp: bigint, labelled: boolean): void {
    const ctx = this.ctx;
    const d = labelled ? disp : BigInt.asIntN(64, disp);
    if (ctx.final && !fitsS(d, 32)) throw new AsmError(ctx.line, `displacement ${disp} does not fit 32 bits`);
    if (rm.base === null) {
      // SIB with base 101 and mod 00: disp32, no base
      const idx = rm.index ?? 4;
      if (idx & 8) this.rex |= 0x42;
      this.tail.push(0x04 | r, (Math.log2(rm.scale) << 6) | ((idx & 7) << 3) | 5, ...le(d, 4));
      return;
    }
    this.regBits("b", rm.base);
    let mod: number;
    let dispBytes: number[];
    if (!labelled && d === 0n && (rm.base & 7) !== 5) {
      mod = 0;
      dispBytes = [];
    } else if (!labelled && fitsS(d, 8)) {
      mod = 1;
      dispBytes = le(d, 1);
    } else {
      mod = 2;
      dispBytes = le(d, 4);
    }
    if (rm.index === null && (rm.base & 7) !== 4) {
      this.tail.push((mod << 6) | r | (rm.base & 7), ...dispBytes);
    } else {
      const idx = rm.index ?? 4;
      if (idx & 8) this.rex |= 0x42;
      this.tail.push((mod << 6) | r | 4, (Math.log2(rm.scale) << 6) | ((idx & 7) << 3) | (rm.base & 7), ...dispBytes);
    }
  }

  done(): Encoded {
    const bytes = [...this.pre, ...(this.rex ? [this.rex] : []), ...this.op, ...this.tail, ...this.imm];
    if (this.ripTarget !== null) {
      const pos = this.pre.length + (this.rex ? 1 : 0) + this.op.length + this.ripPos;
      return { bytes, ripTarget: { pos, target: this.ripTarget } };
    }
    return { bytes };
  }
}
