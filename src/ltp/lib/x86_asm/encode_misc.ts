/** System and miscellaneous instructions: those without operands (syscall, int3, hlt, ret...) and nop. */
import { AsmError } from "./asm_error.js";
import { Enc, opSize, wantOperands, type Encoded } from "./encoding.js";
import type { Ctx } from "./expressions.js";
import { SIMPLE } from "./mnemonics.js";
import { isRM } from "./operands.js";
import type { Insn } from "./statements.js";

/** `nop` is 90; `nop r/m` the multi-byte 0F 1F /0. */
export function encodeMisc(st: Insn, ctx: Ctx): Encoded {
  const { mnemonic: mn, ops, line } = st;
  const simple = SIMPLE[mn];
  if (simple) {
    wantOperands(st, 0);
    return { bytes: simple };
  }
  if (ops.length === 0) return { bytes: [0x90] };
  wantOperands(st, 1);
  const o = ops[0]!;
  if (!isRM(o)) throw new AsmError(line, `nop takes a register or memory operand`);
  const e = new Enc(ctx);
  e.size(opSize(o, undefined, line));
  e.op.push(0x0f, 0x1f);
  e.modrm(0, o);
  return e.done();
}
