/**
 * <sys/ptrace.h>: ptrace() with glibc's conventions (the PEEK requests return the word read,
 * with errno set to 0 first so that a word of -1 can be told from an error). struct
 * user_regs_struct is in user.ts.
 */
import { PTRACE_PEEKDATA, PTRACE_PEEKTEXT, PTRACE_PEEKUSER } from "../../linux/include/uapi/ptrace.js";
import { wordOfBits, type Word } from "../../linux/include/uapi/word.js";
import { outBuffer } from "./data_segment.js";
import { setErrno } from "./errno.js";
import { peekBytes } from "./memory.js";
import { syscall } from "./syscall.js";

const PEEKS = new Set([PTRACE_PEEKTEXT, PTRACE_PEEKDATA, PTRACE_PEEKUSER]);

/**
 * The word a PEEK request reads, all 64 bits (or null with errno). The kernel stores it in the
 * library's out-parameter buffer, as glibc's wrapper has it stored in a local.
 */
export async function ptrace_peek(request: number, pid: number, addr: Word): Promise<bigint | null> {
  const word = outBuffer();
  const r = await syscall("ptrace", request, pid, addr, word);
  return r === -1 ? null : new DataView(peekBytes(word, 8).buffer).getBigUint64(0, true);
}

/**
 * ptrace(2) as glibc has it: for PEEKTEXT, PEEKDATA and PEEKUSER the word read (a long, all
 * 64 bits) with errno 0, or -1 with errno; otherwise the call's result. `addr` and `data` are
 * words too (void * and the word POKE stores).
 */
export async function ptrace(request: number, pid: number, addr: Word = 0, data: Word = 0): Promise<Word> {
  if (!PEEKS.has(request)) return syscall("ptrace", request, pid, addr, data);
  const word = await ptrace_peek(request, pid, addr);
  if (word === null) return -1;
  setErrno(0);
  return wordOfBits(word);
}
