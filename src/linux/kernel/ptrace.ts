/**
 * kernel/ptrace.c: tracing another task. A tracee is linked to its tracer (task.tracer, the
 * tracer's ptraced set) and stops (TASK_TRACED) at the points the tracer asked for: every
 * signal it is about to act on (signal-delivery-stop), group stops, syscall entry and exit
 * (PTRACE_SYSCALL), single steps, PTRACE_EVENT_* events and PTRACE_INTERRUPT. Each stop is
 * reported to the tracer's wait() once, as (code << 8) | 0x7f, and lasts until the tracer
 * resumes the tracee with a signal to deliver (or 0), detaches, or kills it.
 *
 * The arch part (arch_ptrace(): registers, debug registers, single-step) is in
 * arch/<arch>/kernel/ptrace.ts, behind ArchPtrace.
 */
import { TaskState, type Task } from "../include/linux/sched.js";
import { SIGNAL_STOP_STOPPED, type KernelSiginfo } from "../include/linux/sched/signal.js";
import { EFAULT, EINVAL, EIO, EPERM, ESRCH } from "../include/uapi/errno.js";
import {
  PT_EXITKILL, PT_OPT_FLAG_SHIFT, PT_PTRACED, PT_SEIZED, PT_TRACESYSGOOD, ptEvent, PTRACE_ATTACH, PTRACE_CONT,
  PTRACE_DETACH, PTRACE_EVENT_STOP, PTRACE_GETEVENTMSG, PTRACE_GETSIGINFO, PTRACE_GETSIGMASK, PTRACE_INTERRUPT,
  PTRACE_KILL, PTRACE_LISTEN, PTRACE_O_MASK, PTRACE_PEEKDATA, PTRACE_PEEKTEXT, PTRACE_POKEDATA, PTRACE_POKETEXT,
  PTRACE_SEIZE, PTRACE_SETOPTIONS, PTRACE_SETSIGINFO, PTRACE_SETSIGMASK, PTRACE_SINGLEBLOCK, PTRACE_SINGLESTEP,
  PTRACE_SYSCALL, PTRACE_TRACEME,
} from "../include/uapi/ptrace.js";
import { CLD_STOPPED, CLD_TRAPPED, SI_KERNEL, SI_USER, SIGKILL, SIGSET_SIZE, SIGSTOP, SIGTRAP, _NSIG } from "../include/uapi/signal.js";
import type { SyscallHandler } from "../include/linux/syscalls.js";
import { putUserLong } from "../mm/mm.js";
import { ulongBig } from "../mm/util.js";
import { CAP_SYS_PTRACE } from "./cred.js";
import {
  copySiginfoToUser, notifyParentCldstop, participateGroupStop, readSiginfoFromUser, sendSignal, setCurrentBlocked, sigbit,
  validSignal,
} from "./signal.js";

/** PTRACE_MODE_* bits, include/linux/ptrace.h. */
export const PTRACE_MODE_READ = 0x01, PTRACE_MODE_ATTACH = 0x02, PTRACE_MODE_NOAUDIT = 0x04,
  PTRACE_MODE_FSCREDS = 0x08, PTRACE_MODE_REALCREDS = 0x10;
export const PTRACE_MODE_READ_REALCREDS = PTRACE_MODE_READ | PTRACE_MODE_REALCREDS;
export const PTRACE_MODE_ATTACH_REALCREDS = PTRACE_MODE_ATTACH | PTRACE_MODE_REALCREDS;

/**
 * __ptrace_may_access() without LSMs: a task may always inspect its own thread group;
 * otherwise the caller's (real or fs) uid and gid must match all of the target's uids and
 * gids, unless it has CAP_SYS_PTRACE. (The dumpable check needs exec and setuid, which this
 * emulator does not have yet: every task is dumpable.)
 */
export function ptraceMayAccess(caller: Task, target: Task, mode: number): boolean {
  if (caller.tgid === target.tgid) return true;
  const c = caller.cred, t = target.cred;
  const [uid, gid] = mode & PTRACE_MODE_FSCREDS ? [c.fsuid, c.fsgid] : [c.uid, c.gid];
  const sameIds = uid === t.euid && uid === t.suid && uid === t.uid
    && gid === t.egid && gid === t.sgid && gid === t.gid;
  return sameIds || c.capEffective.has(CAP_SYS_PTRACE);
}

/** What an architecture adds to ptrace: arch_ptrace(), the single-step hooks, ptrace_disable(). */
export interface ArchPtrace {
  /** arch_ptrace()'s own requests (registers, user area); null: ptrace_request() handles it. */
  request(task: Task, child: Task, request: number, addr: number, data: number): number | null;
  /** arch_has_single_step(): false on riscv, where PTRACE_SINGLESTEP is EIO. */
  readonly hasSingleStep: boolean;
  /** arch_has_block_step(): x86's DEBUGCTL.BTF. */
  readonly hasBlockStep: boolean;
  /** Why the arch lacks single-step, for the resolver and TCONF messages. */
  readonly noSingleStepReason?: string;
  userEnableSingleStep(child: Task): void;
  userEnableBlockStep(child: Task): void;
  userDisableSingleStep(child: Task): void;
}

/** __fatal_signal_pending(): SIGKILL is queued for the task. */
export function fatalSignalPending(task: Task): boolean {
  return (task.pending.signal & sigbit(SIGKILL)) !== 0n;
}

/** ptrace_reparented(): the tracer is not the real parent's thread group. */
export function ptraceReparented(child: Task): boolean {
  return child.tracer !== null && child.tracer.signal !== child.parent?.signal;
}

/** ptrace_link(). */
function ptraceLink(child: Task, tracer: Task, flags: number): void {
  child.ptrace = flags;
  child.tracer = tracer;
  tracer.ptraced.add(child);
}

/**
 * __ptrace_unlink(): the tracer lets go. Syscall tracing and pending traps are cleared (not
 * single-step: ptrace_detach() disables that, a tracer's exit does not); a tracee in a
 * ptrace-stop runs again, or goes back to its group's stop if the group is stopped.
 */
export function ptraceUnlink(child: Task): void {
  child.tracer?.ptraced.delete(child);
  child.tracer = null;
  child.ptrace = 0;
  child.syscallTrace = false;
  child.trapStopPending = false;
  if (child.state !== TaskState.Traced) return;
  if (child.signal.flags & SIGNAL_STOP_STOPPED || child.signal.groupStopCount) child.stopPending = true;
  child.signalPending ||= child.stopPending;
  child.kernel.sched.wakeTraced(child);
}

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
async function ptraceDoNotify(task: Task, signr: number, exitCode: number, why: number, message: number): Promise<number> {
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

/** PTRACE_EVENTMSG_SYSCALL_ENTRY / _EXIT: what PTRACE_GETEVENTMSG says at a syscall-stop. */
export const PTRACE_EVENTMSG_SYSCALL_ENTRY = 1, PTRACE_EVENTMSG_SYSCALL_EXIT = 2;

/**
 * ptrace_report_syscall(): a syscall-entry or syscall-exit stop, SIGTRAP | 0x80 with
 * PTRACE_O_TRACESYSGOOD. A signal the tracer resumes with is sent to the tracee. Returns
 * true when the task is to die (SIGKILL pending): the call is then not made.
 */
export async function ptraceReportSyscall(task: Task, message: number): Promise<boolean> {
  const code = await ptraceDoNotify(task, SIGTRAP, SIGTRAP | (task.ptrace & PT_TRACESYSGOOD ? 0x80 : 0), CLD_TRAPPED, message);
  if (code > 0 && code <= _NSIG && task.ptrace) sendSignal(code, task, false, { signo: code, code: SI_USER, pid: task.tracer?.tgid ?? 0 });
  return fatalSignalPending(task);
}

/**
 * ptrace_signal(): the signal get_signal() dequeued is shown to the tracer first
 * (signal-delivery-stop). The tracer may cancel it (0), keep it, or replace it: a new signal
 * comes from the tracer (SI_USER); one the task now blocks is queued again. Returns the
 * siginfo of the signal to act on, or null.
 */
export async function ptraceSignal(task: Task, info: KernelSiginfo): Promise<KernelSiginfo | null> {
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
export async function doJobctlTrap(task: Task): Promise<void> {
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
 * exit_ptrace(): a tracer exits; each tracee is let go (PTRACE_O_EXITKILL ones are killed).
 * Returns them: a zombie among them goes back to its real parent (the caller tells it).
 */
export function exitPtrace(tracer: Task): Task[] {
  const tracees = [...tracer.ptraced];
  for (const child of tracees) {
    if (child.ptrace & PT_EXITKILL) sendSignal(SIGKILL, child, false, undefined, true);
    ptraceUnlink(child);
  }
  return tracees;
}

/** ptrace_traceme(): the caller asks its parent to trace it; only once. */
function ptraceTraceme(task: Task): number {
  if (task.ptrace || !task.parent || !task.parent.alive) return -EPERM;
  ptraceLink(task, task.parent, PT_PTRACED);
  return 0;
}

/**
 * ptrace_attach() and PTRACE_SEIZE: another thread group the caller may access, not a
 * zombie and not traced yet. ATTACH sends SIGSTOP (the tracer's first wait sees it); SEIZE
 * takes options in `data`, needs addr 0, and stops nothing. A task already in a group stop
 * re-traps into a ptrace-stop the tracer can wait for.
 */
function ptraceAttach(task: Task, child: Task, request: number, addr: number, data: number): number {
  let flags = PT_PTRACED;
  const seize = request === PTRACE_SEIZE;
  if (seize) {
    if (addr !== 0 || (data >>> 0) & ~PTRACE_O_MASK) return -EIO;
    flags = PT_PTRACED | PT_SEIZED | ((data >>> 0) << PT_OPT_FLAG_SHIFT);
  }
  if (child.signal === task.signal) return -EPERM;
  if (!ptraceMayAccess(task, child, PTRACE_MODE_ATTACH_REALCREDS)) return -EPERM;
  if (!child.alive || child.ptrace) return -EPERM;
  ptraceLink(child, task, flags);
  if (!seize) sendSignal(SIGSTOP, child, false, { signo: SIGSTOP, code: SI_KERNEL } /* SEND_SIG_PRIV */);
  // JOBCTL_TRAP_STOP | JOBCTL_TRAPPING: a task in a group stop re-traps into the stop trap.
  if (child.state === TaskState.Stopped) scheduleTrapStop(child);
  return 0;
}

/**
 * task_set_jobctl_pending(JOBCTL_TRAP_STOP) and the wake-up: the task takes the stop trap on
 * its way to user space, out of a group stop or an interruptible sleep (whose call restarts).
 */
function scheduleTrapStop(child: Task): void {
  child.trapStopPending = true;
  child.signalPending = true;
  const sched = child.kernel.sched;
  if (child.state === TaskState.Stopped) sched.wakeStopped(child);
  else if (child.state === TaskState.Sleeping && child.interruptible) sched.wake(child);
}

/**
 * ptrace_check_attach(): the request is for a task the caller traces and (unless
 * `ignoreState`: PTRACE_KILL, PTRACE_INTERRUPT) that sits in a ptrace-stop.
 */
function ptraceCheckAttach(task: Task, child: Task, ignoreState: boolean): number {
  if (!child.ptrace || child.tracer !== task) return -ESRCH;
  if (ignoreState) return 0;
  return child.state === TaskState.Traced ? 0 : -ESRCH;
}

/**
 * ptrace_resume(): CONT, SYSCALL, SINGLESTEP, SINGLEBLOCK. The signal to deliver (0 for
 * none) must be valid (EIO); stepping needs the arch to have it (EIO on riscv).
 */
function ptraceResume(child: Task, request: number, data: number): number {
  if (!validSignal(data)) return -EIO;
  const arch = child.kernel.archPtrace;
  child.syscallTrace = request === PTRACE_SYSCALL;
  if (request === PTRACE_SINGLEBLOCK) {
    if (!arch.hasBlockStep) return -EIO;
    arch.userEnableBlockStep(child);
  } else if (request === PTRACE_SINGLESTEP) {
    if (!arch.hasSingleStep) return -EIO;
    arch.userEnableSingleStep(child);
  } else {
    arch.userDisableSingleStep(child);
  }
  child.ptraceCode = data;
  child.kernel.sched.wakeTraced(child);
  return 0;
}

/** ptrace_detach(): the tracee resumes (with `data` delivered) and goes back to its parent. */
function ptraceDetach(child: Task, data: number): number {
  if (!validSignal(data)) return -EIO;
  child.kernel.archPtrace.userDisableSingleStep(child);
  child.ptraceCode = data;
  ptraceUnlink(child);
  return 0;
}

/** The word at `addr` of the tracee, as ptrace_access_vm(FOLL_FORCE) reads it: any mapped page. */
function peekWord(child: Task, addr: number): bigint | null {
  const b = new Uint8Array(8);
  if (!child.mm || child.mm.accessVm(addr, b, false) !== 8) return null;
  return new DataView(b.buffer).getBigUint64(0, true);
}

/** generic_ptrace_pokedata(): FOLL_FORCE writes even read-only private text (a copy on write). */
function pokeWord(child: Task, addr: number, data: bigint): number {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, data), true);
  return child.mm && child.mm.accessVm(addr, b, true) === 8 ? 0 : -EIO;
}

/** put_user() of the word a PEEK request read (or a value of the tracee's) into the tracer's memory. */
export function putWord(task: Task, addr: number, value: bigint): number {
  return putUserLong(task.mm!, addr, value) ? 0 : -EFAULT;
}

/**
 * ptrace_request(): the requests every arch shares. Unknown ones are EIO.
 */
function ptraceRequest(task: Task, child: Task, request: number, addr: number, data: number): number {
  switch (request) {
    case PTRACE_PEEKTEXT:
    case PTRACE_PEEKDATA: {
      const w = peekWord(child, addr);
      return w === null ? -EIO : putWord(task, data, w);
    }
    case PTRACE_POKETEXT:
    case PTRACE_POKEDATA:
      return pokeWord(child, addr, ulongBig(data));
    case PTRACE_SETOPTIONS:
      if ((data >>> 0) & ~PTRACE_O_MASK || data < 0 || data > 0xffffffff) return -EINVAL;
      child.ptrace = (child.ptrace & ((1 << PT_OPT_FLAG_SHIFT) - 1 | PT_SEIZED)) | ((data >>> 0) << PT_OPT_FLAG_SHIFT);
      return 0;
    case PTRACE_GETEVENTMSG:
      return putWord(task, data, ulongBig(child.ptraceMessage));
    case PTRACE_GETSIGINFO:
      if (!child.lastSiginfo) return -EINVAL;
      return copySiginfoToUser(task.mm!, data, child.lastSiginfo) ? 0 : -EFAULT;
    case PTRACE_SETSIGINFO: {
      const info = readSiginfoFromUser(task.mm!, data);
      if (!info) return -EFAULT;
      if (!child.lastSiginfo) return -EINVAL;
      child.lastSiginfo = info;
      return 0;
    }
    case PTRACE_GETSIGMASK: {
      if (addr !== SIGSET_SIZE) return -EINVAL;
      return putWord(task, data, child.blocked);
    }
    case PTRACE_SETSIGMASK: {
      if (addr !== SIGSET_SIZE) return -EINVAL;
      const b = task.mm!.read(data, SIGSET_SIZE);
      if (!b) return -EFAULT;
      setCurrentBlocked(child, new DataView(b.buffer).getBigUint64(0, true));
      return 0;
    }
    case PTRACE_INTERRUPT:
      // Only a seized tracee can be interrupted; it traps on its way to user space.
      if (!(child.ptrace & PT_SEIZED)) return -EIO;
      if (child.state !== TaskState.Traced) scheduleTrapStop(child);
      return 0;
    case PTRACE_LISTEN:
      // Listening for group-stop changes needs a seized tracee in a group-stop event stop.
      return -EIO;
    case PTRACE_DETACH:
      return ptraceDetach(child, data);
    case PTRACE_SINGLESTEP:
    case PTRACE_SINGLEBLOCK:
    case PTRACE_SYSCALL:
    case PTRACE_CONT:
      return ptraceResume(child, request, data);
    case PTRACE_KILL:
      // Since Linux 6.0 PTRACE_KILL is a plain SIGKILL, whatever state the tracee is in.
      sendSignal(SIGKILL, child, false, undefined, true);
      return 0;
    default:
      return -EIO;
  }
}

/**
 * sys_ptrace(): TRACEME for the caller; ATTACH and SEIZE for any task; everything else for a
 * tracee of the caller in a ptrace-stop (ESRCH otherwise), through arch_ptrace().
 */
function sysPtrace(task: Task, request: number, pid: number, addr: number, data: number): number {
  if (request === PTRACE_TRACEME) return ptraceTraceme(task);
  const child = pid > 0 ? task.kernel.pids.find(pid) : undefined;
  if (!child || child.state === TaskState.Dead) return -ESRCH;
  if (request === PTRACE_ATTACH || request === PTRACE_SEIZE) return ptraceAttach(task, child, request, addr, data);
  const err = ptraceCheckAttach(task, child, request === PTRACE_KILL || request === PTRACE_INTERRUPT);
  if (err) return err;
  return task.kernel.archPtrace.request(task, child, request, addr, data) ?? ptraceRequest(task, child, request, addr, data);
}

export const sys_ptrace: SyscallHandler = (task, a0, a1, a2, a3) => sysPtrace(task, a0 | 0, a1 | 0, a2, a3);

