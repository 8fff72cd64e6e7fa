/**
 * The decoder's results as a reader wants them: an Instruction with typed operands (BigInt
 * addresses and values) and Intel-syntax text in the style of `objdump -d -M intel`, which the
 * test assembler (src/ltp/x86_asm.ts) reads back. For tests, debuggers and error messages; the
 * interpreter runs the compact Insn of insn.ts instead.
 */
import { Dec, decodeInsn, MAX_INSN_LEN } from "./decode.js";
import { Form, Insn, Op as OpCode, OP_NAMES, Seg, SEG_NAMES } from "./insn.js";
import type { FetchMemory } from "./memory.js";
import { big } from "./regs.js";

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

export type Op = Exclude<(typeof OP_NAMES)[number], "(bad)">;

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

/** Up to 15 bytes at `addr`: as many as can be fetched one after the other. */
function fetchBytes(mem: FetchMemory, addr: bigint): Uint8Array {
  const out: number[] = [...(mem.fetch(addr, MAX_INSN_LEN)?.subarray(0, MAX_INSN_LEN) ?? [])];
  while (out.length < MAX_INSN_LEN) {
    const more = mem.fetch((addr + BigInt(out.length)) & M64, 1);
    if (!more || more.length === 0) break;
    out.push(more[0]!);
  }
  return Uint8Array.from(out);
}

/** Decodes the instruction at `addr`. */
export function decode(mem: FetchMemory, addr: bigint): DecodeResult {
  addr &= M64;
  if (!isCanonical(addr)) return { kind: "gp", addr, reason: "non-canonical rip" };
  const bytes = fetchBytes(mem, addr);
  const insn = new Insn();
  const status = decodeInsn(bytes, 0, bytes.length, insn);
  if (status === Dec.OK) return { kind: "insn", insn: describe(insn, addr, bytes.slice(0, insn.len)) };
  if (status === Dec.NEED_MORE) return { kind: "fetch-fault", addr, faultAddr: (addr + BigInt(bytes.length)) & M64 };
  if (status === Dec.TOO_LONG) return { kind: "gp", addr, reason: "instruction longer than 15 bytes" };
  return { kind: "undefined", addr, bytes: bytes.slice(0, insn.len), reason: insn.reason, unsupported: insn.unsupported };
}

/** The r/m operand of a decoded instruction. */
function rmOperand(i: Insn): RegOperand | MemOperand {
  const size = i.size as OpSize;
  if (i.rm >= 0) return { kind: "reg", reg: i.rm, size };
  return {
    kind: "mem", size, base: i.base < 0 ? null : i.base, index: i.index < 0 ? null : i.index,
    scale: (1 << i.scale) as 1 | 2 | 4 | 8, disp: BigInt(i.disp), dispSize: i.dispSize as 0 | 8 | 32, rip: i.ripRel,
  };
}

function operands(i: Insn, next: bigint): Operand[] {
  const size = i.size as OpSize;
  const reg: RegOperand = { kind: "reg", reg: i.reg, size };
  const imm = (): ImmOperand => ({
    kind: "imm", value: big(i.immLo, i.immHi), size, encSize: i.immBits as 8 | 16 | 32 | 64,
  });
  switch (i.form) {
    case Form.RM_REG: return [rmOperand(i), reg];
    case Form.REG_RM: return [reg, rmOperand(i)];
    case Form.RM_IMM: return [rmOperand(i), imm()];
    case Form.RM: return [rmOperand(i)];
    case Form.IMM: return [imm()];
    case Form.REL: return [{ kind: "rel", target: (next + BigInt(i.rel)) & M64, disp: BigInt(i.rel), encSize: i.relBits as 8 | 32 }];
    default: return [];
  }
}

/** The Instruction view of a decoded Insn at `addr` (whose encoding is `bytes`). */
export function describe(i: Insn, addr: bigint, bytes: Uint8Array): Instruction {
  if (i.op === OpCode.UNDEFINED) throw new Error(`x86 describe: undefined instruction (${i.reason})`);
  const op = OP_NAMES[i.op] as Op;
  const next = (addr + BigInt(i.len)) & M64;
  // one object shape for every instruction (cond and segment present, possibly undefined)
  return {
    addr, length: i.len, bytes, op,
    mnemonic: i.movabs ? "movabs" : i.op === OpCode.JCC ? CC_NAMES[i.cond]! : op,
    cond: i.op === OpCode.JCC ? i.cond : undefined,
    opsize: i.size as OpSize, operands: operands(i, next), opcode: i.opcode, rex: i.rex, opsizePrefix: i.p66,
    segment: i.seg === Seg.NONE ? undefined : SEG_NAMES[i.seg] as Instruction["segment"],
  };
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
