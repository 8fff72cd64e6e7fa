/**
 * What ptrace testcases share: SAFE_PTRACE, a tracee that runs machine code under
 * PTRACE_TRACEME and stops itself first, resuming it and waiting for its next stop, its
 * registers and siginfo, and wait statuses as text (LTP's tst_strstatus()).
 */
import { PTRACE_GETREGS, PTRACE_GETSIGINFO, PTRACE_TRACEME } from "../../linux/include/uapi/ptrace.js";
import { signalName, SIGSTOP } from "../../linux/include/uapi/signal.js";
import type { Word } from "../../linux/include/uapi/word.js";
import { outBuffer } from "../libc/data_segment.js";
import { errno } from "../libc/errno.js";
import { peekInt, peekU64 } from "../libc/memory.js";
import { ptrace } from "../libc/ptrace.js";
import { peek_user_regs, type UserRegs } from "../libc/user.js";
import { W_STOPCODE, WEXITSTATUS, WIFCONTINUED, WIFEXITED, WIFSIGNALED, WIFSTOPPED, WSTOPSIG, WTERMSIG } from "../libc/wait.js";
import { tst_run_code_at } from "./tst_code.js";
import { TBROK, TERRNO, tst_brk } from "./tst_res.js";
import { SAFE_FORK, SAFE_WAITPID } from "./tst_safe_macros.js";

/** SAFE_PTRACE(): TBROK with errno when the request fails. */
export async function SAFE_PTRACE(request: number, pid: number, addr: Word = 0, data: Word = 0): Promise<Word> {
  const r = await ptrace(request, pid, addr, data);
  if (r === -1 && errno() !== 0) tst_brk(TBROK | TERRNO, `ptrace(${request}, ${pid}, 0x${addr.toString(16)}, 0x${data.toString(16)}) failed`);
  return r;
}

/** PTRACE_GETREGS into the library's out-parameter buffer, read back. */
export async function SAFE_GETREGS(pid: number): Promise<UserRegs> {
  const buf = outBuffer();
  await SAFE_PTRACE(PTRACE_GETREGS, pid, 0, buf);
  return peek_user_regs(buf);
}

/** Machine code a tracee starts with: kill(getpid(), SIGSTOP), as raise(SIGSTOP) does. */
export const TST_RAISE_SIGSTOP = `
    mov eax, 39        ; getpid
    syscall
    mov edi, eax
    mov esi, ${SIGSTOP}
    mov eax, 62        ; kill
    syscall`;

/** tst_strstatus(): "exited with 0", "killed by SIGKILL", "stopped by SIGTRAP (0x57f)"... */
export function tst_strstatus(status: number): string {
  if (WIFEXITED(status)) return `exited with ${WEXITSTATUS(status)}`;
  if (WIFSIGNALED(status)) return `killed by ${signalName(WTERMSIG(status))}`;
  if (WIFCONTINUED(status)) return "continued";
  if (WIFSTOPPED(status)) return `stopped by ${signalName(WSTOPSIG(status))}${status >> 16 ? ` event ${status >> 16}` : ""} (0x${status.toString(16)})`;
  return `invalid status 0x${status.toString(16)}`;
}

/**
 * Forks a tracee: the child asks its parent to trace it and runs the machine code at `addr`
 * (loaded before the fork, so at the same address in both), which is to begin with
 * TST_RAISE_SIGSTOP. `before` runs in the child first (to install handlers). Returns the
 * child's pid once the tracer has seen that stop.
 */
export async function tst_fork_tracee(addr: number, before?: () => Promise<void>): Promise<number> {
  const pid = await SAFE_FORK(async () => {
    await SAFE_PTRACE(PTRACE_TRACEME, 0);
    if (before) await before();
    return tst_run_code_at(addr);
  });
  const { status } = await SAFE_WAITPID(pid);
  if (status !== W_STOPCODE(SIGSTOP)) tst_brk(TBROK, `tracee ${pid} ${tst_strstatus(status)}, expected stopped by SIGSTOP`);
  return pid;
}

/** Resumes the tracee with `request` (CONT, SINGLESTEP...) and `sig`; the wait status of what it did next. */
export async function tst_ptrace_resume(pid: number, request: number, sig = 0): Promise<number> {
  await SAFE_PTRACE(request, pid, 0, sig);
  return (await SAFE_WAITPID(pid)).status;
}

/** PTRACE_GETSIGINFO's si_signo, si_code and si_addr (the first word of the union). */
export async function tst_getsiginfo(pid: number): Promise<{ signo: number; code: number; addr: number }> {
  const info = outBuffer();
  await SAFE_PTRACE(PTRACE_GETSIGINFO, pid, 0, info);
  return { signo: peekInt(info), code: peekInt(info + 8), addr: peekU64(info + 16) };
}

/** A word a PEEK request read, for messages: 0x..., or "error" where the request failed. */
export function tst_strword(v: bigint | null): string {
  return v === null ? "error" : `0x${v.toString(16)}`;
}
