/**
 * Control flow: jmp, jcc and call. To a label or address, jmp/jcc are rel8 when the target is
 * within -128..127 of the next instruction, else rel32, as the layout's relaxation decides
 * (`long`); call is always E8 rel32. Through a register or memory: FF /4 (jmp), FF /2 (call).
 */
import { AsmError } from "./asm_error.js";
import { Enc, fitsS, le, wantOperands, type Encoded } from "./encoding.js";
import { evalExpr, type Ctx } from "./expressions.js";
import { CC } from "./mnemonics.js";
import type { Insn } from "./statements.js";

export function encodeBranch(st: Insn, ctx: Ctx, long: boolean): Encoded {
  const { mnemonic: mn, ops, line } = st;
  wantOperands(st, 1);
  const o = ops[0]!;
  if (o.kind === "imm") {
    if (o.offset) throw new AsmError(line, `${mn} takes a label or an address, not 'offset'`);
    const target = evalExpr(o.expr, ctx);
    const short = mn !== "call" && !long;
    const len = mn === "call" || mn === "jmp" ? (short ? 2 : 5) : short ? 2 : 6;
    const rel = target - (ctx.addr + BigInt(len));
    if (ctx.final && !fitsS(rel, short ? 8 : 32)) throw new AsmError(line, `branch target out of range`);
    const relBytes = le(rel, short ? 1 : 4);
    if (mn === "call") return { bytes: [0xe8, ...relBytes] };
    if (mn === "jmp") return { bytes: [short ? 0xeb : 0xe9, ...relBytes] };
    const cc = CC[mn]!;
    return { bytes: short ? [0x70 | cc, ...relBytes] : [0x0f, 0x80 | cc, ...relBytes] };
  }
  if (mn === "jmp" || mn === "call") {
    if (o.kind === "reg" && o.size !== 64) throw new AsmError(line, `${mn} takes a 64-bit register`);
    if (o.kind === "mem" && o.size !== null && o.size !== 64) throw new AsmError(line, `${mn} takes a qword memory operand`);
    const e = new Enc(ctx);
    e.op.push(0xff);
    e.modrm(mn === "call" ? 2 : 4, o);
    return e.done();
  }
  throw new AsmError(line, `${mn} takes a label or an address`);
}
