/**
 * <sys/ptrace.h> and <sys/user.h> for testcases: ptrace() with glibc's conventions (the PEEK
 * requests return the word read, with errno set to 0 first so that a word of -1 can be told
 * from an error), SAFE_PTRACE, and struct user_regs_struct in the process's memory.
 */
import { PTRACE_GETREGS, PTRACE_PEEKDATA, PTRACE_PEEKTEXT, PTRACE_PEEKUSER } from "../../linux/include/uapi/ptrace.js";
import { USER_DEBUGREG_OFFSET, USER_REGS_FIELDS, USER_REGS_SIZE, type UserRegsField } from "../../linux/arch/x86/include/asm/ptrace.js";
import { errno, outBuffer, peekBytes, pokeBytes, setErrno, syscall } from "./libc.js";
import { TBROK, TERRNO, tst_brk } from "../lib/tst_res.js";

export { USER_REGS_SIZE, type UserRegsField };

/** offsetof(struct user, regs.<field>) on x86_64. */
export function offsetof_regs(field: UserRegsField): number {
  return USER_REGS_FIELDS.indexOf(field) * 8;
}

/** offsetof(struct user, u_debugreg[n]) on x86_64. */
export function offsetof_debugreg(n: number): number {
  return USER_DEBUGREG_OFFSET + n * 8;
}

const PEEKS = new Set([PTRACE_PEEKTEXT, PTRACE_PEEKDATA, PTRACE_PEEKUSER]);

/**
 * The word a PEEK request reads, all 64 bits (or null with errno). The kernel stores it in the
 * library's out-parameter buffer, as glibc's wrapper has it stored in a local.
 */
export async function ptrace_peek(request: number, pid: number, addr: number): Promise<bigint | null> {
  const word = outBuffer();
  const r = await syscall("ptrace", request, pid, addr, word);
  return r === -1 ? null : new DataView(peekBytes(word, 8).buffer).getBigUint64(0, true);
}

/**
 * ptrace(2) as glibc has it: for PEEKTEXT, PEEKDATA and PEEKUSER the word read (as a signed
 * long; exact within +-2^53) with errno 0, or -1 with errno; otherwise the call's result.
 */
export async function ptrace(request: number, pid: number, addr = 0, data = 0): Promise<number> {
  if (!PEEKS.has(request)) return syscall("ptrace", request, pid, addr, data);
  const word = await ptrace_peek(request, pid, addr);
  if (word === null) return -1;
  setErrno(0);
  return Number(BigInt.asIntN(64, word));
}

/** SAFE_PTRACE(): TBROK with errno when the request fails. */
export async function SAFE_PTRACE(request: number, pid: number, addr = 0, data = 0): Promise<number> {
  const r = await ptrace(request, pid, addr, data);
  if (r === -1 && errno() !== 0) tst_brk(TBROK | TERRNO, `ptrace(${request}, ${pid}, 0x${addr.toString(16)}, 0x${data.toString(16)}) failed`);
  return r;
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

/** PTRACE_GETREGS into the library's out-parameter buffer, read back. */
export async function SAFE_GETREGS(pid: number): Promise<UserRegs> {
  const buf = outBuffer();
  await SAFE_PTRACE(PTRACE_GETREGS, pid, 0, buf);
  return peek_user_regs(buf);
}
