/**
 * Data transfer: mov, movabs, lea, push and pop, in the forms GNU as picks by default:
 *   - reg, reg:     the "r/m, reg" opcode 89; the pseudo-prefix {load} picks the "reg, r/m"
 *                   one (8B), {store} the default.
 *   - mov r64, imm: REX.W C7 /0 imm32 when the value fits a sign-extended imm32
 *                   (`mov rax, 39` -> 48 C7 C0 27 00 00 00, 7 bytes), else REX.W B8+r imm64
 *                   (movabs). `mov eax, 39` is B8 27 00 00 00 (a 32-bit write zero-extends);
 *                   `movabs` always takes the imm64 form.
 *   - push imm:     6A ib when the value fits a sign-extended byte, else 68 id (sign-extended to 64
 *                   bits, so `push 0xffffffff` is refused, as GNU as does).
 */
import { AsmError } from "./asm_error.js";
import { Enc, fitsS, immValue, le, opSize, refuseLabel, wantOperands, type Encoded } from "./encoding.js";
import { hasLabel, type Ctx } from "./expressions.js";
import { isRM, type ImmOp, type MemOp, type Opnd, type RegOp } from "./operands.js";
import type { Insn } from "./statements.js";

export function encodeMove(st: Insn, ctx: Ctx): Encoded {
  switch (st.mnemonic) {
    case "push":
    case "pop": return encodePushPop(st, ctx);
    case "lea": return encodeLea(st, ctx);
    default: return encodeMov(st, ctx);
  }
}

function encodePushPop(st: Insn, ctx: Ctx): Encoded {
  const { mnemonic: mn, ops, line } = st;
  const e = new Enc(ctx);
  wantOperands(st, 1);
  const o = ops[0]!;
  if (o.kind === "reg") {
    if (o.size !== 64) throw new AsmError(line, `${mn} takes a 64-bit register`);
    e.regBits("b", o.reg);
    e.op.push((mn === "push" ? 0x50 : 0x58) + (o.reg & 7));
    return e.done();
  }
  if (o.kind === "mem" && mn === "push") {
    if (o.size !== null && o.size !== 64) throw new AsmError(line, `push takes a qword memory operand`);
    e.op.push(0xff);
    e.modrm(6, o);
    return e.done();
  }
  if (o.kind === "imm" && mn === "push") {
    // 6A ib / 68 id, sign-extended to 64 bits (push 0xffffffff cannot be encoded)
    refuseLabel(st, o);
    const v = immValue(o, 64, ctx);
    if (!hasLabel(o.expr) && fitsS(v, 8)) return { bytes: [0x6a, ...le(v, 1)] };
    if (ctx.final && !fitsS(v, 32)) throw new AsmError(line, `immediate does not fit a sign-extended imm32`);
    return { bytes: [0x68, ...le(v, 4)] };
  }
  throw new AsmError(line, `unsupported operand for ${mn}`);
}

function encodeLea(st: Insn, ctx: Ctx): Encoded {
  wantOperands(st, 2);
  const [d, s] = st.ops as [Opnd, Opnd];
  if (d.kind !== "reg" || s.kind !== "mem") throw new AsmError(st.line, `lea takes a register and a memory operand`);
  const e = new Enc(ctx);
  e.size(d.size);
  e.op.push(0x8d);
  e.modrm(d.reg, s);
  return e.done();
}

function encodeMov(st: Insn, ctx: Ctx): Encoded {
  wantOperands(st, 2);
  const [d, s] = st.ops as [Opnd, Opnd];
  if (st.mnemonic === "movabs") return encodeMovabs(st, ctx, d, s);
  if (!isRM(d)) throw new AsmError(st.line, `bad destination for mov`);
  if (s.kind === "imm") return encodeMovImm(st, ctx, d, s);
  const e = new Enc(ctx);
  const size = opSize(d, s, st.line);
  e.size(size);
  if (d.kind === "reg" && (s.kind === "mem" || st.load)) {
    e.op.push(0x8b);
    e.modrm(d.reg, s as RegOp | MemOp);
  } else {
    if (s.kind !== "reg") throw new AsmError(st.line, `mov cannot move memory to memory`);
    e.op.push(0x89);
    e.modrm(s.reg, d);
  }
  return e.done();
}

function encodeMovabs(st: Insn, ctx: Ctx, d: Opnd, s: Opnd): Encoded {
  if (d.kind !== "reg" || d.size !== 64 || s.kind !== "imm") throw new AsmError(st.line, `movabs takes a 64-bit register and an immediate`);
  refuseLabel(st, s);
  const e = new Enc(ctx);
  e.size(64);
  e.regBits("b", d.reg);
  e.op.push(0xb8 + (d.reg & 7));
  e.imm.push(...le(immValue(s, 64, ctx), 8));
  return e.done();
}

function encodeMovImm(st: Insn, ctx: Ctx, d: RegOp | MemOp, s: ImmOp): Encoded {
  refuseLabel(st, s);
  const size = opSize(d, undefined, st.line);
  const v = immValue(s, size, ctx);
  const e = new Enc(ctx);
  e.size(size);
  if (d.kind === "reg" && (size !== 64 || (!hasLabel(s.expr) ? !fitsS(v, 32) : true))) {
    // B8+r: imm16 / imm32 (zero-extended) / imm64 (REX.W from e.size)
    e.regBits("b", d.reg);
    e.op.push(0xb8 + (d.reg & 7));
    e.imm.push(...le(v, size / 8));
    return e.done();
  }
  if (size === 64 && ctx.final && !fitsS(v, 32)) throw new AsmError(st.line, `immediate does not fit a sign-extended imm32`);
  e.op.push(0xc7);
  e.modrm(0, d);
  e.imm.push(...le(v, size === 16 ? 2 : 4));
  return e.done();
}
