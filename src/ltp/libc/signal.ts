/**
 * <signal.h>: sending signals, the signal mask and dispositions. Signal sets are bigints, bit
 * n-1 for signal n, as the kernel's sigset_t; they pass through the process's memory like any
 * pointer argument. A handler is a function of the testcase: sigaction() gives it an address
 * in the program's text, and the kernel runs it on the task when the signal is delivered.
 */
import { SA_RESTART, SA_RESTORER, SIGSET_SIZE } from "../../linux/include/uapi/signal.js";
import type { UserFunction } from "../../targets/target.js";
import { job } from "../context.js";
import { TCONF, tst_brk } from "../lib/tst_res.js";
import { enterHandler, leaveHandler, outBuffer } from "./data_segment.js";
import { peekBytes, pokeBytes } from "./memory.js";
import { after, intSyscall, syscall, type SysResult } from "./syscall.js";
import { getpid, gettid } from "./unistd.js";

/** sigmask(sig): the set holding only sig. */
export const sigmask = (sig: number): bigint => 1n << BigInt(sig - 1);
export const sigismember = (set: bigint, sig: number): boolean => (set & sigmask(sig)) !== 0n;

function putSet(addr: number, set: bigint): void {
  const b = new Uint8Array(SIGSET_SIZE);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, set), true);
  pokeBytes(addr, b);
}

function getSet(addr: number): bigint {
  return new DataView(peekBytes(addr, SIGSET_SIZE).buffer).getBigUint64(0, true);
}

/**
 * kill(2). kill(-1, sig) signals every process the caller may signal: on a target where the
 * job does not have the machine to itself (the host without namespaces), that is the whole
 * machine, so the test cannot run there (TCONF with the reason).
 */
export function kill(pid: number, sig: number): SysResult {
  if (pid === -1) {
    const { isolation } = job().target;
    if (!isolation.isolated) tst_brk(TCONF, `kill(-1, ${sig}) would signal every process of this machine: ${isolation.detail}`);
  }
  return intSyscall("kill", pid, sig);
}

/** tgkill(tgid, tid, sig): a signal to one thread. */
export const tgkill = (tgid: number, tid: number, sig: number): SysResult => intSyscall("tgkill", tgid, tid, sig);

/** raise(): glibc sends the signal to the calling thread with tgkill(). */
export const raise = (sig: number): SysResult =>
  after(getpid(), (pid) => after(gettid(), (tid) => tgkill(pid, tid, sig)));

/** sigprocmask(how, set, &old): the old mask, or -1. `set` null only reads the mask. */
export async function sigprocmask(how: number, set: bigint | null): Promise<bigint | -1> {
  const buf = outBuffer();
  if (set !== null) putSet(buf, set);
  const r = await intSyscall("rt_sigprocmask", how, set === null ? 0 : buf, buf + 8, SIGSET_SIZE);
  return r === -1 ? -1 : getSet(buf + 8);
}

/** sigpending(): the set of blocked signals waiting, or -1. */
export async function sigpending(): Promise<bigint | -1> {
  const buf = outBuffer();
  const r = await intSyscall("rt_sigpending", buf, SIGSET_SIZE);
  return r === -1 ? -1 : getSet(buf);
}

/** sigsuspend(mask): waits for a signal with `mask` in place; always -1 (EINTR after a handler). */
export function sigsuspend(mask: bigint): SysResult {
  const buf = outBuffer();
  putSet(buf, mask);
  return intSyscall("rt_sigsuspend", buf, SIGSET_SIZE);
}

/**
 * A signal handler: called with the signal number and, for SA_SIGINFO, the addresses of the
 * siginfo_t and ucontext_t in the process's memory (peek them like any C pointer).
 */
export type SignalHandler = (sig: number, info: number, ucontext: number) => Promise<void> | void;

/** struct sigaction: SIG_DFL, SIG_IGN or a handler, the flags and the mask to block while it runs. */
export interface SigAction {
  readonly handler: number | SignalHandler;
  readonly flags?: number;
  readonly mask?: bigint;
}

/** The program's entry point of each handler (one per handler, the same in every job). */
const entries = new WeakMap<SignalHandler, UserFunction>();
const handlers = new WeakMap<UserFunction, SignalHandler>();

/**
 * What the kernel enters for a handler: the handler itself, with the C library's per-call
 * scratch memory moved past the interrupted code's (as a handler's locals go below the
 * interrupted frame on the stack).
 */
function entryOf(fn: SignalHandler): UserFunction {
  let entry = entries.get(fn);
  if (!entry) {
    entry = async (sig, info, uc) => {
      enterHandler();
      try {
        await fn(sig, info, uc);
      } finally {
        leaveHandler();
      }
    };
    entries.set(fn, entry);
    handlers.set(entry, fn);
  }
  return entry;
}

/** glibc's __restore_rt: the code a handler returns to, which makes rt_sigreturn(). */
const restoreRt: UserFunction = () => syscall("rt_sigreturn");

/**
 * sigaction(sig, act, &old): the old action, or -1. On x86-64 the library adds SA_RESTORER
 * and its __restore_rt, as glibc does (the kernel refuses to deliver without one there).
 */
export async function sigaction(sig: number, act: SigAction | null): Promise<SigAction | -1> {
  const target = job().target;
  const x86 = target.arch === "x86_64";
  const size = x86 ? 32 : 24;
  const maskAt = x86 ? 24 : 16;
  const buf = outBuffer();
  if (act) {
    const b = new Uint8Array(size);
    const v = new DataView(b.buffer);
    const handler = typeof act.handler === "number" ? act.handler : target.codeAddress(entryOf(act.handler));
    v.setBigUint64(0, BigInt(handler), true);
    v.setBigUint64(8, BigInt((act.flags ?? 0) | (x86 ? SA_RESTORER : 0)) & 0xffffffffn, true);
    if (x86) v.setBigUint64(16, BigInt(target.codeAddress(restoreRt)), true);
    v.setBigUint64(maskAt, act.mask ?? 0n, true);
    pokeBytes(buf, b);
  }
  const r = await intSyscall("rt_sigaction", sig, act ? buf : 0, buf + 64, SIGSET_SIZE);
  if (r === -1) return -1;
  const v = new DataView(peekBytes(buf + 64, size).buffer);
  const addr = Number(v.getBigUint64(0, true));
  const entry = target.functionAt(addr);
  const handler = (entry && handlers.get(entry)) ?? addr;
  return { handler, flags: Number(v.getBigUint64(8, true)), mask: v.getBigUint64(maskAt, true) };
}

/**
 * signal(sig, handler): glibc's BSD semantics — SA_RESTART, and the handler stays installed.
 * Returns the old handler, or -1 (SIG_ERR).
 */
export async function signal(sig: number, handler: number | SignalHandler): Promise<number | SignalHandler> {
  const old = await sigaction(sig, { handler, flags: SA_RESTART });
  return old === -1 ? -1 : old.handler;
}
