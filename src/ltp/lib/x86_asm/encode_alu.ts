/**
 * Arithmetic and logic: add, or, adc, sbb, and, sub, xor, cmp, test, inc and dec, in the forms
 * GNU as picks by default:
 *   - reg, reg:     the "r/m, reg" opcode (01, 29 ...); the pseudo-prefix {load} picks the
 *                   "reg, r/m" one (03, 2B ...), {store} the default.
 *   - ALU r/m, imm: 83 /n imm8 when the value fits a sign-extended byte, else the short
 *                   accumulator form (05, 2D ...) for rax/eax/ax, else 81 /n imm32 (imm16 for 16-bit).
 *   - test r/m, imm: A9 for the accumulator, else F7 /0.
 */
import { AsmError } from "./asm_error.js";
import { Enc, fitsS, immValue, le, opSize, refuseLabel, wantOperands, type Encoded } from "./encoding.js";
import { hasLabel, type Ctx } from "./expressions.js";
import { ALU } from "./mnemonics.js";
import { isRM, type ImmOp, type MemOp, type Opnd, type RegOp } from "./operands.js";
import type { Insn } from "./statements.js";

export function encodeAlu(st: Insn, ctx: Ctx): Encoded {
  const { mnemonic: mn, ops, line } = st;
  if (mn === "inc" || mn === "dec") return encodeIncDec(st, ctx);
  wantOperands(st, 2);
  const [d, s] = ops as [Opnd, Opnd];
  if (!isRM(d)) throw new AsmError(line, `bad destination for ${mn}`);
  if (s.kind === "imm") return encodeAluImm(st, ctx, d, s);
  const e = new Enc(ctx);
  const size = opSize(d, s, line);
  e.size(size);
  if (mn === "test") {
    // 85 /r: TEST r/m, reg (either order in the source)
    const [rm, r] = d.kind === "reg" && s.kind === "mem" ? [s, d] : [d, s];
    if (r.kind !== "reg") throw new AsmError(line, `test needs a register operand`);
    e.op.push(0x85);
    e.modrm(r.reg, rm);
    return e.done();
  }
  const n = ALU[mn]!;
  if (d.kind === "reg" && (s.kind === "mem" || st.load)) {
    e.op.push((n << 3) | 3);
    e.modrm(d.reg, s as RegOp | MemOp);
  } else {
    if (s.kind !== "reg") throw new AsmError(line, `${mn} cannot take two memory operands`);
    e.op.push((n << 3) | 1);
    e.modrm(s.reg, d);
  }
  return e.done();
}

function encodeAluImm(st: Insn, ctx: Ctx, d: RegOp | MemOp, s: ImmOp): Encoded {
  const mn = st.mnemonic;
  const n = ALU[mn] ?? -1;
  refuseLabel(st, s);
  const size = opSize(d, undefined, st.line);
  const v = immValue(s, size, ctx);
  const labelled = hasLabel(s.expr);
  if (size === 64 && ctx.final && !fitsS(v, 32)) throw new AsmError(st.line, `immediate does not fit a sign-extended imm32`);
  const e = new Enc(ctx);
  e.size(size);
  const immN = size === 16 ? 2 : 4;
  const acc = d.kind === "reg" && d.reg === 0;
  if (mn !== "test" && !labelled && fitsS(v, 8)) {
    e.op.push(0x83);
    e.modrm(n, d);
    e.imm.push(...le(v, 1));
  } else if (acc) {
    e.op.push(mn === "test" ? 0xa9 : (n << 3) | 5);
    e.imm.push(...le(v, immN));
  } else {
    e.op.push(mn === "test" ? 0xf7 : 0x81);
    e.modrm(mn === "test" ? 0 : n, d);
    e.imm.push(...le(v, immN));
  }
  return e.done();
}

/** inc/dec r/m: FF /0 and FF /1 (40-4F are REX prefixes in 64-bit mode). */
function encodeIncDec(st: Insn, ctx: Ctx): Encoded {
  wantOperands(st, 1);
  const o = st.ops[0]!;
  if (!isRM(o)) throw new AsmError(st.line, `${st.mnemonic} takes a register or memory operand`);
  const e = new Enc(ctx);
  e.size(opSize(o, undefined, st.line));
  e.op.push(0xff);
  e.modrm(st.mnemonic === "inc" ? 0 : 1, o);
  return e.done();
}
