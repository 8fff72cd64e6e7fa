/** Expressions: a sum of numbers and labels, parsed from operand text and evaluated per pass. */
import { AsmError } from "./asm_error.js";
import { isRegisterName } from "./registers.js";

export interface Term { neg: boolean; value?: bigint; label?: string }
export type Expr = Term[];

const IDENT = /^[A-Za-z_.$][A-Za-z0-9_.$]*$/;

export function hasLabel(e: Expr): boolean {
  return e.some((t) => t.label !== undefined);
}

/** Context of one encoding: where the statement is, the labels known so far, and whether they must all be known. */
export interface Ctx {
  addr: bigint;
  labels: Map<string, bigint>;
  final: boolean;
  line: number;
}

export function evalExpr(e: Expr, ctx: Ctx): bigint {
  let v = 0n;
  for (const t of e) {
    let x: bigint;
    if (t.label !== undefined) {
      const a = ctx.labels.get(t.label);
      if (a === undefined) {
        if (ctx.final) throw new AsmError(ctx.line, `undefined label '${t.label}'`);
        x = 0n;
      } else x = a;
    } else x = t.value!;
    v += t.neg ? -x : x;
  }
  return v;
}

export function parseNumber(s: string): bigint | undefined {
  const t = s.toLowerCase();
  if (/^0x[0-9a-f]+$/.test(t) || /^0b[01]+$/.test(t) || /^0o[0-7]+$/.test(t) || /^[0-9]+$/.test(t)) return BigInt(t);
  const ch = /^'(\\?.)'$/.exec(s);
  if (ch) return BigInt(unescape(ch[1]!).charCodeAt(0));
  return undefined;
}

/** The characters of a quoted string or character with its backslash escapes resolved. */
export function unescape(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, c: string) =>
    c[0] === "x" ? String.fromCharCode(parseInt(c.slice(1), 16))
      : ({ n: "\n", t: "\t", r: "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'" } as Record<string, string>)[c] ?? c);
}

/** Splits "a + b*4 - c" into signed pieces. */
export function signedPieces(s: string, line: number): { neg: boolean; text: string }[] {
  const out: { neg: boolean; text: string }[] = [];
  let neg = false;
  let cur = "";
  let sawSign = true; // a sign may start the expression
  for (const ch of s.replace(/\s+/g, "")) {
    if ((ch === "+" || ch === "-") && cur === "") {
      if (!sawSign && out.length > 0) throw new AsmError(line, `bad expression '${s}'`);
      if (ch === "-") neg = !neg;
      sawSign = true;
    } else if (ch === "+" || ch === "-") {
      out.push({ neg, text: cur });
      cur = "";
      neg = ch === "-";
      sawSign = true;
    } else {
      cur += ch;
      sawSign = false;
    }
  }
  if (cur === "") throw new AsmError(line, `bad expression '${s}'`);
  out.push({ neg, text: cur });
  return out;
}

export function parseExpr(s: string, line: number): Expr {
  return signedPieces(s, line).map(({ neg, text }) => {
    const n = parseNumber(text);
    if (n !== undefined) return { neg, value: n };
    if (isRegisterName(text.toLowerCase())) throw new AsmError(line, `register '${text}' in an expression`);
    if (!IDENT.test(text)) throw new AsmError(line, `bad operand '${text}'`);
    return { neg, label: text };
  });
}
