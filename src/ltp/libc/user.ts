/**
 * <sys/user.h> on x86_64: struct user_regs_struct in the process's memory, and the offsets
 * in struct user a PEEKUSER/POKEUSER request takes (what C computes with offsetof()).
 */
import { USER_DEBUGREG_OFFSET, USER_REGS_FIELDS, USER_REGS_SIZE, type UserRegsField } from "../../linux/arch/x86/include/asm/ptrace.js";
import { peekBytes, pokeBytes } from "./memory.js";

export { USER_REGS_SIZE, type UserRegsField };

/** offsetof(struct user, regs.<field>) on x86_64. */
export function offsetof_regs(field: UserRegsField): number {
  return USER_REGS_FIELDS.indexOf(field) * 8;
}

/** offsetof(struct user, u_debugreg[n]) on x86_64. */
export function offsetof_debugreg(n: number): number {
  return USER_DEBUGREG_OFFSET + n * 8;
}

/** A struct user_regs_struct as bigints (unsigned), field by field. */
export type UserRegs = Record<UserRegsField, bigint>;

/** Reads the struct user_regs_struct at `addr` (what PTRACE_GETREGS stored). */
export function peek_user_regs(addr: number): UserRegs {
  const v = new DataView(peekBytes(addr, USER_REGS_SIZE).buffer);
  return Object.fromEntries(USER_REGS_FIELDS.map((f, i) => [f, v.getBigUint64(i * 8, true)])) as UserRegs;
}

/** Writes `regs` as a struct user_regs_struct at `addr` (for PTRACE_SETREGS). */
export function poke_user_regs(addr: number, regs: UserRegs): void {
  const b = new Uint8Array(USER_REGS_SIZE);
  const v = new DataView(b.buffer);
  USER_REGS_FIELDS.forEach((f, i) => v.setBigUint64(i * 8, BigInt.asUintN(64, regs[f]), true));
  pokeBytes(addr, b);
}
