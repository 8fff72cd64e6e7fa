/**
 * The parser: source lines into statements. A line holds labels (`name:`), then an
 * instruction (with an optional {load}/{store} pseudo-prefix) or a data directive (db, dw, dd,
 * dq); comments run from `;` or `#` to the end of the line.
 */
import { AsmError } from "./asm_error.js";
import { hasLabel, parseExpr, unescape } from "./expressions.js";
import { CC, familyOf } from "./mnemonics.js";
import { parseOperand } from "./operands.js";
import { isRegisterName } from "./registers.js";
import type { DataStmt, Insn, Stmt } from "./statements.js";

/** A string's bytes: characters up to U+00FF (and \xNN escapes) as one byte, others as UTF-8. */
function stringBytes(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c <= 0xff) out.push(c);
    else out.push(...new TextEncoder().encode(ch));
  }
  return out;
}

/** Splits at commas outside brackets and quotes. */
function splitOperands(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = "";
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      cur += ch;
      if (ch === "\\") cur += s[++i] ?? "";
      else if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
    } else if (ch === "[") {
      depth++;
      cur += ch;
    } else if (ch === "]") {
      depth--;
      cur += ch;
    } else if (ch === "," && depth === 0) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (cur.trim() !== "" || out.length > 0) out.push(cur.trim());
  return out;
}

function stripComment(s: string): string {
  let quote = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ";" || ch === "#") return s.slice(0, i);
  }
  return s;
}

export interface Parsed {
  stmts: Stmt[];
  /** Labels defined before statement i (labels at the end refer to stmts.length). */
  labelsAt: { name: string; index: number; line: number }[];
}

const LABEL = /^([A-Za-z_.$][A-Za-z0-9_.$]*)\s*:/;
const DATA_WIDTHS: Record<string, 1 | 2 | 4 | 8> = { db: 1, dw: 2, dd: 4, dq: 8 };

/** A jmp or jcc to a label or address: the layout picks its rel8 or rel32 form. */
function relaxable(mnemonic: string, ops: Insn["ops"]): boolean {
  return (mnemonic === "jmp" || CC[mnemonic] !== undefined) && ops.length === 1 && ops[0]!.kind === "imm";
}

/** The items of a data directive: strings (db only) and values, labels only where they fit. */
function parseData(mnemonic: string, width: 1 | 2 | 4 | 8, rest: string, line: number): DataStmt {
  const items: DataStmt["items"] = [];
  for (const it of splitOperands(rest)) {
    if (it === "") throw new AsmError(line, `empty item in ${mnemonic}`);
    if (it.startsWith('"')) {
      if (width !== 1 || !/^"(?:[^"\\]|\\.)*"$/.test(it)) throw new AsmError(line, `bad string ${it}`);
      items.push({ str: stringBytes(unescape(it.slice(1, -1))) });
    } else {
      const expr = parseExpr(it, line);
      if (hasLabel(expr) && width < 4) throw new AsmError(line, `a label does not fit ${mnemonic}`);
      items.push({ expr });
    }
  }
  if (items.length === 0) throw new AsmError(line, `${mnemonic} needs at least one value`);
  return { kind: "data", line, width, items };
}

/** A statement without its labels: an instruction or a data directive. */
function parseStatement(text: string, line: number): Stmt {
  let s = text;
  let load = false;
  const pseudo = /^\{(load|store)\}\s*/i.exec(s);
  if (pseudo) {
    load = pseudo[1]!.toLowerCase() === "load";
    s = s.slice(pseudo[0].length);
  }
  const mm = /^(\S+)\s*(.*)$/.exec(s)!;
  const mnemonic = mm[1]!.toLowerCase();
  const rest = mm[2]!;
  const width = DATA_WIDTHS[mnemonic];
  if (width) return parseData(mnemonic, width, rest, line);
  if (familyOf(mnemonic) === undefined) throw new AsmError(line, `unknown mnemonic '${mm[1]}'`);
  const ops = rest.trim() === "" ? [] : splitOperands(rest).map((o) => {
    if (o === "") throw new AsmError(line, `empty operand`);
    return parseOperand(o, line);
  });
  return { kind: "insn", line, mnemonic, ops, load, relax: relaxable(mnemonic, ops) };
}

export function parse(src: string): Parsed {
  const stmts: Stmt[] = [];
  const labelsAt: Parsed["labelsAt"] = [];
  const seen = new Set<string>();
  src.split("\n").forEach((raw, i) => {
    const line = i + 1;
    let s = stripComment(raw).trim();
    for (let lm; (lm = LABEL.exec(s)); ) {
      const name = lm[1]!;
      if (isRegisterName(name.toLowerCase())) throw new AsmError(line, `'${name}' is a register, not a label`);
      if (seen.has(name)) throw new AsmError(line, `label '${name}' defined twice`);
      seen.add(name);
      labelsAt.push({ name, index: stmts.length, line });
      s = s.slice(lm[0].length).trim();
    }
    if (s !== "") stmts.push(parseStatement(s, line));
  });
  return { stmts, labelsAt };
}
