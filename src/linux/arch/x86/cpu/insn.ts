/**
 * A decoded instruction in the form the interpreter runs: numbers only, one object shape for
 * every instruction. decode.ts fills the encoding fields; execute.ts binds it to its address
 * (next, target, the effective-address constant) and picks its handler; the CPU caches it by
 * address so a loop decodes each instruction once.
 *
 * The numbers here are const enums: tsc writes their values in place, which V8's optimized code
 * needs (an imported `const` is a load and a check at each use).
 */
import type { CpuCore } from "./core.js";

/** Operations, in an order where the eight ALU ops come first as their ModRM /digit (add=/0 ... cmp=/7). */
export const enum Op {
  ADD, OR, ADC, SBB, AND, SUB, XOR, CMP, TEST, INC, DEC, MOV, LEA, PUSH, POP, PUSHFQ, POPFQ,
  JMP, JCC, CALL, RET, NOP, PAUSE, ENDBR64, INT3, INT1, HLT, UD2, SYSCALL, UNDEFINED,
}

/** Mnemonics by operation number (the disassembler's `op`). */
export const OP_NAMES = [
  "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp", "test", "inc", "dec", "mov", "lea",
  "push", "pop", "pushfq", "popfq", "jmp", "jcc", "call", "ret", "nop", "pause", "endbr64",
  "int3", "int1", "hlt", "ud2", "syscall", "(bad)",
] as const;

/** Operand layouts, destination first (Intel order). */
export const enum Form {
  NONE, // no operands
  RM_REG, // r/m, reg (ModRM: 01 /r, 89 /r, 85 /r)
  REG_RM, // reg, r/m (03 /r, 8B /r, 8D /r)
  RM_IMM, // r/m, imm (81/83/C7/F7; the accumulator forms and B8+r with `rm` a register)
  RM, // r/m alone (FF /n, 0F 1F, push/pop r with `rm` the register)
  IMM, // imm alone (push imm)
  REL, // branch displacement
}

/** Segment-override prefixes (accepted and ignored for the address in 64-bit mode). */
export const enum Seg { NONE, ES, CS, SS, DS }
export const SEG_NAMES = ["", "es", "cs", "ss", "ds"] as const;

/** Runs an instruction on a CPU; returns an X code (core.ts). */
export type Handler = (c: CpuCore, i: Insn) => number;

export class Insn {
  /* ---- the encoding (decode.ts) ---- */
  op: Op = Op.UNDEFINED;
  /** Bytes in the encoding. For UNDEFINED: the bytes read before the decoder gave up. */
  len = 0;
  /** Opcode: one byte, or 0x0F00 | second byte for the two-byte map. */
  opcode = 0;
  /** The REX prefix in effect (0 when none). */
  rex = 0;
  /** A 0x66 prefix is in effect. */
  p66 = false;
  seg: Seg = Seg.NONE;
  /** Operand size in bits: 16/32/64 by prefixes for sized ops; 64 for stack and branch ops. */
  size = 32;
  form: Form = Form.NONE;
  /** jcc: the condition (tttn, the low nibble of the opcode). */
  cond = 0;
  /** "movabs" (REX.W B8+r imm64). */
  movabs = false;
  /** ModRM.reg with REX.R. */
  reg = 0;
  /** The r/m operand when it is a register (0..15), else -1 (a memory operand). */
  rm = -1;
  /** Memory operand: base register or -1, index register or -1, log2 of the scale, displacement. */
  base = -1;
  index = -1;
  scale = 0;
  disp = 0;
  dispSize = 0;
  /** RIP-relative (ModRM mod=00 rm=101). */
  ripRel = false;
  /** The immediate as the instruction uses it (sign- or zero-extended to `size`), in int32 halves. */
  immLo = 0;
  immHi = 0;
  /** Bits of the immediate in the encoding (8/16/32/64), 0 without one. */
  immBits = 0;
  /** Branch displacement (signed) and its width in the encoding. */
  rel = 0;
  relBits = 0;
  /** UNDEFINED: why, and whether the CPU defines it (unsupported here) or not (#UD). */
  reason = "";
  unsupported = false;

  /* ---- bound to an address (execute.ts bind()) ---- */
  /** The handler that runs it (execute.ts). */
  fn: Handler = notBound;
  /** Its address. */
  addr = 0;
  /** The address of the next instruction. */
  next = 0;
  /** Branch target (next + rel), when it is in the lower canonical half; else -1. */
  target = -1;
  /** The displacement as a 64-bit constant (with RIP-relative: next + disp), in int32 halves. */
  dispLo = 0;
  dispHi = 0;
  /** The memory operand is addressed through SS (rsp/rbp base or an ss: prefix): #SS instead of #GP. */
  ss = false;
  /** Register operands: the destination (r/m or reg by the form) and the source. */
  dst = 0;
  src = 0;

  /* ---- the block compiler (block.ts) ---- */
  /** Times the interpreter ran it. */
  heat = 0;
  /** The compiled block that starts here. */
  block: CompiledBlock | null = null;
}

/** A compiled block (block.ts): what the run loop needs of one. */
export interface CompiledBlock {
  readonly insns: readonly Insn[];
  readonly len: number;
  readonly last: Insn;
  readonly run: (c: CpuCore) => number;
}

function notBound(): number {
  throw new Error("x86 cpu: instruction not bound");
}
