/** The register names the assembler knows: the 64-, 32- and 16-bit general registers. */

/** An operand size in bits (8-bit operands are not supported). */
export type Size = 16 | 32 | 64;

export const REGS: Record<string, { reg: number; size: Size }> = {};
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
/** The 8-bit registers: known, so that using one is refused by name rather than read as a label. */
export const BYTE_REGS = new Set(["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh", "spl", "bpl", "sil", "dil",
  ...Array.from({ length: 8 }, (_, i) => `r${i + 8}b`), ...Array.from({ length: 8 }, (_, i) => `r${i + 8}l`)]);

/** Is `low` (lower case) a register name, rip included: a name that can be no label. */
export function isRegisterName(low: string): boolean {
  return REGS[low] !== undefined || BYTE_REGS.has(low) || low === "rip";
}
