/**
 * The instructions the assembler knows, by family: each family has its encoder
 * (encode_<family>.ts), and the tables here hold the numbers they share with the parser.
 */

/** The eight classic ALU operations: the /digit of 80-83 and bits 5:3 of their other opcodes. */
export const ALU: Record<string, number> = { add: 0, or: 1, adc: 2, sbb: 3, and: 4, sub: 5, xor: 6, cmp: 7 };

/** Condition codes of jcc: 70+cc (rel8), 0F 80+cc (rel32). */
export const CC: Record<string, number> = {
  jo: 0, jno: 1, jb: 2, jc: 2, jnae: 2, jae: 3, jnb: 3, jnc: 3, je: 4, jz: 4, jne: 5, jnz: 5,
  jbe: 6, jna: 6, ja: 7, jnbe: 7, js: 8, jns: 9, jp: 10, jpe: 10, jnp: 11, jpo: 11,
  jl: 12, jnge: 12, jge: 13, jnl: 13, jle: 14, jng: 14, jg: 15, jnle: 15,
};

/** Instructions without operands, and their bytes. */
export const SIMPLE: Record<string, number[]> = {
  pause: [0xf3, 0x90], endbr64: [0xf3, 0x0f, 0x1e, 0xfa], int3: [0xcc], int1: [0xf1], icebp: [0xf1],
  hlt: [0xf4], ud2: [0x0f, 0x0b], syscall: [0x0f, 0x05], pushfq: [0x9c], pushf: [0x9c],
  popfq: [0x9d], popf: [0x9d], ret: [0xc3],
};

export type Family = "misc" | "move" | "alu" | "branch";

const NAMED: Record<string, Family> = {
  nop: "misc", push: "move", pop: "move", mov: "move", movabs: "move", lea: "move",
  test: "alu", inc: "alu", dec: "alu", jmp: "branch", call: "branch",
};

/** The family of a mnemonic (lower case), or undefined for one the assembler does not know. */
export function familyOf(mnemonic: string): Family | undefined {
  if (SIMPLE[mnemonic]) return "misc";
  if (ALU[mnemonic] !== undefined) return "alu";
  if (CC[mnemonic] !== undefined) return "branch";
  return Object.hasOwn(NAMED, mnemonic) ? NAMED[mnemonic] : undefined;
}
