/**
 * The encoder: a statement into bytes. Instructions go to their family's encoder; data
 * directives are their values; a RIP-relative label is patched once the length is known.
 */
import { AsmError } from "./asm_error.js";
import { encodeAlu } from "./encode_alu.js";
import { encodeBranch } from "./encode_branch.js";
import { encodeMisc } from "./encode_misc.js";
import { encodeMove } from "./encode_move.js";
import { fitsS, le, type Encoded } from "./encoding.js";
import { evalExpr, type Ctx } from "./expressions.js";
import { familyOf } from "./mnemonics.js";
import type { DataStmt, Insn, Stmt } from "./statements.js";

/** Encodes one instruction; `long` selects rel32 for a relaxable branch. */
function encodeInsn(st: Insn, ctx: Ctx, long: boolean): Encoded {
  switch (familyOf(st.mnemonic)) {
    case "misc": return encodeMisc(st, ctx);
    case "move": return encodeMove(st, ctx);
    case "alu": return encodeAlu(st, ctx);
    case "branch": return encodeBranch(st, ctx, long);
    default: throw new AsmError(st.line, `unknown mnemonic '${st.mnemonic}'`);
  }
}

function encodeData(st: DataStmt, ctx: Ctx): number[] {
  const out: number[] = [];
  for (const it of st.items) {
    if ("str" in it) {
      out.push(...it.str);
      continue;
    }
    const v = evalExpr(it.expr, ctx);
    const bits = st.width * 8;
    if (ctx.final && !(v >= -(1n << BigInt(bits - 1)) && v < 1n << BigInt(bits))) {
      throw new AsmError(st.line, `value ${v} does not fit ${bits} bits`);
    }
    out.push(...le(v, st.width));
  }
  return out;
}

/** The bytes of a statement at ctx.addr; `long` selects rel32 for a relaxable branch. */
export function encodeStmt(st: Stmt, ctx: Ctx, long: boolean): number[] {
  if (st.kind === "data") return encodeData(st, ctx);
  const enc = encodeInsn(st, ctx, long);
  if (enc.ripTarget) {
    const end = ctx.addr + BigInt(enc.bytes.length);
    const disp = enc.ripTarget.target - end;
    if (ctx.final && !fitsS(disp, 32)) throw new AsmError(st.line, `rip-relative target out of range`);
    enc.bytes.splice(enc.ripTarget.pos, 4, ...le(disp, 4));
  }
  return enc.bytes;
}
