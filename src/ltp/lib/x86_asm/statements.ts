/** What the parser makes of the source and the encoder turns into bytes: one statement per line. */
import type { Expr } from "./expressions.js";
import type { Opnd } from "./operands.js";

/**
 * An instruction. `load` is the {load} pseudo-prefix (the "reg, r/m" opcode for reg, reg);
 * `relax` marks a jmp/jcc to a label, whose rel8 or rel32 form the layout picks.
 */
export interface Insn { kind: "insn"; line: number; mnemonic: string; ops: Opnd[]; load: boolean; relax: boolean }

/** db, dw, dd or dq: strings (db only) and values of `width` bytes. */
export interface DataStmt { kind: "data"; line: number; width: 1 | 2 | 4 | 8; items: ({ str: number[] } | { expr: Expr })[] }

export type Stmt = Insn | DataStmt;
