/**
 * x86-64 instruction decoder for the subset the interpreter executes (64-bit mode, user code).
 *
 * Encodings follow the Intel SDM vol. 2 (chapter 2 "Instruction Format", the opcode map of
 * appendix A and the instruction pages); the byte sequences of the tests were checked against
 * GNU as. Decoding never throws: an instruction the CPU would reject, one this interpreter does not
 * implement, an instruction fetch from unmapped memory and an instruction longer than 15 bytes each
 * come back as a result kind, so the caller can raise SIGILL or SIGSEGV.
 *
 * Prefixes:
 *  - REX (0x40-0x4F): W (64-bit operand size), R (ModRM.reg bit 3), X (SIB.index bit 3),
 *    B (ModRM.rm / SIB.base / opcode-register bit 3). As in the SDM (2.2.1), a REX prefix is used
 *    only when it immediately precedes the opcode; one followed by another prefix is ignored, and
 *    of several REX bytes the last one counts.
 *  - 0x66 (operand size 16) for the ALU, mov, lea, test, inc/dec and nop forms; REX.W overrides it.
 *    With push/pop/pushf/popf/branches it is reported as unsupported.
 *  - 0x2E 0x3E 0x26 0x36 (CS/DS/ES/SS overrides): accepted and ignored, as in 64-bit mode.
 *  - 0xF3 only as part of pause (F3 90) and endbr64 (F3 0F 1E FA).
 *  - 0x64/0x65 (FS/GS), 0x67 (address size), 0xF0 (lock), 0xF2, and 0xF3 elsewhere: unsupported.
 *
 * Supported opcodes (Ev = ModRM r/m, Gv = ModRM.reg, v = 16/32/64 by prefix, z = imm16/imm32):
 *   00-3F  add/or/adc/sbb/and/sub/xor/cmp: xx+1 Ev,Gv   xx+3 Gv,Ev   xx+5 rAX,Iz
 *   50+r push r64   58+r pop r64   (REX.B selects r8-r15)
 *   70-7F  jcc rel8                        0F 80-8F jcc rel32
 *   81 /n  ALU Ev,Iz   83 /n  ALU Ev,Ib (sign-extended)
 *   85 /r  test Ev,Gv  A9 test rAX,Iz  F7 /0 test Ev,Iz
 *   89 /r  mov Ev,Gv   8B /r mov Gv,Ev   8D /r lea Gv,M
 *   90 nop   F3 90 pause   0F 1F /0 nop Ev   F3 0F 1E FA endbr64
 *   9C pushfq   9D popfq
 *   B8+r mov r32,imm32 (zero-extends) | REX.W B8+r movabs r64,imm64 | 66 B8+r mov r16,imm16
 *   C7 /0 mov Ev,Iz (REX.W: imm32 sign-extended to 64)
 *   C3 ret   CC int3   F1 int1 (icebp)   F4 hlt   0F 0B ud2   0F 05 syscall
 *   E8 call rel32   E9 jmp rel32   EB jmp rel8
 *   FF /0 inc Ev   FF /1 dec Ev   FF /2 call Ev   FF /4 jmp Ev   FF /6 push Ev
 */

export interface FetchMemory {
  /** `len` bytes at `addr`, or null when any of them is not mapped executable. */
  fetch(addr: bigint, len: number): Uint8Array | null;
}

export type OpSize = 16 | 32 | 64;

export interface RegOperand {
  kind: "reg";
  reg: number; // 0..15, encoding order
  size: OpSize;
}

/** A memory operand: address = base + index*scale + disp, or (rip) end of instruction + disp. */
export interface MemOperand {
  kind: "mem";
  size: OpSize; // bits read or written (the memory operand of lea is not accessed)
  base: number | null;
  index: number | null;
  scale: 1 | 2 | 4 | 8;
  disp: bigint; // signed, sign-extended from the encoded width
  dispSize: 0 | 8 | 32;
  rip: boolean; // RIP-relative (ModRM mod=00 rm=101)
}

export interface ImmOperand {
  kind: "imm";
  /** The value the instruction uses: sign-extended (or zero-extended for B8+r) to the operand size, unsigned. */
  value: bigint;
  size: OpSize;
  encSize: 8 | 16 | 32 | 64; // bytes in the encoding x 8
}

export interface RelOperand {
  kind: "rel";
  target: bigint; // absolute: end of instruction + disp, modulo 2^64
  disp: bigint; // signed
  encSize: 8 | 32;
}

export type Operand = RegOperand | MemOperand | ImmOperand | RelOperand;

export type AluOp = "add" | "or" | "adc" | "sbb" | "and" | "sub" | "xor" | "cmp";
export const ALU_OPS: readonly AluOp[] = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"];

export type Op =
  | "nop" | "pause" | "endbr64" | "int3" | "int1" | "hlt" | "ud2" | "syscall"
  | "pushfq" | "popfq" | "push" | "pop"
  | "mov" | "lea" | AluOp | "test" | "inc" | "dec"
  | "jmp" | "jcc" | "call" | "ret";

/** Condition-code mnemonics in tttn order (SDM vol. 1 appendix B), as objdump spells them. */
export const CC_NAMES: readonly string[] = [
  "jo", "jno", "jb", "jae", "je", "jne", "jbe", "ja", "js", "jns", "jp", "jnp", "jl", "jge", "jle", "jg",
];

export interface Instruction {
  addr: bigint;
  length: number;
  bytes: Uint8Array;
  op: Op;
  /** The mnemonic as written: "movabs" for REX.W B8+r, the condition name for jcc. */
  mnemonic: string;
  /** jcc only: the condition (0..15, the low nibble of the opcode). */
  cond?: number;
  /** Operand size: 16/32/64 by prefixes for sized ops; 64 for stack and branch ops. */
  opsize: OpSize;
  /** Intel order: destination first. */
  operands: Operand[];
  /** Opcode: one byte, or 0x0F00 | second byte for the two-byte map. */
  opcode: number;
  /** The prefixes in effect. */
  rex: number; // 0 when there is none
  opsizePrefix: boolean;
  /** A segment-override prefix (ignored for the address in 64-bit mode, but it picks #SS or #GP). */
  segment?: "es" | "cs" | "ss" | "ds";
}

export type DecodeResult =
  | { kind: "insn"; insn: Instruction }
  /**
   * #UD, or an instruction this interpreter does not implement (unsupported: true; the real CPU
   * would run it). Either way the caller raises SIGILL at `addr`.
   */
  | { kind: "undefined"; addr: bigint; bytes: Uint8Array; reason: string; unsupported: boolean }
  /** The fetch of byte `faultAddr` failed (#PF): SIGSEGV with si_addr = faultAddr. */
  | { kind: "fetch-fault"; addr: bigint; faultAddr: bigint }
  /** #GP: more than 15 bytes, or RIP not canonical. Linux: SIGSEGV, si_addr 0. */
  | { kind: "gp"; addr: bigint; reason: string };

const M64 = (1n << 64n) - 1n;

/** True when bits 63:47 of `a` are all equal (48-bit virtual addresses, 4-level paging). */
export function isCanonical(a: bigint): boolean {
  const u = a & M64;
  return u < 0x800000000000n || u >= 0xffff800000000000n;
}

/* Opcodes that are #UD in 64-bit mode (SDM vol. 2 appendix A, "i64"), not merely unsupported here. */
const INVALID_64 = new Set([0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x60, 0x61,
  0x82, 0x9a, 0xce, 0xd4, 0xd5, 0xd6, 0xea]);

class FetchFault { constructor(readonly at: bigint) {} }
class TooLong {}
class Undefined { constructor(readonly reason: string, readonly unsupported: boolean) {} }

const MAX_LEN = 15;

/** Fetches instruction bytes lazily, as the CPU does: a fault happens only for a byte it needs. */
class Cursor {
  private buf: Uint8Array;
  pos = 0;
  constructor(private readonly mem: FetchMemory, readonly addr: bigint) {
    const whole = mem.fetch(addr, MAX_LEN);
    this.buf = whole ? whole.subarray(0, MAX_LEN) : new Uint8Array(0);
  }
  private at(i: number): number {
    if (i >= MAX_LEN) throw new TooLong();
    while (i >= this.buf.length) {
      const a = (this.addr + BigInt(this.buf.length)) & M64;
      const more = this.mem.fetch(a, 1);
      if (!more || more.length === 0) throw new FetchFault(a);
      const n = new Uint8Array(this.buf.length + 1);
      n.set(this.buf);
      n[this.buf.length] = more[0]!;
      this.buf = n;
    }
    return this.buf[i]!;
  }
  peek(): number {
    return this.at(this.pos);
  }
  u8(): number {
    const b = this.at(this.pos);
    this.pos++;
    return b;
  }
  /** Little-endian signed integer of `bytes` bytes. */
  signed(bytes: 1 | 2 | 4 | 8): bigint {
    if (bytes === 8) {
      const lo = this.signed(4);
      const hi = this.signed(4);
      return BigInt.asIntN(64, (hi << 32n) | BigInt.asUintN(32, lo));
    }
    let v = 0;
    for (let i = 0; i < bytes; i++) v += this.u8() * 2 ** (8 * i);
    const bits = bytes * 8;
    return BigInt(v >= 2 ** (bits - 1) ? v - 2 ** bits : v);
  }
  unsigned(bytes: 1 | 2 | 4 | 8): bigint {
    return BigInt.asUintN(bytes * 8, this.signed(bytes));
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

interface ModRM {
  mod: number;
  reg: number; // with REX.R
  regLow: number; // the 3-bit field (the /digit of group opcodes)
  rm: RegOperand | MemOperand;
}

function readModRM(c: Cursor, rex: number, size: OpSize): ModRM {
  const b = c.u8();
  const mod = b >> 6;
  const regLow = (b >> 3) & 7;
  const reg = regLow | ((rex & 4) << 1);
  const rmLow = b & 7;
  if (mod === 3) return { mod, reg, regLow, rm: { kind: "reg", reg: rmLow | ((rex & 1) << 3), size } };
  let base: number | null = null;
  let index: number | null = null;
  let scale: 1 | 2 | 4 | 8 = 1;
  let rip = false;
  let dispSize: 0 | 8 | 32 = mod === 1 ? 8 : mod === 2 ? 32 : 0;
  if (rmLow === 4) {
    const sib = c.u8();
    scale = (1 << (sib >> 6)) as 1 | 2 | 4 | 8;
    const idx = ((sib >> 3) & 7) | ((rex & 2) << 2);
    if (idx !== 4) index = idx; // index 100 without REX.X means none; r12 (REX.X) is a real index
    const baseLow = sib & 7;
    if (baseLow === 5 && mod === 0) dispSize = 32; // no base, disp32 (REX.B does not matter)
    else base = baseLow | ((rex & 1) << 3);
  } else if (rmLow === 5 && mod === 0) {
    rip = true; // RIP-relative in 64-bit mode, with or without REX.B
    dispSize = 32;
  } else {
    base = rmLow | ((rex & 1) << 3);
  }
  const disp = dispSize === 8 ? c.signed(1) : dispSize === 32 ? c.signed(4) : 0n;
  return { mod, reg, regLow, rm: { kind: "mem", size, base, index, scale, disp, dispSize, rip } };
}

function imm(c: Cursor, size: OpSize, encSize: 8 | 16 | 32 | 64): ImmOperand {
  const raw = c.signed((encSize / 8) as 1 | 2 | 4 | 8);
  return { kind: "imm", value: BigInt.asUintN(size, raw), size, encSize };
}

function rel(c: Cursor, encSize: 8 | 32): RelOperand {
  const disp = c.signed(encSize === 8 ? 1 : 4);
  // target is fixed up once the length is known (it always is here: rel is the last field)
  return { kind: "rel", target: 0n, disp, encSize };
}

function reg(n: number, size: OpSize): RegOperand {
  return { kind: "reg", reg: n, size };
}

/** Decodes the instruction at `addr`. */
export function decode(mem: FetchMemory, addr: bigint): DecodeResult {
  addr &= M64;
  if (!isCanonical(addr)) return { kind: "gp", addr, reason: "non-canonical rip" };
  const c = new Cursor(mem, addr);
  try {
    const insn = decodeAt(c, addr);
    return { kind: "insn", insn };
  } catch (e) {
    if (e instanceof FetchFault) return { kind: "fetch-fault", addr, faultAddr: e.at };
    if (e instanceof TooLong) return { kind: "gp", addr, reason: "instruction longer than 15 bytes" };
    if (e instanceof Undefined) {
      return { kind: "undefined", addr, bytes: c.bytes(), reason: e.reason, unsupported: e.unsupported };
    }
    throw e;
  }
}

function noRep(rep: number, what: string): void {
  if (rep) unsupported(`${rep.toString(16)} prefix with ${what}`);
}
function no66(p66: boolean, what: string): void {
  if (p66) unsupported(`16-bit ${what}`);
}

function unsupported(what: string): never {
  throw new Undefined(what, true);
}
function invalid(what: string): never {
  throw new Undefined(what, false);
}

function decodeAt(c: Cursor, addr: bigint): Instruction {
  let rex = 0;
  let p66 = false;
  let rep = 0;
  let segment: Instruction["segment"];
  for (;;) {
    const b = c.peek();
    if (b >= 0x40 && b <= 0x4f) {
      rex = b;
    } else if (b === 0x66) {
      p66 = true;
      rex = 0;
    } else if (b === 0x2e || b === 0x3e || b === 0x26 || b === 0x36) {
      rex = 0; // null segment overrides in 64-bit mode
      segment = b === 0x26 ? "es" : b === 0x2e ? "cs" : b === 0x36 ? "ss" : "ds";
    } else if (b === 0xf3 || b === 0xf2) {
      rep = b;
      rex = 0;
    } else if (b === 0xf0) {
      c.u8();
      unsupported("lock prefix");
    } else if (b === 0x64 || b === 0x65) {
      c.u8();
      unsupported("fs/gs segment override");
    } else if (b === 0x67) {
      c.u8();
      unsupported("address-size prefix (32-bit addressing)");
    } else {
      break;
    }
    c.u8();
  }
  const W = (rex & 8) !== 0;
  const vsize: OpSize = W ? 64 : p66 ? 16 : 32;
  const zsize: 16 | 32 = vsize === 16 ? 16 : 32; // immediates are at most 32 bits except movabs
  let op: Op;
  let mnemonic: string | undefined;
  let opsize: OpSize = vsize;
  let operands: Operand[] = [];
  let cond: number | undefined;
  const opc = c.u8();
  let opcode = opc;


  if (opc < 0x40 && (opc & 7) !== 6 && (opc & 7) !== 7) {
    noRep(rep, "ALU op");
    op = ALU_OPS[opc >> 3]!;
    switch (opc & 7) {
      case 1: {
        const m = readModRM(c, rex, vsize);
        operands = [m.rm, reg(m.reg, vsize)];
        break;
      }
      case 3: {
        const m = readModRM(c, rex, vsize);
        operands = [reg(m.reg, vsize), m.rm];
        break;
      }
      case 5:
        operands = [reg(0, vsize), imm(c, vsize, zsize)];
        break;
      default:
        unsupported("8-bit ALU form");
    }
  } else if (opc >= 0x50 && opc <= 0x5f) {
    noRep(rep, "push/pop");
    no66(p66, "push/pop");
    op = opc < 0x58 ? "push" : "pop";
    opsize = 64;
    operands = [reg((opc & 7) | ((rex & 1) << 3), 64)];
  } else if (opc >= 0x70 && opc <= 0x7f) {
    noRep(rep, "jcc");
    no66(p66, "jcc");
    op = "jcc";
    cond = opc & 15;
    mnemonic = CC_NAMES[cond];
    opsize = 64;
    operands = [rel(c, 8)];
  } else if (opc >= 0xb8 && opc <= 0xbf) {
    noRep(rep, "mov");
    op = "mov";
    const r = (opc & 7) | ((rex & 1) << 3);
    if (W) mnemonic = "movabs";
    operands = [reg(r, vsize), imm(c, vsize, W ? 64 : zsize)];
  } else if (opc === 0x0f) {
    const o2 = c.u8();
    opcode = 0x0f00 | o2;
    if (o2 === 0x05) {
      noRep(rep, "syscall");
      op = "syscall";
      opsize = 64;
    } else if (o2 === 0x0b) {
      op = "ud2"; // decoded; executing it raises #UD whatever the prefixes
      opsize = 64;
    } else if (o2 === 0x1f) {
      noRep(rep, "nop");
      const m = readModRM(c, rex, vsize);
      if (m.regLow !== 0) unsupported(`0f 1f /${m.regLow} (reserved hint nop)`);
      op = "nop";
      operands = [m.rm];
    } else if (o2 === 0x1e && rep === 0xf3 && c.peek() === 0xfa) {
      c.u8();
      op = "endbr64"; // a nop unless CET indirect-branch tracking is on, which Linux does not do for user space
      opsize = 64;
    } else if (o2 >= 0x80 && o2 <= 0x8f) {
      noRep(rep, "jcc");
      no66(p66, "jcc");
      op = "jcc";
      cond = o2 & 15;
      mnemonic = CC_NAMES[cond];
      opsize = 64;
      operands = [rel(c, 32)];
    } else if (o2 === 0xff || o2 === 0xb9) {
      invalid(o2 === 0xff ? "ud0" : "ud1");
    } else {
      unsupported(`opcode 0f ${hex2(o2)}`);
    }
  } else {
    switch (opc) {
      case 0x81:
      case 0x83: {
        noRep(rep, "ALU op");
        const m = readModRM(c, rex, vsize);
        op = ALU_OPS[m.regLow]!;
        operands = [m.rm, opc === 0x83 ? imm(c, vsize, 8) : imm(c, vsize, zsize)];
        break;
      }
      case 0x85: {
        noRep(rep, "test");
        const m = readModRM(c, rex, vsize);
        op = "test";
        operands = [m.rm, reg(m.reg, vsize)];
        break;
      }
      case 0x89:
      case 0x8b: {
        noRep(rep, "mov");
        const m = readModRM(c, rex, vsize);
        op = "mov";
        operands = opc === 0x89 ? [m.rm, reg(m.reg, vsize)] : [reg(m.reg, vsize), m.rm];
        break;
      }
      case 0x8d: {
        noRep(rep, "lea");
        const m = readModRM(c, rex, vsize);
        if (m.rm.kind === "reg") invalid("lea with a register source");
        op = "lea";
        operands = [reg(m.reg, vsize), m.rm];
        break;
      }
      case 0x90:
        if (rex & 1) unsupported("xchg r8, rax");
        if (rep === 0xf3) {
          op = "pause";
        } else {
          noRep(rep, "nop");
          op = "nop";
        }
        break;
      case 0x9c:
      case 0x9d:
        noRep(rep, "pushf/popf");
        no66(p66, "pushf/popf");
        op = opc === 0x9c ? "pushfq" : "popfq";
        opsize = 64;
        break;
      case 0xa9:
        noRep(rep, "test");
        op = "test";
        operands = [reg(0, vsize), imm(c, vsize, zsize)];
        break;
      case 0xc3:
        noRep(rep, "ret");
        no66(p66, "ret");
        op = "ret";
        opsize = 64;
        break;
      case 0xc7: {
        noRep(rep, "mov");
        const m = readModRM(c, rex, vsize);
        if (m.regLow !== 0) unsupported(`c7 /${m.regLow}`);
        op = "mov";
        operands = [m.rm, imm(c, vsize, zsize)];
        break;
      }
      case 0xcc:
        op = "int3";
        opsize = 64;
        break;
      case 0xe8:
      case 0xe9:
      case 0xeb:
        noRep(rep, "branch");
        no66(p66, "branch");
        op = opc === 0xe8 ? "call" : "jmp";
        opsize = 64;
        operands = [rel(c, opc === 0xeb ? 8 : 32)];
        break;
      case 0xf1:
        op = "int1";
        opsize = 64;
        break;
      case 0xf4:
        op = "hlt";
        opsize = 64;
        break;
      case 0xf7: {
        noRep(rep, "test");
        const m = readModRM(c, rex, vsize);
        if (m.regLow !== 0) unsupported(`f7 /${m.regLow}`);
        op = "test";
        operands = [m.rm, imm(c, vsize, zsize)];
        break;
      }
      case 0xff: {
        noRep(rep, "group 5");
        const digit = (c.peek() >> 3) & 7;
        if (digit === 0 || digit === 1) {
          const m = readModRM(c, rex, vsize);
          op = digit === 0 ? "inc" : "dec";
          operands = [m.rm];
        } else if (digit === 2 || digit === 4 || digit === 6) {
          no66(p66, "indirect branch/push");
          const m = readModRM(c, rex, 64);
          op = digit === 2 ? "call" : digit === 4 ? "jmp" : "push";
          opsize = 64;
          operands = [m.rm];
        } else if (digit === 7) {
          c.u8();
          invalid("ff /7");
        } else {
          const m = readModRM(c, rex, vsize);
          if (m.rm.kind === "reg") invalid(`ff /${digit} with a register operand`);
          unsupported(`far ${digit === 3 ? "call" : "jmp"}`);
        }
        break;
      }
      default:
        if (INVALID_64.has(opc)) invalid(`opcode ${hex2(opc)} (invalid in 64-bit mode)`);
        unsupported(`opcode ${hex2(opc)}`);
    }
  }
  const length = c.pos;
  const next = (addr + BigInt(length)) & M64;
  for (const o of operands) if (o.kind === "rel") o.target = (next + o.disp) & M64;
  // one object shape for every instruction (cond and segment present, possibly undefined)
  return {
    addr, length, bytes: c.bytes(), op, mnemonic: mnemonic ?? op, cond,
    opsize, operands, opcode, rex, opsizePrefix: p66, segment,
  };
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, "0");
}

/* ---- Intel-syntax text, in the style of `objdump -d -M intel` (lower case, ", " between operands) ---- */

const NAMES: Record<OpSize, readonly string[]> = {
  64: ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"],
  32: ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"],
  16: ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"],
};
const PTR: Record<OpSize, string> = { 64: "qword ptr ", 32: "dword ptr ", 16: "word ptr " };

function hex(v: bigint): string {
  return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

export function formatOperand(o: Operand, withSize = true): string {
  switch (o.kind) {
    case "reg":
      return NAMES[o.size][o.reg]!;
    case "imm":
    case "rel":
      return hex(o.kind === "imm" ? o.value : o.target);
    case "mem": {
      const parts: string[] = [];
      if (o.rip) parts.push("rip");
      if (o.base !== null) parts.push(NAMES[64][o.base]!);
      if (o.index !== null) parts.push(`${NAMES[64][o.index]!}*${o.scale}`);
      let s = parts.join("+");
      if (parts.length === 0) s = hex(BigInt.asUintN(64, o.disp));
      else if (o.disp !== 0n) s += o.disp < 0n ? hex(o.disp) : `+${hex(o.disp)}`;
      return `${withSize ? PTR[o.size] : ""}[${s}]`;
    }
  }
}

/** The instruction as Intel-syntax text that x86_asm's assemble() reads back. */
export function formatInstruction(insn: Instruction): string {
  if (insn.operands.length === 0) return insn.mnemonic;
  const withSize = insn.op !== "lea";
  return `${insn.mnemonic} ${insn.operands.map((o) => formatOperand(o, withSize)).join(", ")}`;
}
