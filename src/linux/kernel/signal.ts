import { TaskState, type Task } from "../include/linux/sched.js";
import { SIGNAL_GROUP_EXIT, SIGNAL_UNKILLABLE } from "../include/linux/sched/signal.js";
import { EFAULT, EINVAL, EPERM, ERESTARTNOHAND, ESRCH } from "../include/uapi/errno.js";
import {
  SIG_BLOCK, SIG_DFL, SIG_IGN, SIG_SETMASK, SIG_UNBLOCK, SIGABRT, SIGBUS, SIGCHLD, SIGCONT, SIGFPE, SIGILL,
  SIGKILL, SIGQUIT, SIGSEGV, SIGSET_SIZE, SIGSTOP, SIGSYS, SIGTRAP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGWINCH,
  SIGXCPU, SIGXFSZ, _NSIG,
} from "../include/uapi/signal.js";
import { doCoredump } from "../fs/coredump.js";
import { kernelObject, SYSCALL_DEFINE } from "../kbuild/object.js";
import { CAP_KILL } from "./cred.js";
import { doExit, killTask, zapThreads } from "./exit.js";

/** Bit sig-1 of a sigset, for every signal (computed once: a BigInt shift allocates). */
const BITS: readonly bigint[] = Array.from({ length: _NSIG + 1 }, (_, s) => (s ? 1n << BigInt(s - 1) : 0n));
const bit = (sig: number): bigint => BITS[sig]!;
const maskOf = (...sigs: number[]): bigint => sigs.reduce((m, s) => m | bit(s), 0n);

/** What the default action of each signal is (the SIG_KERNEL_*_MASKs of kernel/signal.c). */
const KERNEL_ONLY = maskOf(SIGKILL, SIGSTOP);
const KERNEL_COREDUMP = maskOf(SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGSEGV, SIGBUS, SIGSYS, SIGXCPU, SIGXFSZ);
const KERNEL_IGNORE = maskOf(SIGCONT, SIGCHLD, SIGWINCH, SIGURG);
const KERNEL_STOP = maskOf(SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU);

/** valid_signal(): 0 (the existence check) up to _NSIG. */
function validSignal(sig: number): boolean {
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
  const handler = handlerOf(t, sig);
  if (t.signal.flags & SIGNAL_UNKILLABLE && handler === SIG_DFL && !(force && KERNEL_ONLY & bit(sig))) return true;
  return handlerIgnored(handler, sig);
}

/** sig_fatal(): the default action ends the process (terminate or dump core). */
function sigFatal(t: Task, sig: number): boolean {
  return !((KERNEL_IGNORE | KERNEL_STOP) & bit(sig)) && handlerOf(t, sig) === SIG_DFL;
}

function live(t: Task): boolean {
  return t.state === TaskState.Running || t.state === TaskState.Sleeping;
}

/**
 * The death of a whole thread group by a signal, from the task that dequeues it: a core dump
 * first for the coredump signals, then every thread exits with the signal (| 0x80 when a core
 * was written). Returns the status for the current task to exit with if it belongs to the
 * group, else null (the others are already gone).
 */
function fatalSignal(t: Task, sig: number): number | null {
  const current = t.kernel.sched.current;
  const signal = t.signal;
  signal.sharedPending &= ~bit(sig);
  const dumper = current && current.signal === signal ? current : signal.threads.find(live) ?? t;
  const status = sig | (KERNEL_COREDUMP & bit(sig) && doCoredump(dumper) ? 0x80 : 0);
  const victim = current && current.signal === signal ? current : signal.threads.find(live);
  if (!victim) return null;
  zapThreads(victim, status);
  if (victim === current) return status;
  killTask(victim, status);
  return null;
}

/**
 * __send_signal_locked() and complete_signal(): the signal is dropped if ignored, else marked
 * pending (a standard signal already pending is not queued twice) on the thread or, for a
 * process-directed one, the group. If a thread that does not block it exists and the default
 * action is fatal, the whole group dies now. A stop signal stays pending (no job control yet).
 * Returns the status the current task must exit with if the signal killed it, else null.
 */
export function sendSignal(sig: number, t: Task, group: boolean, force = false): number | null {
  // A zombie leader's live threads still take signals sent to the process.
  if (group ? !t.signal.threads.some(live) : !live(t)) return null;
  if (sigIgnored(t, sig, force)) return null;
  if (group) t.signal.sharedPending |= bit(sig);
  else t.pending |= bit(sig);
  const wants = (x: Task) => live(x) && !(x.blocked & bit(sig));
  const target = wants(t) ? t : group ? t.signal.threads.find(wants) : undefined;
  if (!target || t.signal.flags & SIGNAL_GROUP_EXIT) return null;
  if (sigFatal(target, sig)) {
    t.pending &= ~bit(sig);
    return fatalSignal(target, sig);
  }
  return null;
}

/**
 * Signals pending for `task` that it no longer blocks, acted on as get_signal() would on its
 * return to user space: ignored ones are discarded, a fatal one kills the group. Returns the
 * exit status if the current task dies.
 */
function deliverPending(task: Task): number | null {
  const ready = (task.pending | task.signal.sharedPending) & ~task.blocked;
  if (!ready) return null;
  for (let sig = 1; sig <= _NSIG; sig++) {
    if (!(ready & bit(sig))) continue;
    if (handlerIgnored(handlerOf(task, sig), sig) || task.signal.flags & SIGNAL_UNKILLABLE && handlerOf(task, sig) === SIG_DFL) {
      task.pending &= ~bit(sig);
      task.signal.sharedPending &= ~bit(sig);
    } else if (sigFatal(task, sig)) {
      task.pending &= ~bit(sig);
      return fatalSignal(task, sig);
    }
  }
  return null;
}

/** Ends the current task's syscall when a signal it sent or unblocked killed it. */
function diedOr(task: Task, status: number | null, ret: number): number | Promise<number> {
  return status === null ? ret : doExit(task, status);
}

/**
 * force_sig_fault(): a fault the task cannot ignore or block — the signal is unblocked, an
 * ignored one reset to SIG_DFL, and init loses its immunity. With no handlers to run, the
 * process dies of it (and SIGSEGV dumps core where RLIMIT_CORE allows).
 */
export function forceSigFault(task: Task, sig: number): Promise<never> {
  task.blocked &= ~bit(sig);
  if (handlerOf(task, sig) === SIG_IGN) task.sighand.writable().handler[sig - 1] = SIG_DFL;
  task.signal.flags &= ~SIGNAL_UNKILLABLE;
  const status = sendSignal(sig, task, false, true);
  return doExit(task, status ?? sig);
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
function groupSendSig(current: Task, t: Task, sig: number, died: { status: number | null }): number {
  const err = killPermission(current, t, sig);
  if (err || sig === 0) return err;
  const s = sendSignal(sig, t, true);
  if (s !== null) died.status = s;
  return 0;
}

/**
 * kill_something_info(): one process (pid > 0), a process group (0: the caller's, < -1: -pid),
 * or everyone the caller may signal but init and itself (-1). The task is looked up before
 * the signal is checked (a probe: kill(999999, 65) gave ESRCH, kill(self, 65) EINVAL); a
 * zombie can be signalled (0) to no effect.
 */
function kill(task: Task, pid: number, sig: number): number | Promise<number> {
  const kernel = task.kernel;
  const died = { status: null as number | null };
  if (pid === -2147483648) return -ESRCH;
  if (pid > 0) {
    const t = kernel.pids.find(pid);
    if (!t || t.state === TaskState.Dead) return -ESRCH;
    const err = groupSendSig(task, t.groupLeader, sig, died);
    return diedOr(task, died.status, err);
  }
  const leaders = kernel.pids.all().filter((t) => t === t.groupLeader && t.state !== TaskState.Dead);
  if (pid !== -1) {
    const pgrp = pid === 0 ? task.pgid : -pid;
    let success = false, retval = -ESRCH;
    for (const t of leaders) {
      if (t.pgid !== pgrp) continue;
      retval = groupSendSig(task, t, sig, died);
      success ||= retval === 0;
    }
    return diedOr(task, died.status, success ? 0 : retval);
  }
  let count = 0, retval = 0;
  for (const t of leaders) {
    if (t.tgid <= 1 || t.signal === task.signal) continue;
    count++;
    const err = groupSendSig(task, t, sig, died);
    if (err !== -EPERM) retval = err;
  }
  return diedOr(task, died.status, count ? retval : -ESRCH);
}

/** sigdelsetmask(SIGKILL, SIGSTOP): they can be neither blocked nor caught. */
const UNBLOCKABLE = maskOf(SIGKILL, SIGSTOP);

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
function rtSigprocmask(task: Task, how: number, nset: number, oset: number, sigsetsize: number): number | Promise<number> {
  if (sigsetsize !== SIGSET_SIZE) return -EINVAL;
  const old = task.blocked;
  if (nset) {
    const set = getSigset(task, nset);
    if (set === null) return -EFAULT;
    const s = set & ~UNBLOCKABLE;
    if (how === SIG_BLOCK) task.blocked |= s;
    else if (how === SIG_UNBLOCK) task.blocked &= ~s;
    else if (how === SIG_SETMASK) task.blocked = s;
    else return -EINVAL;
  }
  if (oset && !putSigset(task, oset, old)) return -EFAULT;
  return diedOr(task, deliverPending(task), 0);
}

/** rt_sigpending(): the blocked signals pending for the thread or its group; sigsetsize may be smaller (a probe: 4 was fine). */
function rtSigpending(task: Task, uset: number, sigsetsize: number): number {
  if (sigsetsize > SIGSET_SIZE || sigsetsize < 0) return -EINVAL;
  const pending = (task.pending | task.signal.sharedPending) & task.blocked;
  return putSigset(task, uset, pending, sigsetsize) ? 0 : -EFAULT;
}

/**
 * rt_sigaction(): struct sigaction is handler, flags, (restorer on x86), mask. Setting an
 * ignoring disposition discards what is pending of that signal in the whole group. probe:
 * SIGKILL with SIG_DFL or SIG_IGN: EINVAL, a query of it: 0; sigsetsize 4: EINVAL.
 */
function rtSigaction(task: Task, sig: number, act: number, oact: number, sigsetsize: number): number {
  if (sigsetsize !== SIGSET_SIZE) return -EINVAL;
  const restorer = task.kernel.linked.arch.hasSaRestorer;
  const size = restorer ? 32 : 24;
  const maskAt = restorer ? 24 : 16;
  let next: { handler: number; flags: number; restorer: number; mask: bigint } | null = null;
  if (act) {
    const b = task.mm!.read(act, size);
    if (!b) return -EFAULT;
    const v = new DataView(b.buffer);
    next = {
      handler: Number(v.getBigUint64(0, true)), flags: Number(v.getBigUint64(8, true) & 0xffffffffn),
      restorer: restorer ? Number(v.getBigUint64(16, true)) : 0, mask: v.getBigUint64(maskAt, true) & ~UNBLOCKABLE,
    };
  }
  if (!validSignal(sig) || sig < 1 || (next && KERNEL_ONLY & bit(sig))) return -EINVAL;
  // Handlers are not run yet: only SIG_DFL and SIG_IGN can be installed (see the partial note).
  if (next && next.handler !== SIG_DFL && next.handler !== SIG_IGN) return -EINVAL;
  const cur = task.sighand.action;
  const i = sig - 1;
  const old = { handler: cur.handler[i]!, flags: cur.flags[i]!, restorer: cur.restorer[i]!, mask: cur.mask[i]! };
  if (next) {
    const sh = task.sighand.writable();
    sh.handler[i] = next.handler;
    sh.flags[i] = next.flags;
    sh.restorer[i] = next.restorer;
    sh.mask[i] = next.mask;
    if (handlerIgnored(next.handler, sig)) {
      task.signal.sharedPending &= ~bit(sig);
      for (const t of task.signal.threads) t.pending &= ~bit(sig);
    }
  }
  if (oact) {
    const b = new Uint8Array(size);
    const v = new DataView(b.buffer);
    v.setBigUint64(0, BigInt(old.handler), true);
    v.setBigUint64(8, BigInt(old.flags), true);
    if (restorer) v.setBigUint64(16, BigInt(old.restorer), true);
    v.setBigUint64(maskAt, old.mask, true);
    if (!task.mm!.write(oact, b)) return -EFAULT;
  }
  return 0;
}

/**
 * pause(): sleeps until a signal is delivered to a handler, then returns -ERESTARTNOHAND
 * (EINTR once it has run). Handlers are not run yet, so only a fatal signal ends the pause (by
 * ending the process); with nothing else to run, the scheduler reports the deadlock.
 */
async function pause(task: Task): Promise<number> {
  while (!task.signalPending) await task.kernel.sched.sleep(task, "pause");
  return -ERESTARTNOHAND;
}

export const kernel_signal_c = kernelObject("kernel/signal.c", [
  SYSCALL_DEFINE(0, "pause", pause, "signal handlers are not run yet: only a fatal signal ends a pause"),
  SYSCALL_DEFINE(2, "kill", (task, a0, a1) => kill(task, a0 | 0, a1 | 0),
    "stop signals (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) stay pending: there is no job control yet"),
  SYSCALL_DEFINE(4, "rt_sigprocmask", (task, a0, a1, a2, a3) => rtSigprocmask(task, a0 | 0, a1, a2, a3)),
  SYSCALL_DEFINE(2, "rt_sigpending", (task, a0, a1) => rtSigpending(task, a0, a1)),
  SYSCALL_DEFINE(4, "rt_sigaction", (task, a0, a1, a2, a3) => rtSigaction(task, a0 | 0, a1, a2, a3),
    "handlers are not run yet: installing one (anything but SIG_DFL or SIG_IGN) answers EINVAL"),
]);
