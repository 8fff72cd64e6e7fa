/**
 * Compiled blocks: a straight run of decoded instructions, from one the interpreter found hot up
 * to the first branch (or syscall, int3, int1, popf, the end of the page, an instruction that
 * always faults, or MAX_LEN instructions), turned into one JS function that calls each
 * instruction's handler with the instruction as a constant:
 *
 *     function block(c) { h0(c, i0); c.pos = 1; h1(c, i1); return h2(c, i2); }
 *
 * V8 optimizes each block on its own, so every call has a single target (the small handlers get
 * inlined), and the interpreter's work per instruction (the decoded-instruction lookup, the
 * dispatch, the TF check) goes away. The semantics stay the handlers': nothing here interprets an
 * instruction, and the generated text holds nothing but parameter names and small integers.
 *
 * Before an instruction that may fault, a block records its index in c.pos, so that when a
 * CpuFault comes out the run loop knows which instruction faulted (rip) and how many completed.
 * The run loop enters a block only when TF and RF are clear and its budget covers the whole
 * block, and the CPU compiles blocks only on code pages that are not writable, so no store can
 * change a block's instructions while it runs (self-modifying code stays in the interpreter).
 */
import { PARITY } from "./alu.js";
import { aluSource, mayFault } from "./execute.js";
import { Op, type CompiledBlock, type Insn } from "./insn.js";
import type { CpuCore } from "./core.js";

export const enum Jit {
  /** Interpreted runs of an instruction before a block is compiled from it. */
  HOT = 50,
  MAX_LEN = 64,
}

export class Block implements CompiledBlock {
  readonly len: number;
  readonly last: Insn;
  constructor(readonly insns: readonly Insn[], readonly run: (c: CpuCore) => number) {
    this.len = insns.length;
    this.last = insns[insns.length - 1]!;
  }
}

/** Instructions a block ends with: control leaves the straight line, or TF may change (popf). */
export function endsBlock(i: Insn): boolean {
  switch (i.op) {
    case Op.JMP: case Op.JCC: case Op.CALL: case Op.RET: case Op.SYSCALL: case Op.INT3: case Op.INT1: case Op.POPFQ:
      return true;
    default:
      return false;
  }
}

/** Instructions a block leaves to the interpreter: they always fault. */
export function outsideBlocks(i: Insn): boolean {
  return i.op === Op.HLT || i.op === Op.UD2 || i.op === Op.UNDEFINED;
}

function isAlu(i: Insn): boolean {
  return i.op <= Op.DEC;
}

/** Compiles a run of bound instructions (see above) into a Block. */
export function compileBlock(insns: readonly Insn[]): Block {
  const n = insns.length;
  const lines: string[] = ["const lo = c.lo, hi = c.hi;"];
  for (let k = 0; k < n; k++) {
    const i = insns[k]!;
    if (mayFault(i)) lines.push(`c.pos = ${k};`);
    if (isAlu(i)) {
      lines.push(`{ ${aluSource(i, (field) => String(i[field]), `i${k}`)} }`);
      if (k === n - 1) lines.push("return 0;");
    } else {
      lines.push(`${k === n - 1 ? "return " : ""}h${k}(c, i${k});`);
    }
  }
  const params = ["P", ...insns.map((_, k) => `h${k}`), ...insns.map((_, k) => `i${k}`)];
  const factory = new Function(...params, `"use strict";\nreturn function block(c) {\n${lines.join("\n")}\n};`) as
    (...args: unknown[]) => (c: CpuCore) => number;
  return new Block(insns, factory(PARITY, ...insns.map((i) => i.fn), ...insns));
}
