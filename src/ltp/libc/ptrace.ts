/**
 * <sys/ptrace.h>: ptrace() with glibc's conventions (the PEEK requests return the word read,
 * with errno set to 0 first so that a word of -1 can be told from an error). struct
 * user_regs_struct is in user.ts.
 */
import { PTRACE_PEEKDATA, PTRACE_PEEKTEXT, PTRACE_PEEKUSER } from "../../linux/include/uapi/ptrace.js";
import { outBuffer } from "./data_segment.js";
import { setErrno } from "./errno.js";
import { peekBytes } from "./memory.js";
import { syscall } from "./syscall.js";

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
