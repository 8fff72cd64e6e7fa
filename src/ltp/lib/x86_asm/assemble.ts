/**
 * A tiny x86-64 assembler, so a testcase can write the machine code it single-steps as text:
 *
 *     const code = assemble(`
 *         mov rcx, 3
 *     loop:
 *         dec rcx
 *         jnz loop          ; rel8 when it fits, else rel32
 *         mov rax, 39       ; getpid
 *         syscall
 *         int3
 *     `, 0x400000n);
 *
 * Intel syntax as GNU as reads it after `.intel_syntax noprefix`, for the instruction subset the
 * emulated CPU runs (src/linux/arch/x86/cpu). The encodings are the ones GNU as 2.40 picks by
 * default (no -O), checked byte for byte in test/cpu.test.ts; each instruction family's encoder
 * (encode_alu.ts, encode_move.ts, encode_branch.ts, encode_misc.ts) says which it picks, and
 * encoding.ts how memory operands are encoded.
 * Labels: `name:` (alone or before a statement); `[rip+name]` addresses a label RIP-relatively
 * (`[rip+0x10]` is a plain displacement, as in GNU as); `offset name` is a label's address as an
 * immediate (a bare label outside a branch is refused: GNU as would read it as a memory operand).
 * An immediate or displacement that names a label takes the size that fits any address (imm32,
 * imm64 for mov r64, disp32), so only branches change size between passes.
 * Data: `db 0x0f, 0x0b`, `db "text", 10`, `dw`, `dd`, `dq` (dq accepts labels).
 * Comments: from `;` or `#` to the end of the line. Mnemonics and registers are case-insensitive,
 * labels are not. Anything else throws an AsmError naming the line: this runs when a testcase is
 * written, not when the code runs.
 *
 * Self-contained on purpose (no import of the emulated CPU), so decoding its output is an
 * independent check of both.
 *
 * This file lays the program out; parser.ts reads the source into statements, encode.ts turns
 * each statement into bytes.
 */
import { encodeStmt } from "./encode.js";
import { fitsS } from "./encoding.js";
import { evalExpr } from "./expressions.js";
import type { ImmOp } from "./operands.js";
import { parse, type Parsed } from "./parser.js";
import type { Stmt } from "./statements.js";

export { AsmError } from "./asm_error.js";

export interface AsmListingLine {
  line: number;
  addr: bigint;
  bytes: Uint8Array;
}

export interface AsmProgram {
  bytes: Uint8Array;
  base: bigint;
  labels: Map<string, bigint>;
  listing: AsmListingLine[];
}

/** One pass's result: the labels' addresses it found, each statement's address and bytes. */
interface Layout {
  labels: Map<string, bigint>;
  addrs: bigint[];
  bytes: number[][];
}

/** One pass: every statement encoded at its address, with the labels of the pass before. */
function layout(prog: Parsed, base: bigint, long: readonly boolean[], labels: Map<string, bigint>, final: boolean): Layout {
  const { stmts, labelsAt } = prog;
  const next = new Map<string, bigint>();
  const addrs: bigint[] = [];
  const bytes: number[][] = [];
  let pc = base;
  let li = 0;
  for (let i = 0; i <= stmts.length; i++) {
    while (li < labelsAt.length && labelsAt[li]!.index === i) next.set(labelsAt[li++]!.name, pc);
    if (i === stmts.length) break;
    const st = stmts[i]!;
    addrs.push(pc);
    const b = encodeStmt(st, { addr: pc, labels, final, line: st.line }, long[i]!);
    bytes.push(b);
    pc += BigInt(b.length);
  }
  return { labels: next, addrs, bytes };
}

/** Marks long (rel32) each short branch whose target is out of rel8 reach; whether any was. */
function lengthenBranches(stmts: readonly Stmt[], long: boolean[], labels: Map<string, bigint>, addrs: readonly bigint[]): boolean {
  let changed = false;
  stmts.forEach((st, i) => {
    if (st.kind !== "insn" || !st.relax || long[i]) return;
    const o = st.ops[0] as ImmOp;
    const known = o.expr.every((t) => t.label === undefined || labels.has(t.label));
    if (!known) return; // reported as undefined in the final pass
    const target = evalExpr(o.expr, { addr: addrs[i]!, labels, final: false, line: st.line });
    if (!fitsS(target - (addrs[i]! + 2n), 8)) {
      long[i] = true;
      changed = true;
    }
  });
  return changed;
}

/**
 * Relaxation: lay out with the current branch sizes and labels until neither changes (all
 * branches short at first, then lengthen what does not fit). Returns the labels; `long`
 * ends up marking the branches that need rel32.
 */
function relax(prog: Parsed, base: bigint, long: boolean[]): Map<string, bigint> {
  let labels = new Map<string, bigint>();
  for (let pass = 0; ; pass++) {
    const { labels: next, addrs } = layout(prog, base, long, labels, false);
    let changed = pass === 0 || [...next].some(([k, v]) => labels.get(k) !== v);
    labels = next;
    if (lengthenBranches(prog.stmts, long, labels, addrs)) changed = true;
    if (!changed) return labels;
    if (pass > prog.stmts.length + 2) throw new Error("x86_asm: relaxation did not converge");
  }
}

/** Assembles `src` for loading at `base`, with the address of every label and a listing. */
export function assembleProgram(src: string, base = 0n): AsmProgram {
  const prog = parse(src);
  const long = prog.stmts.map(() => false);
  const labels = relax(prog, base, long);
  const { addrs, bytes: out } = layout(prog, base, long, labels, true);
  const listing: AsmListingLine[] = prog.stmts.map((st, i) => ({ line: st.line, addr: addrs[i]!, bytes: Uint8Array.from(out[i]!) }));
  const bytes = Uint8Array.from(out.flat());
  return { bytes, base, labels, listing };
}

/** Assembles `src` (Intel syntax) for loading at `base` (default 0) into machine code. */
export function assemble(src: string, base: bigint = 0n): Uint8Array {
  return assembleProgram(src, base).bytes;
}
