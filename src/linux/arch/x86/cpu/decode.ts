/**
 * x86-64 instruction decoder for the subset the interpreter executes (64-bit mode, user code):
 * bytes to an Insn, with numbers only.
 *
 * Encodings follow the Intel SDM vol. 2 (chapter 2 "Instruction Format", the opcode map of
 * appendix A and the instruction pages); the byte sequences of the tests were checked against
 * GNU as. Decoding never throws: an instruction the CPU would reject, one this interpreter does not
 * implement, bytes that run past what is available and an instruction longer than 15 bytes each
 * come back as a status, so the caller can raise SIGILL or SIGSEGV. Bytes are read one at a time
 * as the decoder needs them, so "past what is available" is exactly the first byte the CPU would
 * have fetched and faulted on.
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
 *   50+r push r64   58+r pop r64   (REX.B selects r8-r15)   6A push imm8   68 push imm32
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
import { Form, Insn, Op, Seg } from "./insn.js";

/** decodeInsn() results. */
export const enum Dec {
  OK,
  /** A byte at `end` was needed: the fetch of it is what faults (or, within 15 bytes, more bytes are needed). */
  NEED_MORE,
  /** More than 15 bytes: #GP. */
  TOO_LONG,
  /** #UD, or an instruction this interpreter does not implement: SIGILL. `reason` and `unsupported` say which. */
  UNDEFINED,
}

export const MAX_INSN_LEN = 15;

/* Opcodes that are #UD in 64-bit mode (SDM vol. 2 appendix A, "i64"), not merely unsupported here. */
const INVALID_64 = new Set([0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x60, 0x61,
  0x82, 0x9a, 0xce, 0xd4, 0xd5, 0xd6, 0xea]);

/* The decoder's cursor: one decode at a time (JS is single-threaded, and decoding never re-enters). */
const NO_BYTES = new Uint8Array(0);
let buf: Uint8Array = NO_BYTES;
let start = 0;
let end = 0;
let p = 0;
let insn = new Insn();

function need(): void {
  if (p - start >= MAX_INSN_LEN) throw Dec.TOO_LONG;
  if (p >= end) throw Dec.NEED_MORE;
}
function peek(): number {
  need();
  return buf[p]!;
}
function u8(): number {
  need();
  return buf[p++]!;
}
/** Little-endian signed integer of 1, 2 or 4 bytes. */
function signed(bytes: 1 | 2 | 4): number {
  if (bytes === 1) return (u8() << 24) >> 24;
  if (bytes === 2) return ((u8() | (u8() << 8)) << 16) >> 16;
  return u8() | (u8() << 8) | (u8() << 16) | (u8() << 24);
}

function unsupported(what: string): never {
  insn.reason = what;
  insn.unsupported = true;
  throw Dec.UNDEFINED;
}
function invalid(what: string): never {
  insn.reason = what;
  insn.unsupported = false;
  throw Dec.UNDEFINED;
}
function noRep(rep: number, what: string): void {
  if (rep) unsupported(`${rep.toString(16)} prefix with ${what}`);
}
function no66(p66: boolean, what: string): void {
  if (p66) unsupported(`16-bit ${what}`);
}
function hex2(b: number): string {
  return b.toString(16).padStart(2, "0");
}

/** Reads ModRM (+SIB +displacement) into insn.reg / rm / base / index / scale / disp; returns ModRM.reg's low 3 bits. */
function modrm(rex: number): number {
  const b = u8();
  const mod = b >> 6;
  const regLow = (b >> 3) & 7;
  insn.reg = regLow | ((rex & 4) << 1);
  const rmLow = b & 7;
  if (mod === 3) {
    insn.rm = rmLow | ((rex & 1) << 3);
    return regLow;
  }
  let dispSize = mod === 1 ? 8 : mod === 2 ? 32 : 0;
  if (rmLow === 4) {
    const sib = u8();
    insn.scale = sib >> 6;
    const idx = ((sib >> 3) & 7) | ((rex & 2) << 2);
    if (idx !== 4) insn.index = idx; // index 100 without REX.X means none; r12 (REX.X) is a real index
    const baseLow = sib & 7;
    if (baseLow === 5 && mod === 0) dispSize = 32; // no base, disp32 (REX.B does not matter)
    else insn.base = baseLow | ((rex & 1) << 3);
  } else if (rmLow === 5 && mod === 0) {
    insn.ripRel = true; // RIP-relative in 64-bit mode, with or without REX.B
    dispSize = 32;
  } else {
    insn.base = rmLow | ((rex & 1) << 3);
  }
  insn.dispSize = dispSize;
  insn.disp = dispSize === 8 ? signed(1) : dispSize === 32 ? signed(4) : 0;
  return regLow;
}

/** An immediate of `bits` in the encoding, extended to the operand size (sign-extended, then truncated). */
function imm(size: number, bits: 8 | 16 | 32): void {
  const v = signed((bits / 8) as 1 | 2 | 4);
  insn.immBits = bits;
  if (size === 64) {
    insn.immLo = v;
    insn.immHi = v < 0 ? -1 : 0;
  } else {
    insn.immLo = size === 32 ? v : v & 0xffff;
  }
}

/** jcc rel8 (70+cc) or rel32 (0F 80+cc). */
function jcc(cond: number, bits: 8 | 32, rep: number, p66: boolean): void {
  noRep(rep, "jcc");
  no66(p66, "jcc");
  insn.op = Op.JCC;
  insn.cond = cond;
  insn.size = 64;
  rel(bits);
}

function rel(bits: 8 | 32): void {
  insn.rel = signed(bits === 8 ? 1 : 4);
  insn.relBits = bits;
  insn.form = Form.REL;
}

/**
 * Decodes the instruction starting at buf[from]; bytes [from, to) are available. Fills `out`
 * (a fresh Insn) and returns Dec.OK or another Dec status. out.len is the bytes read.
 */
export function decodeInsn(bytes: Uint8Array, from: number, to: number, out: Insn): number {
  buf = bytes;
  start = p = from;
  end = to;
  insn = out;
  let status = Dec.OK;
  try {
    decodeAt();
  } catch (e) {
    if (typeof e !== "number") throw e;
    status = e;
  }
  out.len = p - start;
  buf = NO_BYTES; // do not keep the caller's bytes alive
  return status;
}

/** The instruction at p: its prefixes, then the opcode, by map and row. */
function decodeAt(): void {
  const i = insn;
  const rep = decodePrefixes();
  const rex = i.rex, p66 = i.p66;
  const W = (rex & 8) !== 0;
  const vsize = W ? 64 : p66 ? 16 : 32;
  const zbits = vsize === 16 ? 16 : 32; // immediates are at most 32 bits except movabs
  i.size = vsize;
  const opc = u8();
  i.opcode = opc;
  if (opc < 0x40 && (opc & 7) !== 6 && (opc & 7) !== 7) {
    decodeAluRow(opc, rex, rep, vsize, zbits);
  } else if (opc >= 0x50 && opc <= 0x5f) {
    noRep(rep, "push/pop");
    no66(p66, "push/pop");
    i.op = opc < 0x58 ? Op.PUSH : Op.POP;
    i.size = 64;
    i.rm = (opc & 7) | ((rex & 1) << 3);
    i.form = Form.RM;
  } else if (opc >= 0x70 && opc <= 0x7f) {
    jcc(opc & 15, 8, rep, p66);
  } else if (opc >= 0xb8 && opc <= 0xbf) {
    decodeMovImm(opc, rex, rep, vsize, zbits);
  } else if (opc === 0x0f) {
    decode0F(rex, p66, rep);
  } else {
    decodeOneByte(opc, rex, p66, rep, vsize, zbits);
  }
}

/**
 * The legacy and REX prefixes, into insn.rex, insn.p66 and insn.seg; returns the rep prefix
 * (0xf3, 0xf2, or 0). A REX prefix counts only right before the opcode: another prefix after
 * it cancels it.
 */
function decodePrefixes(): number {
  const i = insn;
  let rex = 0;
  let p66 = false;
  let rep = 0;
  for (;;) {
    const b = peek();
    if (b >= 0x40 && b <= 0x4f) {
      rex = b;
    } else if (b === 0x66) {
      p66 = true;
      rex = 0;
    } else if (b === 0x2e || b === 0x3e || b === 0x26 || b === 0x36) {
      rex = 0; // null segment overrides in 64-bit mode
      i.seg = b === 0x26 ? Seg.ES : b === 0x2e ? Seg.CS : b === 0x36 ? Seg.SS : Seg.DS;
    } else if (b === 0xf3 || b === 0xf2) {
      rep = b;
      rex = 0;
    } else if (b === 0xf0) {
      p++;
      unsupported("lock prefix");
    } else if (b === 0x64 || b === 0x65) {
      p++;
      unsupported("fs/gs segment override");
    } else if (b === 0x67) {
      p++;
      unsupported("address-size prefix (32-bit addressing)");
    } else {
      break;
    }
    p++;
  }
  i.rex = rex;
  i.p66 = p66;
  return rep;
}

/** 00-3f: the eight ALU operations (add ... cmp) in their Ev,Gv / Gv,Ev / rAX,Iz forms. */
function decodeAluRow(opc: number, rex: number, rep: number, vsize: number, zbits: 16 | 32): void {
  const i = insn;
  noRep(rep, "ALU op");
  i.op = Op.ADD + (opc >> 3);
  switch (opc & 7) {
    case 1:
      modrm(rex);
      i.form = Form.RM_REG;
      break;
    case 3:
      modrm(rex);
      i.form = Form.REG_RM;
      break;
    case 5:
      i.rm = 0;
      i.form = Form.RM_IMM;
      imm(vsize, zbits);
      break;
    default:
      unsupported("8-bit ALU form");
  }
}

/** b8+r: mov r, imm (imm64 with REX.W: movabs). */
function decodeMovImm(opc: number, rex: number, rep: number, vsize: number, zbits: 16 | 32): void {
  const i = insn;
  noRep(rep, "mov");
  i.op = Op.MOV;
  i.rm = (opc & 7) | ((rex & 1) << 3);
  i.form = Form.RM_IMM;
  if (rex & 8) {
    i.movabs = true;
    i.immLo = u8() | (u8() << 8) | (u8() << 16) | (u8() << 24);
    i.immHi = u8() | (u8() << 8) | (u8() << 16) | (u8() << 24);
    i.immBits = 64;
  } else {
    imm(vsize, zbits);
  }
}

function decode0F(rex: number, p66: boolean, rep: number): void {
  const i = insn;
  const o2 = u8();
  i.opcode = 0x0f00 | o2;
  if (o2 === 0x05) {
    noRep(rep, "syscall");
    i.op = Op.SYSCALL;
    i.size = 64;
  } else if (o2 === 0x0b) {
    i.op = Op.UD2; // decoded; executing it raises #UD whatever the prefixes
    i.size = 64;
  } else if (o2 === 0x1f) {
    noRep(rep, "nop");
    const digit = modrm(rex);
    if (digit !== 0) unsupported(`0f 1f /${digit} (reserved hint nop)`);
    i.op = Op.NOP;
    i.form = Form.RM;
  } else if (o2 === 0x1e && rep === 0xf3 && peek() === 0xfa) {
    p++;
    i.op = Op.ENDBR64; // a nop unless CET indirect-branch tracking is on, which Linux does not do for user space
    i.size = 64;
  } else if (o2 >= 0x80 && o2 <= 0x8f) {
    jcc(o2 & 15, 32, rep, p66);
  } else if (o2 === 0xff || o2 === 0xb9) {
    invalid(o2 === 0xff ? "ud0" : "ud1");
  } else {
    unsupported(`opcode 0f ${hex2(o2)}`);
  }
}

/** The rest of the one-byte map, by instruction family. */
function decodeOneByte(opc: number, rex: number, p66: boolean, rep: number, vsize: number, zbits: 16 | 32): void {
  switch (opc) {
    case 0x81: case 0x83: case 0x85: case 0x89: case 0x8b: case 0x8d: case 0xa9: case 0xc7: case 0xf7:
      decodeAluMov(opc, rex, rep, vsize, zbits);
      break;
    case 0x68: case 0x6a: case 0x9c: case 0x9d: case 0xc3: case 0xe8: case 0xe9: case 0xeb:
      decodeStackBranch(opc, p66, rep);
      break;
    case 0x90: case 0xcc: case 0xf1: case 0xf4:
      decodeNopTrap(opc, rex, rep);
      break;
    case 0xff:
      decodeGroup5(rex, p66, rep);
      break;
    default:
      if (INVALID_64.has(opc)) invalid(`opcode ${hex2(opc)} (invalid in 64-bit mode)`);
      unsupported(`opcode ${hex2(opc)}`);
  }
}

/** ALU with an immediate (group 1), test, mov and lea. */
function decodeAluMov(opc: number, rex: number, rep: number, vsize: number, zbits: 16 | 32): void {
  const i = insn;
  switch (opc) {
    case 0x81:
    case 0x83: {
      noRep(rep, "ALU op");
      i.op = Op.ADD + modrm(rex);
      i.form = Form.RM_IMM;
      imm(vsize, opc === 0x83 ? 8 : zbits);
      break;
    }
    case 0x85: // test Ev, Gv
    case 0x89: // mov Ev, Gv
    case 0x8b: // mov Gv, Ev
      noRep(rep, opc === 0x85 ? "test" : "mov");
      modrm(rex);
      i.op = opc === 0x85 ? Op.TEST : Op.MOV;
      i.form = opc === 0x8b ? Form.REG_RM : Form.RM_REG;
      break;
    case 0x8d:
      noRep(rep, "lea");
      modrm(rex);
      if (i.rm >= 0) invalid("lea with a register source");
      i.op = Op.LEA;
      i.form = Form.REG_RM;
      break;
    case 0xa9:
      noRep(rep, "test");
      i.op = Op.TEST;
      i.rm = 0;
      i.form = Form.RM_IMM;
      imm(vsize, zbits);
      break;
    default: { // c7: mov Ev, Iz (C7 /0); f7: test Ev, Iz (F7 /0)
      noRep(rep, opc === 0xc7 ? "mov" : "test");
      const digit = modrm(rex);
      if (digit !== 0) unsupported(`${hex2(opc)} /${digit}`);
      i.op = opc === 0xc7 ? Op.MOV : Op.TEST;
      i.form = Form.RM_IMM;
      imm(vsize, zbits);
    }
  }
}

/** push imm, pushf/popf, ret, and call/jmp with a displacement: the stack and control transfers. */
function decodeStackBranch(opc: number, p66: boolean, rep: number): void {
  const i = insn;
  switch (opc) {
    case 0x6a:
    case 0x68:
      noRep(rep, "push");
      no66(p66, "push");
      i.op = Op.PUSH;
      i.size = 64;
      i.form = Form.IMM;
      imm(64, opc === 0x6a ? 8 : 32);
      break;
    case 0x9c:
    case 0x9d:
      noRep(rep, "pushf/popf");
      no66(p66, "pushf/popf");
      i.op = opc === 0x9c ? Op.PUSHFQ : Op.POPFQ;
      i.size = 64;
      break;
    case 0xc3:
      noRep(rep, "ret");
      no66(p66, "ret");
      i.op = Op.RET;
      i.size = 64;
      break;
    default: // e8 call, e9 jmp, eb jmp short
      noRep(rep, "branch");
      no66(p66, "branch");
      i.op = opc === 0xe8 ? Op.CALL : Op.JMP;
      i.size = 64;
      rel(opc === 0xeb ? 8 : 32);
  }
}

/** nop and pause, and the instructions that trap: int3, int1, hlt. */
function decodeNopTrap(opc: number, rex: number, rep: number): void {
  const i = insn;
  if (opc === 0x90) {
    if (rex & 1) unsupported("xchg r8, rax");
    if (rep === 0xf3) {
      i.op = Op.PAUSE;
    } else {
      noRep(rep, "nop");
      i.op = Op.NOP;
    }
    return;
  }
  // int3, int1, hlt: no checks on prefixes, as the CPU makes none
  i.op = opc === 0xcc ? Op.INT3 : opc === 0xf1 ? Op.INT1 : Op.HLT;
  i.size = 64;
}

function decodeGroup5(rex: number, p66: boolean, rep: number): void {
  const i = insn;
  noRep(rep, "group 5");
  const digit = (peek() >> 3) & 7;
  i.form = Form.RM;
  if (digit === 0 || digit === 1) {
    modrm(rex);
    i.op = digit === 0 ? Op.INC : Op.DEC;
  } else if (digit === 2 || digit === 4 || digit === 6) {
    no66(p66, "indirect branch/push");
    modrm(rex);
    i.op = digit === 2 ? Op.CALL : digit === 4 ? Op.JMP : Op.PUSH;
    i.size = 64;
  } else if (digit === 7) {
    p++;
    invalid("ff /7");
  } else {
    modrm(rex);
    if (i.rm >= 0) invalid(`ff /${digit} with a register operand`);
    unsupported(`far ${digit === 3 ? "call" : "jmp"}`);
  }
}

