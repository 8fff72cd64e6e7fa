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
 * default (no -O), checked byte for byte in test/cpu.test.ts:
 *   - reg, reg:     the "r/m, reg" opcode (89, 01, 29 ...); the pseudo-prefix {load} picks the
 *                   "reg, r/m" one (8B, 03, 2B ...), {store} the default.
 *   - mov r64, imm: REX.W C7 /0 imm32 when the value fits a sign-extended imm32
 *                   (`mov rax, 39` -> 48 C7 C0 27 00 00 00, 7 bytes), else REX.W B8+r imm64
 *                   (movabs). `mov eax, 39` is B8 27 00 00 00 (a 32-bit write zero-extends);
 *                   `movabs` always takes the imm64 form.
 *   - ALU r/m, imm: 83 /n imm8 when the value fits a sign-extended byte, else the short
 *                   accumulator form (05, 2D ...) for rax/eax/ax, else 81 /n imm32 (imm16 for 16-bit).
 *   - test r/m, imm: A9 for the accumulator, else F7 /0.
 *   - push imm:     6A ib when the value fits a sign-extended byte, else 68 id (sign-extended to 64
 *                   bits, so `push 0xffffffff` is refused, as GNU as does).
 *   - memory:       no displacement when it is 0 (except for rbp/r13 bases, which need disp8 0),
 *                   disp8 when it fits, else disp32; rsp/r12 bases take a SIB byte; an absolute
 *                   address [0x1000] is SIB-encoded (mod 00 rm 101 means RIP-relative in 64-bit).
 *   - jmp/jcc:      rel8 when the target is within -128..127 of the next instruction, else rel32,
 *                   found by relaxation (all short, then lengthen what does not fit, until stable);
 *                   call is always E8 rel32.
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
 */

export class AsmError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "AsmError";
  }
}

type Size = 16 | 32 | 64;

const REGS: Record<string, { reg: number; size: Size }> = {};
{
  const n64 = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"];
  const n32 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"];
  const n16 = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"];
  for (let i = 0; i < 8; i++) {
    REGS[n64[i]!] = { reg: i, size: 64 };
    REGS[n32[i]!] = { reg: i, size: 32 };
    REGS[n16[i]!] = { reg: i, size: 16 };
  }
  for (let i = 8; i < 16; i++) {
    REGS[`r${i}`] = { reg: i, size: 64 };
    REGS[`r${i}d`] = { reg: i, size: 32 };
    REGS[`r${i}w`] = { reg: i, size: 16 };
  }
}
const BYTE_REGS = new Set(["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh", "spl", "bpl", "sil", "dil",
  ...Array.from({ length: 8 }, (_, i) => `r${i + 8}b`), ...Array.from({ length: 8 }, (_, i) => `r${i + 8}l`)]);

const ALU: Record<string, number> = { add: 0, or: 1, adc: 2, sbb: 3, and: 4, sub: 5, xor: 6, cmp: 7 };

const CC: Record<string, number> = {
  jo: 0, jno: 1, jb: 2, jc: 2, jnae: 2, jae: 3, jnb: 3, jnc: 3, je: 4, jz: 4, jne: 5, jnz: 5,
  jbe: 6, jna: 6, ja: 7, jnbe: 7, js: 8, jns: 9, jp: 10, jpe: 10, jnp: 11, jpo: 11,
  jl: 12, jnge: 12, jge: 13, jnl: 13, jle: 14, jng: 14, jg: 15, jnle: 15,
};

const SIMPLE: Record<string, number[]> = {
  pause: [0xf3, 0x90], endbr64: [0xf3, 0x0f, 0x1e, 0xfa], int3: [0xcc], int1: [0xf1], icebp: [0xf1],
  hlt: [0xf4], ud2: [0x0f, 0x0b], syscall: [0x0f, 0x05], pushfq: [0x9c], pushf: [0x9c],
  popfq: [0x9d], popf: [0x9d], ret: [0xc3],
};

/* ---- expressions: a sum of numbers and labels ---- */

interface Term { neg: boolean; value?: bigint; label?: string }
type Expr = Term[];

const IDENT = /^[A-Za-z_.$][A-Za-z0-9_.$]*$/;

function hasLabel(e: Expr): boolean {
  return e.some((t) => t.label !== undefined);
}

interface RegOp { kind: "reg"; reg: number; size: Size }
interface MemOp { kind: "mem"; size: Size | null; base: number | null; index: number | null; scale: 1 | 2 | 4 | 8; disp: Expr; rip: boolean }
interface ImmOp { kind: "imm"; expr: Expr; offset: boolean }
type Opnd = RegOp | MemOp | ImmOp;

/** Context of one encoding: where the statement is, the labels known so far, and whether they must all be known. */
interface Ctx {
  addr: bigint;
  labels: Map<string, bigint>;
  final: boolean;
  line: number;
}

function evalExpr(e: Expr, ctx: Ctx): bigint {
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

function parseNumber(s: string): bigint | undefined {
  const t = s.toLowerCase();
  if (/^0x[0-9a-f]+$/.test(t) || /^0b[01]+$/.test(t) || /^0o[0-7]+$/.test(t) || /^[0-9]+$/.test(t)) return BigInt(t);
  const ch = /^'(\\?.)'$/.exec(s);
  if (ch) return BigInt(unescape(ch[1]!).charCodeAt(0));
  return undefined;
}

function unescape(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, c: string) =>
    c[0] === "x" ? String.fromCharCode(parseInt(c.slice(1), 16))
      : ({ n: "\n", t: "\t", r: "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'" } as Record<string, string>)[c] ?? c);
}

/** Splits "a + b*4 - c" into signed pieces. */
function signedPieces(s: string, line: number): { neg: boolean; text: string }[] {
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

function parseExpr(s: string, line: number): Expr {
  return signedPieces(s, line).map(({ neg, text }) => {
    const n = parseNumber(text);
    if (n !== undefined) return { neg, value: n };
    const low = text.toLowerCase();
    if (REGS[low] || BYTE_REGS.has(low) || low === "rip") throw new AsmError(line, `register '${text}' in an expression`);
    if (!IDENT.test(text)) throw new AsmError(line, `bad operand '${text}'`);
    return { neg, label: text };
  });
}

function parseMem(inner: string, size: Size | null, line: number): MemOp {
  const m: MemOp = { kind: "mem", size, base: null, index: null, scale: 1, disp: [], rip: false };
  for (const { neg, text } of signedPieces(inner, line)) {
    const parts = text.split("*");
    const regPart = parts.find((p) => REGS[p.toLowerCase()] || p.toLowerCase() === "rip" || BYTE_REGS.has(p.toLowerCase()));
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

function parseOperand(text: string, line: number): Opnd {
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

/* ---- encoding ---- */

function fitsS(v: bigint, bits: number): boolean {
  return v >= -(1n << BigInt(bits - 1)) && v < 1n << BigInt(bits - 1);
}

function le(v: bigint, bytes: number): number[] {
  const out: number[] = [];
  const u = BigInt.asUintN(bytes * 8, v);
  for (let i = 0; i < bytes; i++) out.push(Number((u >> BigInt(8 * i)) & 0xffn));
  return out;
}

/** The value of an immediate for an operand of `size` bits: in [-2^(size-1), 2^size), returned signed. */
function immValue(op: ImmOp, size: Size, ctx: Ctx): bigint {
  const v = evalExpr(op.expr, ctx);
  if (ctx.final && !(v >= -(1n << BigInt(size - 1)) && v < 1n << BigInt(size))) {
    throw new AsmError(ctx.line, `immediate ${v} does not fit ${size} bits`);
  }
  return BigInt.asIntN(size, v);
}

interface Encoded {
  bytes: number[];
  /** RIP-relative displacement to patch once the length is known: at `pos`, `target - end`. */
  ripTarget?: { pos: number; target: bigint };
}

class Enc {
  pre: number[] = []; // legacy prefixes
  rex = 0;
  op: number[] = [];
  tail: number[] = []; // modrm, sib, disp
  imm: number[] = [];
  ripTarget: bigint | null = null;
  ripPos = 0;

  constructor(readonly ctx: Ctx) {}

  size(s: Size): void {
    if (s === 16) this.pre.push(0x66);
    if (s === 64) this.rex |= 0x48;
  }

  regBits(field: "r" | "b", reg: number): void {
    if (reg & 8) this.rex |= field === "r" ? 0x44 : 0x41;
  }

  /** ModRM (+SIB +disp) with `regField` (a register number or a /digit) and r/m operand `rm`. */
  modrm(regField: number, rm: RegOp | MemOp): void {
    this.regBits("r", regField);
    if (rm.kind === "reg") {
      this.regBits("b", rm.reg);
      this.tail.push(0xc0 | ((regField & 7) << 3) | (rm.reg & 7));
      return;
    }
    const ctx = this.ctx;
    const r = (regField & 7) << 3;
    const labelled = hasLabel(rm.disp);
    const disp = evalExpr(rm.disp, ctx);
    if (rm.rip) {
      this.tail.push(0x00 | r | 5);
      this.ripPos = this.tail.length;
      this.tail.push(0, 0, 0, 0);
      this.ripTarget = labelled ? disp : null;
      if (!labelled) {
        if (ctx.final && !fitsS(disp, 32)) throw new AsmError(ctx.line, `displacement ${disp} does not fit 32 bits`);
        this.tail.splice(this.ripPos, 4, ...le(disp, 4));
      }
      return;
    }
    const d = labelled ? disp : BigInt.asIntN(64, disp);
    if (ctx.final && !fitsS(d, 32)) throw new AsmError(ctx.line, `displacement ${disp} does not fit 32 bits`);
    if (rm.base === null) {
      // SIB with base 101 and mod 00: disp32, no base
      const idx = rm.index ?? 4;
      if (idx & 8) this.rex |= 0x42;
      this.tail.push(0x04 | r, (Math.log2(rm.scale) << 6) | ((idx & 7) << 3) | 5, ...le(d, 4));
      return;
    }
    this.regBits("b", rm.base);
    let mod: number;
    let dispBytes: number[];
    if (!labelled && d === 0n && (rm.base & 7) !== 5) {
      mod = 0;
      dispBytes = [];
    } else if (!labelled && fitsS(d, 8)) {
      mod = 1;
      dispBytes = le(d, 1);
    } else {
      mod = 2;
      dispBytes = le(d, 4);
    }
    if (rm.index === null && (rm.base & 7) !== 4) {
      this.tail.push((mod << 6) | r | (rm.base & 7), ...dispBytes);
    } else {
      const idx = rm.index ?? 4;
      if (idx & 8) this.rex |= 0x42;
      this.tail.push((mod << 6) | r | 4, (Math.log2(rm.scale) << 6) | ((idx & 7) << 3) | (rm.base & 7), ...dispBytes);
    }
  }

  done(): Encoded {
    const bytes = [...this.pre, ...(this.rex ? [this.rex] : []), ...this.op, ...this.tail, ...this.imm];
    if (this.ripTarget !== null) {
      const pos = this.pre.length + (this.rex ? 1 : 0) + this.op.length + this.ripPos;
      return { bytes, ripTarget: { pos, target: this.ripTarget } };
    }
    return { bytes };
  }
}

type Stmt =
  | { kind: "insn"; line: number; mnemonic: string; ops: Opnd[]; load: boolean; relax: boolean }
  | { kind: "data"; line: number; width: 1 | 2 | 4 | 8; items: ({ str: number[] } | { expr: Expr })[] };

function isRM(o: Opnd): o is RegOp | MemOp {
  return o.kind === "reg" || o.kind === "mem";
}

function opSize(a: RegOp | MemOp, b: Opnd | undefined, line: number): Size {
  const sa = a.kind === "reg" ? a.size : a.size;
  const sb = b && b.kind === "reg" ? b.size : b && b.kind === "mem" ? b.size : null;
  if (sa !== null && sb !== null && sa !== sb) throw new AsmError(line, `operand size mismatch`);
  const s = sa ?? sb;
  if (s === null) throw new AsmError(line, `operand size unknown: write qword/dword/word ptr`);
  return s;
}

function branch(st: Extract<Stmt, { kind: "insn" }>): boolean {
  return (st.mnemonic === "jmp" || CC[st.mnemonic] !== undefined) && st.ops.length === 1 && st.ops[0]!.kind === "imm";
}

/** Encodes one instruction; `long` selects rel32 for a relaxable branch. */
function encodeInsn(st: Extract<Stmt, { kind: "insn" }>, ctx: Ctx, long: boolean): Encoded {
  const { mnemonic: mn, ops, line } = st;
  const e = new Enc(ctx);
  const want = (n: number) => {
    if (ops.length !== n) throw new AsmError(line, `${mn} takes ${n} operand${n === 1 ? "" : "s"}`);
  };
  const noLabel = (o: ImmOp) => {
    if (hasLabel(o.expr) && !o.offset) {
      throw new AsmError(line, `label in an operand of ${mn}: write 'offset label' for its address or '[rip+label]' for memory`);
    }
  };
  const simple = SIMPLE[mn];
  if (simple) {
    want(0);
    return { bytes: simple };
  }
  if (mn === "nop") {
    if (ops.length === 0) return { bytes: [0x90] };
    want(1);
    const o = ops[0]!;
    if (!isRM(o)) throw new AsmError(line, `nop takes a register or memory operand`);
    e.size(opSize(o, undefined, line));
    e.op.push(0x0f, 0x1f);
    e.modrm(0, o);
    return e.done();
  }
  if (mn === "push" || mn === "pop") {
    want(1);
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
      noLabel(o);
      const v = immValue(o, 64, ctx);
      if (!hasLabel(o.expr) && fitsS(v, 8)) return { bytes: [0x6a, ...le(v, 1)] };
      if (ctx.final && !fitsS(v, 32)) throw new AsmError(line, `immediate does not fit a sign-extended imm32`);
      return { bytes: [0x68, ...le(v, 4)] };
    }
    throw new AsmError(line, `unsupported operand for ${mn}`);
  }
  if (mn === "mov" || mn === "movabs") {
    want(2);
    const [d, s] = ops as [Opnd, Opnd];
    if (mn === "movabs") {
      if (d.kind !== "reg" || d.size !== 64 || s.kind !== "imm") throw new AsmError(line, `movabs takes a 64-bit register and an immediate`);
      noLabel(s);
      e.size(64);
      e.regBits("b", d.reg);
      e.op.push(0xb8 + (d.reg & 7));
      e.imm.push(...le(immValue(s, 64, ctx), 8));
      return e.done();
    }
    if (!isRM(d)) throw new AsmError(line, `bad destination for mov`);
    if (s.kind === "imm") {
      noLabel(s);
      const size = opSize(d, undefined, line);
      const v = immValue(s, size, ctx);
      e.size(size);
      if (d.kind === "reg" && (size !== 64 || (!hasLabel(s.expr) ? !fitsS(v, 32) : true))) {
        // B8+r: imm16 / imm32 (zero-extended) / imm64 (REX.W from e.size)
        e.regBits("b", d.reg);
        e.op.push(0xb8 + (d.reg & 7));
        e.imm.push(...le(v, size / 8));
        return e.done();
      }
      if (size === 64 && ctx.final && !fitsS(v, 32)) throw new AsmError(line, `immediate does not fit a sign-extended imm32`);
      e.op.push(0xc7);
      e.modrm(0, d);
      e.imm.push(...le(v, size === 16 ? 2 : 4));
      return e.done();
    }
    const size = opSize(d, s, line);
    e.size(size);
    if (d.kind === "reg" && (s.kind === "mem" || st.load)) {
      e.op.push(0x8b);
      e.modrm(d.reg, s as RegOp | MemOp);
    } else {
      if (s.kind !== "reg") throw new AsmError(line, `mov cannot move memory to memory`);
      e.op.push(0x89);
      e.modrm(s.reg, d);
    }
    return e.done();
  }
  if (mn === "lea") {
    want(2);
    const [d, s] = ops as [Opnd, Opnd];
    if (d.kind !== "reg" || s.kind !== "mem") throw new AsmError(line, `lea takes a register and a memory operand`);
    e.size(d.size);
    e.op.push(0x8d);
    e.modrm(d.reg, s);
    return e.done();
  }
  if (ALU[mn] !== undefined || mn === "test") {
    want(2);
    const [d, s] = ops as [Opnd, Opnd];
    if (!isRM(d)) throw new AsmError(line, `bad destination for ${mn}`);
    const n = ALU[mn] ?? -1;
    if (s.kind === "imm") {
      noLabel(s);
      const size = opSize(d, undefined, line);
      const v = immValue(s, size, ctx);
      const labelled = hasLabel(s.expr);
      if (size === 64 && ctx.final && !fitsS(v, 32)) throw new AsmError(line, `immediate does not fit a sign-extended imm32`);
      e.size(size);
      const immN = size === 16 ? 2 : 4;
      const acc = d.kind === "reg" && d.reg === 0;
      if (mn !== "test" && !labelled && fitsS(v, 8)) {
        e.op.push(0x83);
        e.modrm(n, d);
        e.imm.push(...le(v, 1));
      } else if (acc) {
        e.op.push(mn === "test" ? 0xa9 : (n << 3) | 5);
        e.imm.push(...le(v, immN));
      } else {
        e.op.push(mn === "test" ? 0xf7 : 0x81);
        e.modrm(mn === "test" ? 0 : n, d);
        e.imm.push(...le(v, immN));
      }
      return e.done();
    }
    const size = opSize(d, s, line);
    e.size(size);
    if (mn === "test") {
      // 85 /r: TEST r/m, reg (either order in the source)
      const [rm, r] = d.kind === "reg" && s.kind === "mem" ? [s, d] : [d, s];
      if (r.kind !== "reg") throw new AsmError(line, `test needs a register operand`);
      e.op.push(0x85);
      e.modrm(r.reg, rm);
      return e.done();
    }
    if (d.kind === "reg" && (s.kind === "mem" || st.load)) {
      e.op.push((n << 3) | 3);
      e.modrm(d.reg, s as RegOp | MemOp);
    } else {
      if (s.kind !== "reg") throw new AsmError(line, `${mn} cannot take two memory operands`);
      e.op.push((n << 3) | 1);
      e.modrm(s.reg, d);
    }
    return e.done();
  }
  if (mn === "inc" || mn === "dec") {
    want(1);
    const o = ops[0]!;
    if (!isRM(o)) throw new AsmError(line, `${mn} takes a register or memory operand`);
    e.size(opSize(o, undefined, line));
    e.op.push(0xff);
    e.modrm(mn === "inc" ? 0 : 1, o);
    return e.done();
  }
  if (mn === "jmp" || mn === "call" || CC[mn] !== undefined) {
    want(1);
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
      e.op.push(0xff);
      e.modrm(mn === "call" ? 2 : 4, o);
      return e.done();
    }
    throw new AsmError(line, `${mn} takes a label or an address`);
  }
  throw new AsmError(line, `unknown mnemonic '${mn}'`);
}

function encodeStmt(st: Stmt, ctx: Ctx, long: boolean): number[] {
  if (st.kind === "data") {
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
  const enc = encodeInsn(st, ctx, long);
  if (enc.ripTarget) {
    const end = ctx.addr + BigInt(enc.bytes.length);
    const disp = enc.ripTarget.target - end;
    if (ctx.final && !fitsS(disp, 32)) throw new AsmError(st.line, `rip-relative target out of range`);
    enc.bytes.splice(enc.ripTarget.pos, 4, ...le(disp, 4));
  }
  return enc.bytes;
}

interface Parsed {
  stmts: Stmt[];
  /** Labels defined before statement i (labels at the end refer to stmts.length). */
  labelsAt: { name: string; index: number; line: number }[];
}

function parse(src: string): Parsed {
  const stmts: Stmt[] = [];
  const labelsAt: Parsed["labelsAt"] = [];
  const seen = new Set<string>();
  src.split("\n").forEach((raw, i) => {
    const line = i + 1;
    let s = stripComment(raw).trim();
    for (;;) {
      const lm = /^([A-Za-z_.$][A-Za-z0-9_.$]*)\s*:/.exec(s);
      if (!lm) break;
      const name = lm[1]!;
      const low = name.toLowerCase();
      if (REGS[low] || BYTE_REGS.has(low) || low === "rip") throw new AsmError(line, `'${name}' is a register, not a label`);
      if (seen.has(name)) throw new AsmError(line, `label '${name}' defined twice`);
      seen.add(name);
      labelsAt.push({ name, index: stmts.length, line });
      s = s.slice(lm[0].length).trim();
    }
    if (s === "") return;
    let load = false;
    const pseudo = /^\{(load|store)\}\s*/i.exec(s);
    if (pseudo) {
      load = pseudo[1]!.toLowerCase() === "load";
      s = s.slice(pseudo[0].length);
    }
    const mm = /^(\S+)\s*(.*)$/.exec(s)!;
    const mnemonic = mm[1]!.toLowerCase();
    const rest = mm[2]!;
    const width = ({ db: 1, dw: 2, dd: 4, dq: 8 } as Record<string, 1 | 2 | 4 | 8>)[mnemonic];
    if (width) {
      const items: ({ str: number[] } | { expr: Expr })[] = [];
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
      stmts.push({ kind: "data", line, width, items });
      return;
    }
    const known = SIMPLE[mnemonic] || ALU[mnemonic] !== undefined || CC[mnemonic] !== undefined ||
      ["nop", "push", "pop", "mov", "movabs", "lea", "test", "inc", "dec", "jmp", "call"].includes(mnemonic);
    if (!known) throw new AsmError(line, `unknown mnemonic '${mm[1]}'`);
    const ops = rest.trim() === "" ? [] : splitOperands(rest).map((o) => {
      if (o === "") throw new AsmError(line, `empty operand`);
      return parseOperand(o, line);
    });
    const st: Stmt = { kind: "insn", line, mnemonic, ops, load, relax: false };
    st.relax = branch(st);
    stmts.push(st);
  });
  return { stmts, labelsAt };
}

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

/** Assembles `src` for loading at `base`, with the address of every label and a listing. */
export function assembleProgram(src: string, base = 0n): AsmProgram {
  const { stmts, labelsAt } = parse(src);
  const long = stmts.map(() => false);
  let labels = new Map<string, bigint>();
  let addrs: bigint[] = [];
  const layout = (final: boolean) => {
    const next = new Map<string, bigint>();
    const a: bigint[] = [];
    const out: number[][] = [];
    let pc = base;
    let li = 0;
    for (let i = 0; i <= stmts.length; i++) {
      while (li < labelsAt.length && labelsAt[li]!.index === i) next.set(labelsAt[li++]!.name, pc);
      if (i === stmts.length) break;
      const st = stmts[i]!;
      a.push(pc);
      const bytes = encodeStmt(st, { addr: pc, labels, final, line: st.line }, long[i]!);
      out.push(bytes);
      pc += BigInt(bytes.length);
    }
    return { next, a, out };
  };
  // Relaxation: lay out with the current branch sizes and labels until neither changes.
  for (let pass = 0; ; pass++) {
    const { next, a } = layout(false);
    let changed = pass === 0 || [...next].some(([k, v]) => labels.get(k) !== v);
    labels = next;
    addrs = a;
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
    if (!changed) break;
    if (pass > stmts.length + 2) throw new Error("x86_asm: relaxation did not converge");
  }
  const { a, out } = layout(true);
  const listing: AsmListingLine[] = stmts.map((st, i) => ({ line: st.line, addr: a[i]!, bytes: Uint8Array.from(out[i]!) }));
  const bytes = Uint8Array.from(out.flat());
  return { bytes, base, labels, listing };
}

/** Assembles `src` (Intel syntax) for loading at `base` (default 0) into machine code. */
export function assemble(src: string, base: bigint = 0n): Uint8Array {
  return assembleProgram(src, base).bytes;
}
