import { TaskState, type Task } from "../include/linux/sched.js";
import {
  SIGNAL_CLD_CONTINUED, SIGNAL_CLD_MASK, SIGNAL_CLD_STOPPED, SIGNAL_GROUP_EXIT, SIGNAL_STOP_CONTINUED,
  SIGNAL_STOP_STOPPED, SIGNAL_UNKILLABLE, fatalSignalPending, type KernelSiginfo, type KSignal, type SigPending,
} from "../include/linux/sched/signal.js";
import { ptraceReparented } from "../include/linux/ptrace.js";
import { PT_SEIZED, ptEvent, PTRACE_EVENT_STOP } from "../include/uapi/ptrace.js";
import { EFAULT, EINTR, EINVAL, EPERM, ERESTARTNOHAND, ESRCH } from "../include/uapi/errno.js";
import {
  CLD_CONTINUED, CLD_STOPPED, CLD_TRAPPED, SA_NOCLDSTOP, SA_NODEFER, SA_RESETHAND, SEGV_MAPERR, SI_KERNEL, SI_MAX_SIZE,
  SI_TKILL, SI_USER, SIG_BLOCK, SIG_DFL, SIG_IGN, SIG_SETMASK, SIG_UNBLOCK, SIGABRT, SIGBUS, SIGCHLD, SIGCONT,
  SIGALRM, SIGFPE, SIGILL, SIGKILL, SIGQUIT, SIGRTMIN, SIGSEGV, SIGSET_SIZE, SIGSTOP, SIGSYS, SIGTRAP, SIGTSTP, SIGTTIN,
  SIGTTOU, SIGURG, SIGWINCH, SIGXCPU, SIGXFSZ, UAPI_SA_FLAGS, SA_RESTORER, _NSIG,
} from "../include/uapi/signal.js";
import { doCoredump } from "../fs/coredump.js";
import { int, type SyscallHandler, ulong } from "../include/linux/syscalls.js";
import { CAP_KILL } from "./cred.js";
import type { MmStruct } from "../include/linux/mm_types.js";

/** Bit sig-1 of a sigset, for every signal (computed once: a BigInt shift allocates). */
const BITS: readonly bigint[] = Array.from({ length: _NSIG + 1 }, (_, s) => (s ? 1n << BigInt(s - 1) : 0n));
const bit = (sig: number): bigint => BITS[sig]!;
/** sigmask(): bit sig-1 of a sigset. */
export const sigbit = bit;
const maskOf = (...sigs: number[]): bigint => sigs.reduce((m, s) => m | bit(s), 0n);

/** What the default action of each signal is (the SIG_KERNEL_*_MASKs of kernel/signal.c). */
const KERNEL_ONLY = maskOf(SIGKILL, SIGSTOP);
const KERNEL_COREDUMP = maskOf(SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGSEGV, SIGBUS, SIGSYS, SIGXCPU, SIGXFSZ);
const KERNEL_IGNORE = maskOf(SIGCONT, SIGCHLD, SIGWINCH, SIGURG);
const KERNEL_STOP = maskOf(SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU);
/** Faults the task caused itself are taken before anything else pending (SYNCHRONOUS_MASK). */
const SYNCHRONOUS = maskOf(SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS);
/** sigdelsetmask(SIGKILL, SIGSTOP): they can be neither blocked nor caught. */
const UNBLOCKABLE = KERNEL_ONLY;

/** valid_signal(): 0 (the existence check) up to _NSIG. */
export function validSignal(sig: number): boolean {
  return Number.isInteger(sig) && sig >= 0 && sig <= _NSIG;
}

function handlerOf(t: Task, sig: number): number {
  return t.sighand.action.handler[sig - 1]!;
}

/** sig_handler_ignored(): SIG_IGN, or SIG_DFL for a signal whose default is to ignore. */
function handlerIgnored(handler: number, sig: number): boolean {
  return handler === SIG_IGN || (handler === SIG_DFL && (KERNEL_IGNORE & bit(sig)) !== 0n);
}

/**
 * sig_ignored(): a signal nobody will act on is dropped at once, unless the task blocks it
 * (the handler may change before it is unblocked). init drops every signal it leaves at
 * SIG_DFL, SIGKILL included, unless the kernel forces it (a probe in a new pid namespace:
 * kill(1, SIGKILL), SIGTERM and SIGUSR1 from init's child gave 0, and init lived on).
 */
function sigIgnored(t: Task, sig: number, force: boolean): boolean {
  if (t.blocked & bit(sig)) return false;
  // A tracer wants to see even ignored signals (SIGKILL cannot be reported anyway).
  if (t.ptrace && sig !== SIGKILL) return false;
  const handler = handlerOf(t, sig);
  if (t.signal.flags & SIGNAL_UNKILLABLE && handler === SIG_DFL && !(force && KERNEL_ONLY & bit(sig))) return true;
  return handlerIgnored(handler, sig);
}

/** sig_fatal(): the default action ends the process (terminate or dump core). */
function sigFatal(t: Task, sig: number): boolean {
  return !((KERNEL_IGNORE | KERNEL_STOP) & bit(sig)) && handlerOf(t, sig) === SIG_DFL;
}

/**
 * recalc_sigpending(): TIF_SIGPENDING is set exactly while the thread has an unblocked
 * signal pending (its own or its group's) or a group stop to take part in.
 */
export function recalcSigpending(t: Task): void {
  t.signalPending = t.stopPending || t.trapStopPending || ((t.pending.signal | t.signal.sharedPending.signal) & ~t.blocked) !== 0n;
}

/**
 * signal_wake_up(): the thread has something to act on before it returns to user space. An
 * interruptible sleep ends (the sleeping call returns -ERESTART*), and a fatal signal ends a
 * killable sleep or a stop too.
 */
function signalWakeUp(t: Task, fatal: boolean): void {
  t.signalPending = true;
  const sched = t.kernel.sched;
  if (t.state === TaskState.Sleeping && (t.interruptible || fatal)) sched.wake(t);
  else if (fatal) {
    sched.wakeStopped(t);
    sched.wakeTraced(t);
  }
}

/** set_current_blocked(): the new mask (never SIGKILL or SIGSTOP), and what it unblocked is due. */
export function setCurrentBlocked(task: Task, set: bigint): void {
  task.blocked = set & ~UNBLOCKABLE;
  recalcSigpending(task);
}

/**
 * What kernel/exit.ts does for a fatal signal: do_group_exit() for the task that acts on it,
 * and the death of a thread group that is not running (its threads exit where they stand).
 * exit.c tells the parent through this file (do_notify_parent()), so this file cannot import
 * it back: exit.ts hands these in when it loads, the way the linker resolves the
 * do_group_exit() that include/linux/sched/task.h declares for signal.c. exit.ts is loaded
 * with the syscall entry, before any signal can be sent.
 */
export interface GroupExit {
  doGroupExit(task: Task, status: number): Promise<never>;
  killGroup(task: Task, status: number): void;
}

const unlinked = (): never => {
  throw new Error("kernel/signal.ts: kernel/exit.ts is not linked (setGroupExit())");
};
let groupExit: GroupExit = { doGroupExit: unlinked, killGroup: unlinked };

/** exit.ts links its group exit in (see GroupExit). */
export function setGroupExit(exit: GroupExit): void {
  groupExit = exit;
}

/**
 * The death of a whole thread group by a signal, from the task that dequeues it: a core dump
 * first for the coredump signals, then every thread exits with the signal (| 0x80 when a core
 * was written).
 */
function dieOfSignal(t: Task, sig: number): Promise<never> {
  const status = sig | (KERNEL_COREDUMP & bit(sig) && doCoredump(t) ? 0x80 : 0);
  return groupExit.doGroupExit(t, status);
}

/**
 * A fatal signal for a group other than the running task's: it dies now (those tasks are not
 * running, so nothing is left to do on their way to user space). The running task's own
 * group leaves the signal pending and dies on the way out of the current system call.
 */
function killGroupNow(t: Task, sig: number): void {
  const victim = t.alive ? t : t.signal.threads.find((x) => x.alive);
  if (!victim) return;
  const status = sig | (KERNEL_COREDUMP & bit(sig) && doCoredump(victim) ? 0x80 : 0);
  t.signal.sharedPending.flush(bit(sig));
  t.pending.flush(bit(sig));
  groupExit.killGroup(victim, status);
}

/**
 * prepare_signal()'s job control: a stop signal cancels a pending SIGCONT; SIGCONT cancels
 * pending stops, wakes a stopped group and records that the parent is to hear of it
 * (CLD_CONTINUED once the group had stopped, CLD_STOPPED if it was still stopping).
 */
function prepareJobControl(t: Task, sig: number): void {
  const signal = t.signal;
  if (KERNEL_STOP & bit(sig)) {
    signal.sharedPending.flush(bit(SIGCONT));
    for (const x of signal.threads) x.pending.flush(bit(SIGCONT));
  } else if (sig === SIGCONT) {
    signal.sharedPending.flush(KERNEL_STOP);
    for (const x of signal.threads) {
      x.pending.flush(KERNEL_STOP);
      x.stopPending = false;
      recalcSigpending(x);
      x.kernel.sched.wakeStopped(x);
    }
    const why = signal.flags & SIGNAL_STOP_STOPPED ? SIGNAL_CLD_CONTINUED : signal.groupStopCount ? SIGNAL_CLD_STOPPED : 0;
    if (why) {
      signal.flags = (signal.flags & ~(SIGNAL_CLD_MASK | SIGNAL_STOP_STOPPED | SIGNAL_STOP_CONTINUED)) | why | SIGNAL_STOP_CONTINUED;
      signal.groupStopCount = 0;
      signal.groupExitCode = 0;
      // The thread that runs first tells the parent (get_signal()).
      for (const x of signal.threads) if (x.alive) x.signalPending = true;
    }
  }
}

/**
 * __send_signal_locked() and complete_signal(): job control first, then the signal is
 * dropped if ignored, else queued (a standard signal already pending is not queued twice) on
 * the thread or, for a process-directed one, the group, and a thread that does not block it
 * is woken to act on it. A fatal one kills another process at once.
 */
export function sendSignal(sig: number, t: Task, group: boolean, info?: KernelSiginfo, force = false): void {
  // A zombie leader's live threads still take signals sent to the process.
  if (group ? !t.signal.threads.some((x) => x.alive) : !t.alive) return;
  if (t.signal.flags & SIGNAL_GROUP_EXIT) return;
  prepareJobControl(t, sig);
  if (sigIgnored(t, sig, force)) return;
  const pending: SigPending = group ? t.signal.sharedPending : t.pending;
  if (sig < SIGRTMIN && pending.signal & bit(sig)) return;
  pending.signal |= bit(sig);
  pending.list.push(info ?? { signo: sig, code: SI_KERNEL });
  // wants_signal(): not blocked, not stopped (but SIGKILL), not already busy with another.
  const current = t.kernel.sched.current;
  const wants = (x: Task) => x.alive && !(x.blocked & bit(sig)) &&
    (sig === SIGKILL || (x.state !== TaskState.Stopped && x.state !== TaskState.Traced && (x === current || !x.signalPending)));
  const target = wants(t) ? t : group ? t.signal.threads.find(wants) : undefined;
  if (!target) return;
  // complete_signal(): a fatal signal kills at once, unless a tracer is to see it first.
  if (sigFatal(target, sig) && current?.signal !== t.signal && (sig === SIGKILL || !target.ptrace)) return killGroupNow(target, sig);
  signalWakeUp(target, sig === SIGKILL);
}

/** The siginfo kill() sends: SI_USER from the calling process. */
function userInfo(sender: Task, sig: number, code = SI_USER): KernelSiginfo {
  return { signo: sig, code, pid: sender.tgid, uid: sender.cred.uid };
}

/** copy_siginfo_to_user(): the 128-byte siginfo_t, with the fields the sender filled. */
export function copySiginfoToUser(mm: MmStruct, addr: number, info: KernelSiginfo): boolean {
  const b = new Uint8Array(SI_MAX_SIZE);
  const v = new DataView(b.buffer);
  v.setInt32(0, info.signo, true);
  v.setInt32(4, info.errno ?? 0, true);
  v.setInt32(8, info.code, true);
  if (info.addr !== undefined) v.setBigUint64(16, BigInt(info.addr), true);
  else {
    v.setInt32(16, info.pid ?? 0, true);
    v.setUint32(20, info.uid ?? 0, true);
    v.setInt32(24, info.status ?? 0, true);
  }
  return mm.write(addr, b);
}

/**
 * copy_siginfo_from_user(): the fields of a 128-byte siginfo_t that this kernel keeps (the
 * address for the fault signals, pid/uid/status otherwise); null where it cannot be read.
 */
export function readSiginfoFromUser(mm: MmStruct, addr: number): KernelSiginfo | null {
  const b = mm.read(addr, SI_MAX_SIZE);
  if (!b) return null;
  const v = new DataView(b.buffer);
  const signo = v.getInt32(0, true), errno = v.getInt32(4, true), code = v.getInt32(8, true);
  if (signo > 0 && signo <= _NSIG && SYNCHRONOUS & bit(signo) && signo !== SIGSYS && code > 0) return { signo, errno, code, addr: Number(v.getBigUint64(16, true)) };
  return { signo, errno, code, pid: v.getInt32(16, true), uid: v.getUint32(20, true), status: v.getInt32(24, true) };
}

/**
 * force_sig_info_to_task(): a signal the task raised itself that it may neither block nor
 * ignore — it is unblocked, an ignored or blocked one reset to SIG_DFL, and init loses its
 * immunity.
 */
function forceSig(task: Task, sig: number, info: KernelSiginfo): void {
  const blocked = (task.blocked & bit(sig)) !== 0n;
  if (blocked || handlerOf(task, sig) === SIG_IGN) {
    task.sighand.writable().handler[sig - 1] = SIG_DFL;
    if (blocked) task.blocked &= ~bit(sig);
  }
  if (handlerOf(task, sig) === SIG_DFL) task.signal.flags &= ~SIGNAL_UNKILLABLE;
  sendSignal(sig, task, false, info, true);
  recalcSigpending(task);
}

/**
 * A trap raised by user code that is not machine code (a testcase's function touched memory
 * it may not): it cannot be resumed after a handler, so the process dies of the signal, with
 * a core where RLIMIT_CORE allows.
 */
export function forceSigFault(task: Task, sig: number): Promise<never> {
  task.signal.flags &= ~SIGNAL_UNKILLABLE;
  return dieOfSignal(task, sig);
}

/** force_sig_fault(): a fault or trap of the task's machine code, with its si_code and si_addr. */
export function forceSigFaultInfo(task: Task, sig: number, code: number, addr: number): void {
  forceSig(task, sig, { signo: sig, code, addr });
}

/** force_sigsegv() / force_sig_fault(SIGSEGV, SEGV_MAPERR): a bad frame or a jump to nowhere. */
export function forceSigsegv(task: Task, addr: number): void {
  forceSigFaultInfo(task, SIGSEGV, SEGV_MAPERR, addr);
}

/** next_signal(): synchronous faults first, then the lowest numbered. */
function nextSignal(set: bigint): number {
  if (!set) return 0;
  if (set & SYNCHRONOUS) set &= SYNCHRONOUS;
  for (let sig = 1; sig <= _NSIG; sig++) if (set & bit(sig)) return sig;
  return 0;
}

/** dequeue_signal(): the thread's own signals before the group's. */
function dequeueSignal(task: Task): KernelSiginfo | null {
  const allowed = ~task.blocked;
  let pending = task.pending;
  let sig = nextSignal(pending.signal & allowed);
  if (!sig) {
    pending = task.signal.sharedPending;
    sig = nextSignal(pending.signal & allowed);
    // The itimer's SIGALRM, taken from the group's queue: a periodic ITIMER_REAL runs again.
    if (sig === SIGALRM) task.signal.realTimer?.rearm();
  }
  if (!sig) return null;
  const info = pending.collect(sig, bit(sig));
  recalcSigpending(task);
  return info;
}

/** __wake_up_parent(): every task of the parent's group asleep in a wait. */
export function wakeWaiters(parent: Task): void {
  const waiters = parent.signal.waitChldexit;
  if (!waiters) return;
  for (const t of waiters) parent.kernel.sched.wake(t);
  waiters.length = 0;
}

/**
 * do_notify_parent_cldstop(): the parent (or, `forPtracer`, the tracer) hears of a stop, a
 * trap or a continue by SIGCHLD (unless its SIGCHLD is ignored or has SA_NOCLDSTOP), and
 * its waiters are woken either way.
 */
export function notifyParentCldstop(task: Task, forPtracer: boolean, why: number): void {
  const tsk = forPtracer ? task : task.groupLeader;
  const parent = forPtracer ? task.tracer : tsk.parent;
  if (!parent) return;
  const status = why === CLD_CONTINUED ? SIGCONT : why === CLD_TRAPPED ? task.ptraceCode & 0x7f : task.signal.groupExitCode & 0x7f;
  const info: KernelSiginfo = { signo: SIGCHLD, code: why, pid: forPtracer ? tsk.pid : tsk.tgid, uid: tsk.cred.uid, status };
  const psig = parent.sighand.action;
  if (psig.handler[SIGCHLD - 1] !== SIG_IGN && !(psig.flags[SIGCHLD - 1]! & SA_NOCLDSTOP)) sendSignal(SIGCHLD, parent, true, info);
  wakeWaiters(parent);
}

/**
 * task_participate_group_stop(): this thread's part of a group stop is done; true when it
 * was the last, and the group is stopped now (the parent is to be told).
 */
export function participateGroupStop(task: Task): boolean {
  const signal = task.signal;
  task.stopPending = false;
  recalcSigpending(task);
  if (--signal.groupStopCount > 0) return false;
  signal.groupStopCount = 0;
  signal.flags = (signal.flags & ~(SIGNAL_CLD_MASK | SIGNAL_STOP_CONTINUED)) | SIGNAL_STOP_STOPPED;
  return true;
}

/**
 * do_signal_stop(): the first thread to dequeue a stop signal starts a group stop that every
 * other thread joins on its way to user space; the last one to stop tells the parent.
 */
async function doSignalStop(task: Task, sig: number): Promise<void> {
  const signal = task.signal;
  if (!task.stopPending) {
    if (sig === 0 || signal.flags & SIGNAL_GROUP_EXIT) return;
    signal.groupExitCode = sig;
    signal.groupStopCount = 0;
    for (const t of signal.threads) {
      if (!t.alive || t.state === TaskState.Stopped) continue;
      t.stopPending = true;
      signal.groupStopCount++;
      if (t !== task) signalWakeUp(t, false);
    }
  }
  if (task.ptrace) {
    // While traced, the group stop is a ptrace-stop (the STOP trap); it does the bookkeeping.
    task.trapStopPending = true;
    return;
  }
  if (participateGroupStop(task)) notifyParentCldstop(task, false, CLD_STOPPED);
  await task.kernel.sched.stop(task);
}

/**
 * is_current_pgrp_orphaned(): no process of the group has a parent in another group of the
 * same session, so nobody would continue it — terminal stop signals are then discarded.
 */
function pgrpOrphaned(task: Task): boolean {
  for (const p of task.kernel.pids.all()) {
    if (p.pgid !== task.pgid || !p.isThreadGroupLeader || !p.alive) continue;
    const parent = p.parent;
    if (!parent || parent === parent.kernel.init) continue;
    if (parent.pgid !== task.pgid && parent.sid === p.sid) return false;
  }
  return true;
}

/*
 * The ptrace stops, here as in Linux's kernel/signal.c (kernel/ptrace.c links and resumes
 * tracees; the stops are part of getting and acting on signals).
 */

/**
 * ptrace_stop(): the task stops in TASK_TRACED with `exitCode` for its tracer's wait, and the
 * tracer is told (SIGCHLD with `why`: CLD_TRAPPED, or CLD_STOPPED for a group stop). Returns
 * the signal the tracer resumed it with and the siginfo as the tracer left it. A task with
 * SIGKILL pending, or no longer traced, does not stop.
 */
async function ptraceStop(
  task: Task, exitCode: number, why: number, message: number, info: KernelSiginfo | null,
): Promise<{ code: number; info: KernelSiginfo | null }> {
  // A group stop's participant does the group's bookkeeping; the real parent hears of the
  // stop only when somebody else traces the task.
  const groupStopDone = why === CLD_STOPPED && task.stopPending && participateGroupStop(task);
  if (!task.ptrace || fatalSignalPending(task)) return { code: exitCode, info };
  task.lastSiginfo = info;
  task.ptraceMessage = message;
  task.ptraceCode = exitCode;
  task.ptraceUnreported = true;
  notifyParentCldstop(task, true, why);
  if (groupStopDone && ptraceReparented(task)) notifyParentCldstop(task, false, why);
  await task.kernel.sched.traceStop(task, "ptrace_stop");
  const out = { code: task.ptraceCode, info: task.lastSiginfo };
  task.lastSiginfo = null;
  task.ptraceCode = 0;
  task.ptraceUnreported = false;
  return out;
}

/** ptrace_do_notify(): a trap the tracer sees as SIGTRAP with si_code = the stop code. */
export async function ptraceDoNotify(task: Task, signr: number, exitCode: number, why: number, message: number): Promise<number> {
  const info: KernelSiginfo = { signo: signr, code: exitCode, pid: task.pid, uid: task.cred.uid };
  return (await ptraceStop(task, exitCode, why, message, info)).code;
}

/** ptrace_notify(): an event or trap stop; the signal the tracer resumes with is dropped. */
export async function ptraceNotify(task: Task, exitCode: number, message: number): Promise<void> {
  await ptraceDoNotify(task, SIGTRAP, exitCode, CLD_TRAPPED, message);
}

/** ptrace_event(): a PTRACE_EVENT_* stop when the tracer asked for that event. */
export async function ptraceEvent(task: Task, event: number, message: number): Promise<void> {
  if (task.ptrace & ptEvent(event)) await ptraceNotify(task, (event << 8) | SIGTRAP, message);
}

/**
 * ptrace_signal(): the signal get_signal() dequeued is shown to the tracer first
 * (signal-delivery-stop). The tracer may cancel it (0), keep it, or replace it: a new signal
 * comes from the tracer (SI_USER); one the task now blocks is queued again. Returns the
 * siginfo of the signal to act on, or null.
 */
async function ptraceSignal(task: Task, info: KernelSiginfo): Promise<KernelSiginfo | null> {
  const r = await ptraceStop(task, info.signo, CLD_TRAPPED, 0, info);
  const signr = r.code;
  if (!signr || signr > _NSIG) return null;
  let out = r.info ?? info;
  if (signr !== out.signo) {
    const tracer = task.tracer ?? task.parent;
    out = { signo: signr, code: SI_USER, pid: tracer?.tgid ?? 0, uid: tracer?.cred.uid ?? 0 };
  }
  if (task.blocked & sigbit(signr) || fatalSignalPending(task)) {
    sendSignal(signr, task, false, out);
    return null;
  }
  return out;
}

/**
 * do_jobctl_trap(): a group stop while traced is a ptrace-stop (CLD_STOPPED); for a seized
 * tracee it is PTRACE_EVENT_STOP, with SIGTRAP when no group stop is going on (PTRACE_INTERRUPT).
 */
async function doJobctlTrap(task: Task): Promise<void> {
  task.trapStopPending = false;
  const signal = task.signal;
  let signr = signal.groupExitCode & 0x7f;
  if (task.ptrace & PT_SEIZED) {
    if (!signal.groupStopCount && !(signal.flags & SIGNAL_STOP_STOPPED)) signr = SIGTRAP;
    await ptraceDoNotify(task, signr, signr | (PTRACE_EVENT_STOP << 8), CLD_STOPPED, 0);
  } else {
    await ptraceStop(task, signr || SIGSTOP, CLD_STOPPED, 0, null);
  }
}

/**
 * get_signal(): acts on pending signals until one has a handler to run (returned) or none is
 * left (null). Ignored ones are dropped, stop signals stop the group here, fatal ones end it.
 * SA_RESETHAND puts the action back to SIG_DFL as the handler is chosen.
 */
export async function getSignal(task: Task): Promise<KSignal | null> {
  const signal = task.signal;
  for (;;) {
    if (signal.flags & SIGNAL_CLD_MASK) {
      const why = signal.flags & SIGNAL_CLD_CONTINUED ? CLD_CONTINUED : CLD_STOPPED;
      signal.flags &= ~SIGNAL_CLD_MASK;
      notifyParentCldstop(task, false, why);
      continue;
    }
    // A traced task's part in a group stop is the stop trap, which does the bookkeeping.
    if (task.trapStopPending) {
      await doJobctlTrap(task);
      continue;
    }
    if (task.stopPending) {
      await doSignalStop(task, 0);
      continue;
    }
    let info = dequeueSignal(task);
    if (!info) break;
    if (task.ptrace && info.signo !== SIGKILL) {
      info = await ptraceSignal(task, info);
      if (!info) continue;
    }
    const sig = info.signo;
    const i = sig - 1;
    const action = task.sighand.action;
    const handler = action.handler[i]!;
    if (handler === SIG_IGN) continue;
    if (handler !== SIG_DFL) {
      const ksig: KSignal = { sig, info, handler, flags: action.flags[i]!, restorer: action.restorer[i]!, mask: action.mask[i]! };
      if (ksig.flags & SA_RESETHAND) task.sighand.writable().handler[i] = SIG_DFL;
      return ksig;
    }
    if (KERNEL_IGNORE & bit(sig)) continue;
    if (signal.flags & SIGNAL_UNKILLABLE && !(KERNEL_ONLY & bit(sig))) continue;
    if (KERNEL_STOP & bit(sig)) {
      if (sig !== SIGSTOP && pgrpOrphaned(task)) continue;
      await doSignalStop(task, sig);
      continue;
    }
    return dieOfSignal(task, sig);
  }
  recalcSigpending(task);
  return null;
}

/**
 * signal_setup_done(): a frame that could not be written is a SIGSEGV (with the handler
 * reset, so it is fatal); otherwise signal_delivered(): the mask saved by sigsuspend went into
 * the frame, and the handler runs with its sa_mask and, unless SA_NODEFER, its own signal
 * blocked.
 */
export function signalSetupDone(task: Task, ksig: KSignal, ok: boolean): void {
  if (!ok) {
    if (ksig.sig === SIGSEGV) task.sighand.writable().handler[SIGSEGV - 1] = SIG_DFL;
    forceSig(task, SIGSEGV, { signo: SIGSEGV, code: SI_KERNEL });
    return;
  }
  task.savedSigmask = null;
  setCurrentBlocked(task, task.blocked | ksig.mask | (ksig.flags & SA_NODEFER ? 0n : bit(ksig.sig)));
}

/** restore_saved_sigmask(): no handler ran, so sigsuspend's caller gets its own mask back. */
export function restoreSavedSigmask(task: Task): void {
  if (task.savedSigmask === null) return;
  const saved = task.savedSigmask;
  task.savedSigmask = null;
  setCurrentBlocked(task, saved);
}

/** kill_ok_by_cred() and check_kill_permission(): EINVAL for a bad signal, EPERM across users. */
function killPermission(current: Task, t: Task, sig: number): number {
  if (!validSignal(sig)) return -EINVAL;
  if (current.signal === t.signal) return 0;
  const c = current.cred, tc = t.cred;
  const ok = c.euid === tc.suid || c.euid === tc.uid || c.uid === tc.suid || c.uid === tc.uid || c.capEffective.has(CAP_KILL);
  if (ok || (sig === SIGCONT && t.sid === current.sid)) return 0;
  return -EPERM;
}

/** group_send_sig_info(): the permission check, then (for a real signal) the signal. */
function groupSendSig(current: Task, t: Task, sig: number): number {
  const err = killPermission(current, t, sig);
  if (err || sig === 0) return err;
  sendSignal(sig, t, true, userInfo(current, sig));
  return 0;
}

/**
 * kill_something_info(): one process (pid > 0), a process group (0: the caller's, < -1: -pid),
 * or everyone the caller may signal but init and itself (-1). The task is looked up before
 * the signal is checked (a probe: kill(999999, 65) gave ESRCH, kill(self, 65) EINVAL); a
 * zombie can be signalled (0) to no effect.
 */
function kill(task: Task, pid: number, sig: number): number {
  const kernel = task.kernel;
  if (pid === -2147483648) return -ESRCH;
  if (pid > 0) {
    const t = kernel.pids.find(pid);
    if (!t || t.state === TaskState.Dead) return -ESRCH;
    return groupSendSig(task, t.groupLeader, sig);
  }
  const leaders = kernel.pids.all().filter((t) => t === t.groupLeader && t.state !== TaskState.Dead);
  if (pid !== -1) {
    const pgrp = pid === 0 ? task.pgid : -pid;
    let success = false, retval = -ESRCH;
    for (const t of leaders) {
      if (t.pgid !== pgrp) continue;
      retval = groupSendSig(task, t, sig);
      success ||= retval === 0;
    }
    return success ? 0 : retval;
  }
  let count = 0, retval = 0;
  for (const t of leaders) {
    if (t.tgid <= 1 || t.signal === task.signal) continue;
    count++;
    const err = groupSendSig(task, t, sig);
    if (err !== -EPERM) retval = err;
  }
  return count ? retval : -ESRCH;
}

/**
 * do_tkill(): a signal to one thread, SI_TKILL. tgkill() also checks that the thread is in
 * thread group tgid (ESRCH otherwise); ids <= 0 are EINVAL.
 */
function doTkill(task: Task, tgid: number, pid: number, sig: number): number {
  const t = task.kernel.pids.find(pid);
  if (!t || !t.alive || (tgid > 0 && t.tgid !== tgid)) return -ESRCH;
  const err = killPermission(task, t, sig);
  if (err || sig === 0) return err;
  sendSignal(sig, t, false, userInfo(task, sig, SI_TKILL));
  return 0;
}

function getSigset(task: Task, addr: number): bigint | null {
  const b = task.mm!.read(addr, SIGSET_SIZE);
  return b ? new DataView(b.buffer).getBigUint64(0, true) : null;
}

function putSigset(task: Task, addr: number, set: bigint, size = SIGSET_SIZE): boolean {
  const b = new Uint8Array(SIGSET_SIZE);
  new DataView(b.buffer).setBigUint64(0, set, true);
  return task.mm!.write(addr, b.subarray(0, size));
}

/**
 * rt_sigprocmask(): the new set is read first, SIGKILL and SIGSTOP dropped from it, the old
 * mask stored, and what became unblocked is delivered on the way out. probe: sigsetsize 4:
 * EINVAL; how 5 with a set: EINVAL, with none: 0; a SIGTERM sent while blocked killed the
 * process when unblocked (status 0xf); sigfillset() blocked neither SIGKILL nor SIGSTOP.
 */
function rtSigprocmask(task: Task, how: number, nset: number, oset: number, sigsetsize: number): number {
  if (sigsetsize !== SIGSET_SIZE) return -EINVAL;
  const old = task.blocked;
  if (nset) {
    const set = getSigset(task, nset);
    if (set === null) return -EFAULT;
    if (how === SIG_BLOCK) setCurrentBlocked(task, old | set);
    else if (how === SIG_UNBLOCK) setCurrentBlocked(task, old & ~set);
    else if (how === SIG_SETMASK) setCurrentBlocked(task, set);
    else return -EINVAL;
  }
  if (oset && !putSigset(task, oset, old)) return -EFAULT;
  return 0;
}

/** rt_sigpending(): the blocked signals pending for the thread or its group; sigsetsize may be smaller (a probe: 4 was fine). */
function rtSigpending(task: Task, uset: number, sigsetsize: number): number {
  if (sigsetsize > SIGSET_SIZE) return -EINVAL;
  const pending = (task.pending.signal | task.signal.sharedPending.signal) & task.blocked;
  return putSigset(task, uset, pending, sigsetsize) ? 0 : -EFAULT;
}

/**
 * rt_sigaction(): struct sigaction is handler, flags, (restorer on x86), mask. Flags the
 * kernel does not know are cleared (UAPI_SA_FLAGS, so SA_UNSUPPORTED reads back as 0).
 * Setting an ignoring disposition discards what is pending of that signal in the whole group.
 * probe: SIGKILL with SIG_DFL or SIG_IGN: EINVAL, a query of it: 0; sigsetsize 4: EINVAL.
 */
function rtSigaction(task: Task, sig: number, act: number, oact: number, sigsetsize: number): number {
  if (sigsetsize !== SIGSET_SIZE) return -EINVAL;
  const restorer = task.kernel.linked.arch.hasSaRestorer;
  const size = restorer ? 32 : 24;
  const maskAt = restorer ? 24 : 16;
  const known = UAPI_SA_FLAGS | (restorer ? SA_RESTORER : 0);
  let next: { handler: number; flags: number; restorer: number; mask: bigint } | null = null;
  if (act) {
    const b = task.mm!.read(act, size);
    if (!b) return -EFAULT;
    const v = new DataView(b.buffer);
    next = {
      handler: Number(v.getBigUint64(0, true)), flags: Number(v.getBigUint64(8, true) & 0xffffffffn) & known,
      restorer: restorer ? Number(v.getBigUint64(16, true)) : 0, mask: v.getBigUint64(maskAt, true) & ~UNBLOCKABLE,
    };
  }
  if (!validSignal(sig) || sig < 1 || (next && KERNEL_ONLY & bit(sig))) return -EINVAL;
  const cur = task.sighand.action;
  const i = sig - 1;
  const old = { handler: cur.handler[i]!, flags: cur.flags[i]! & known, restorer: cur.restorer[i]!, mask: cur.mask[i]! };
  if (next) {
    const sh = task.sighand.writable();
    sh.handler[i] = next.handler;
    sh.flags[i] = next.flags >>> 0;
    sh.restorer[i] = next.restorer;
    sh.mask[i] = next.mask;
    if (handlerIgnored(next.handler, sig)) {
      task.signal.sharedPending.flush(bit(sig));
      for (const t of task.signal.threads) t.pending.flush(bit(sig));
    }
  }
  if (oact) {
    const b = new Uint8Array(size);
    const v = new DataView(b.buffer);
    v.setBigUint64(0, BigInt(old.handler), true);
    v.setBigUint64(8, BigInt(old.flags >>> 0), true);
    if (restorer) v.setBigUint64(16, BigInt(old.restorer), true);
    v.setBigUint64(maskAt, old.mask, true);
    if (!task.mm!.write(oact, b)) return -EFAULT;
  }
  return 0;
}

/**
 * pause(): sleeps until a signal is to be acted on. -ERESTARTNOHAND: after a handler the
 * caller sees EINTR (even with SA_RESTART); a signal that only stopped and continued the
 * process, or was ignored on delivery, puts it back to sleep. probe: pause() with an
 * SA_RESTART handler: -1 EINTR after the handler ran.
 */
async function pause(task: Task): Promise<number> {
  while (!task.signalPending) await task.kernel.sched.sleep(task, "pause");
  return -ERESTARTNOHAND;
}

/**
 * rt_sigsuspend(): the mask is replaced while the task sleeps as in pause(); the old one
 * goes into the handler's frame, or back in place if no handler runs (TIF_RESTORE_SIGMASK).
 * probe: with an SA_RESTART handler: -1 EINTR.
 */
async function rtSigsuspend(task: Task, unewset: number, sigsetsize: number): Promise<number> {
  if (sigsetsize !== SIGSET_SIZE) return -EINVAL;
  const set = getSigset(task, unewset);
  if (set === null) return -EFAULT;
  task.savedSigmask = task.blocked;
  setCurrentBlocked(task, set);
  while (!task.signalPending) await task.kernel.sched.sleep(task, "sigsuspend");
  return -ERESTARTNOHAND;
}

/**
 * restart_syscall(): what the interrupted call left in restart_block (nanosleep's remaining
 * sleep); do_no_restart_syscall() -EINTR when nothing is to be resumed.
 */
function restartSyscall(task: Task): number | Promise<number> {
  const fn = task.restartBlock;
  task.restartBlock = null;
  return fn ? fn(task) : -EINTR;
}

export const sys_pause: SyscallHandler = pause;
export const sys_kill: SyscallHandler = (task, a0, a1) => kill(task, int(a0), int(a1));
export const sys_tgkill: SyscallHandler = (task, a0, a1, a2) => {
  const tgid = int(a0), pid = int(a1);
  return pid <= 0 || tgid <= 0 ? -EINVAL : doTkill(task, tgid, pid, int(a2));
};
export const sys_tkill: SyscallHandler = (task, a0, a1) => (int(a0) <= 0 ? -EINVAL : doTkill(task, 0, int(a0), int(a1)));
export const sys_rt_sigprocmask: SyscallHandler = (task, a0, a1, a2, a3) => rtSigprocmask(task, int(a0), ulong(a1), ulong(a2), ulong(a3));
export const sys_rt_sigpending: SyscallHandler = (task, a0, a1) => rtSigpending(task, ulong(a0), ulong(a1));
export const sys_rt_sigaction: SyscallHandler = (task, a0, a1, a2, a3) => rtSigaction(task, int(a0), ulong(a1), ulong(a2), ulong(a3));
export const sys_rt_sigsuspend: SyscallHandler = (task, a0, a1) => rtSigsuspend(task, ulong(a0), ulong(a1));
export const sys_restart_syscall: SyscallHandler = restartSyscall;
