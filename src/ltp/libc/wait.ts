/** <sys/wait.h>: waiting for children, and the macros over a wait status word. */
import { outBuffer, scratchWord } from "./data_segment.js";
import { peekInt, pokeBytes } from "./memory.js";
import { intSyscall, type SysResult } from "./syscall.js";

export const WIFEXITED = (s: number): boolean => (s & 0x7f) === 0;
export const WEXITSTATUS = (s: number): number => (s >> 8) & 0xff;
export const WIFSIGNALED = (s: number): boolean => ((s & 0x7f) + 1) >> 1 > 0 && (s & 0x7f) !== 0x7f;
export const WTERMSIG = (s: number): number => s & 0x7f;
export const WCOREDUMP = (s: number): boolean => (s & 0x80) !== 0;
export const WIFSTOPPED = (s: number): boolean => (s & 0xff) === 0x7f;
export const WSTOPSIG = (s: number): number => (s >> 8) & 0xff;
/** __W_CONTINUED: the status waitpid(WCONTINUED) reports. */
export const WIFCONTINUED = (s: number): boolean => s === 0xffff;
/** W_EXITCODE(ret, sig) and W_STOPCODE(sig): the statuses of an exit and of a stop (glibc's <sys/wait.h>). */
export const W_EXITCODE = (ret: number, sig: number): number => (ret << 8) | sig;
export const W_STOPCODE = (sig: number): number => (sig << 8) | 0x7f;

/** wait4(pid, &status, options, NULL), returning the pid (or -1) and the status word. */
export async function waitpid(pid: number, options = 0): Promise<{ pid: number; status: number }> {
  const addr = scratchWord();
  const r = await intSyscall("wait4", pid, addr, options, 0);
  return { pid: r, status: r > 0 ? peekInt(addr) : 0 };
}

/** wait4(pid, status, options, rusage) with the caller's pointers, as glibc's wrapper passes them. */
export const wait4 = (pid: number, status: number, options: number, rusage: number): SysResult => intSyscall("wait4", pid, status, options, rusage);

/** wait(&status): waitpid(-1, &status, 0). */
export const wait = (): Promise<{ pid: number; status: number }> => waitpid(-1, 0);

/** What waitid() stores in its siginfo_t. */
export interface WaitidInfo {
  readonly si_signo: number;
  readonly si_code: number;
  readonly si_pid: number;
  readonly si_uid: number;
  readonly si_status: number;
}

/** waitid(idtype, id, &info, options): the result (0 or -1) and the siginfo it filled in. */
export async function waitid(idtype: number, id: number, options: number): Promise<{ ret: number; info: WaitidInfo }> {
  const buf = outBuffer();
  pokeBytes(buf, new Uint8Array(128));
  const ret = await intSyscall("waitid", idtype, id, buf, options, 0);
  const info = {
    si_signo: peekInt(buf), si_code: peekInt(buf + 8), si_pid: peekInt(buf + 16),
    si_uid: peekInt(buf + 20), si_status: peekInt(buf + 24),
  };
  return { ret, info };
}
