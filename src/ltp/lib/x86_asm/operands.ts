/**
 * Operands: a register, a memory reference ([base + index*scale + disp], [rip + label],
 * with an optional "qword ptr" size) or an immediate (a number, or "offset label").
 */
import { AsmError } from "./asm_error.js";
import { parseExpr, parseNumber, signedPieces, type Expr } from "./expressions.js";
import { BYTE_REGS, isRegisterName, REGS, type Size } from "./registers.js";

export interface RegOp { kind: "reg"; reg: number; size: Size }
export interface MemOp { kind: "mem"; size: Size | null; base: number | null; index: number | null; scale: 1 | 2 | 4 | 8; disp: Expr; rip: boolean }
export interface ImmOp { kind: "imm"; expr: Expr; offset: boolean }
export type Opnd = RegOp | MemOp | ImmOp;

export function isRM(o: Opnd): o is RegOp | MemOp {
  return o.kind === "reg" || o.kind === "mem";
}

function parseMem(inner: string, size: Size | null, line: number): MemOp {
  const m: MemOp = { kind: "mem", size, base: null, index: null, scale: 1, disp: [], rip: false };
  for (const { neg, text } of signedPieces(inner, line)) {
    const parts = text.split("*");
    const regPart = parts.find((p) => isRegisterName(p.toLowerCase()));
    if (regPart === undefined) {
      if (parts.length > 1) throw new AsmError(line, `bad memory operand '[${inner}]'`);
      m.disp.push(...parseExpr(text, line).map((t) => ({ ...t, neg: t.neg !== neg })));
      continue;
    }
    if (neg) throw new AsmError(line, `a register cannot be subtracted in '[${inner}]'`);
    const name = regPart.toLowerCase();
    if (name === "rip") {
      if (parts.length > 1 || m.rip || m.base !== null || m.index !== null) throw new AsmError(line, `bad use of rip in '[${inner}]'`);
      m.rip = true;
      continue;
    }
    const r = REGS[name];
    if (!r) throw new AsmError(line, `8-bit register '${regPart}' cannot address memory`);
    if (r.size !== 64) throw new AsmError(line, `32/16-bit address registers are not supported ('${regPart}')`);
    if (parts.length === 2) {
      const sc = parseNumber(parts[0] === regPart ? parts[1]! : parts[0]!);
      if (sc !== 1n && sc !== 2n && sc !== 4n && sc !== 8n) throw new AsmError(line, `scale must be 1, 2, 4 or 8 in '[${inner}]'`);
      if (m.index !== null) throw new AsmError(line, `two index registers in '[${inner}]'`);
      m.index = r.reg;
      m.scale = Number(sc) as 1 | 2 | 4 | 8;
    } else if (parts.length === 1) {
      if (m.base === null && !m.rip) m.base = r.reg;
      else if (m.index === null) m.index = r.reg;
      else throw new AsmError(line, `too many registers in '[${inner}]'`);
    } else throw new AsmError(line, `bad memory operand '[${inner}]'`);
  }
  if (m.rip && (m.base !== null || m.index !== null)) throw new AsmError(line, `rip cannot be combined with other registers`);
  if (m.index === 4) throw new AsmError(line, `rsp cannot be an index register`);
  return m;
}

export function parseOperand(text: string, line: number): Opnd {
  const s = text.trim();
  const low = s.toLowerCase();
  const sized = /^(byte|word|dword|qword)\s+ptr\s+(.*)$/i.exec(s);
  if (sized) {
    const kw = sized[1]!.toLowerCase();
    if (kw === "byte") throw new AsmError(line, `8-bit operands are not supported`);
    const rest = sized[2]!.trim();
    if (!rest.startsWith("[") || !rest.endsWith("]")) throw new AsmError(line, `bad memory operand '${s}'`);
    return parseMem(rest.slice(1, -1), kw === "word" ? 16 : kw === "dword" ? 32 : 64, line);
  }
  if (s.startsWith("[")) {
    if (!s.endsWith("]")) throw new AsmError(line, `bad memory operand '${s}'`);
    return parseMem(s.slice(1, -1), null, line);
  }
  const r = REGS[low];
  if (r) return { kind: "reg", ...r };
  if (BYTE_REGS.has(low)) throw new AsmError(line, `8-bit register '${s}' is not supported`);
  const off = /^offset\s+(.*)$/i.exec(s);
  if (off) return { kind: "imm", expr: parseExpr(off[1]!, line), offset: true };
  return { kind: "imm", expr: parseExpr(s, line), offset: false };
}
