/**
 * kernel/ptrace.c: tracing another task. A tracee is linked to its tracer (task.tracer, the
 * tracer's ptraced set) and stops (TASK_TRACED) at the points the tracer asked for: every
 * signal it is about to act on (signal-delivery-stop), group stops, syscall entry and exit
 * (PTRACE_SYSCALL), single steps, PTRACE_EVENT_* events and PTRACE_INTERRUPT. Each stop is
 * reported to the tracer's wait() once, as (code << 8) | 0x7f, and lasts until the tracer
 * resumes the tracee with a signal to deliver (or 0), detaches, or kills it.
 *
 * The stops themselves (ptrace_stop(), ptrace_notify(), ptrace_signal()) are in
 * kernel/signal.ts, as in Linux. The arch part (arch_ptrace(): registers, debug registers,
 * single-step) is in arch/<arch>/kernel/ptrace.ts, behind ArchPtrace.
 */
import { TaskState, type Task } from "../include/linux/sched.js";
import { SIGNAL_STOP_STOPPED } from "../include/linux/sched/signal.js";
import { EFAULT, EINVAL, EIO, EPERM, ESRCH } from "../include/uapi/errno.js";
import {
  PT_EXITKILL, PT_OPT_FLAG_SHIFT, PT_PTRACED, PT_SEIZED, PTRACE_ATTACH, PTRACE_CONT, PTRACE_DETACH, PTRACE_GETEVENTMSG,
  PTRACE_GETSIGINFO, PTRACE_GETSIGMASK, PTRACE_INTERRUPT, PTRACE_KILL, PTRACE_LISTEN, PTRACE_O_MASK, PTRACE_PEEKDATA,
  PTRACE_PEEKTEXT, PTRACE_POKEDATA, PTRACE_POKETEXT, PTRACE_SEIZE, PTRACE_SETOPTIONS, PTRACE_SETSIGINFO,
  PTRACE_SETSIGMASK, PTRACE_SINGLEBLOCK, PTRACE_SINGLESTEP, PTRACE_SYSCALL, PTRACE_TRACEME,
} from "../include/uapi/ptrace.js";
import { SI_KERNEL, SIGKILL, SIGSET_SIZE, SIGSTOP, _NSIG } from "../include/uapi/signal.js";
import { int, long, type SyscallHandler, ulong } from "../include/linux/syscalls.js";
import { wordBits, type Word } from "../include/uapi/word.js";
import { putUserLong } from "../mm/mm.js";
import { CAP_SYS_PTRACE } from "./cred.js";
import { copySiginfoToUser, readSiginfoFromUser, sendSignal, setCurrentBlocked, validSignal } from "./signal.js";

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
function ptraceAttach(task: Task, child: Task, request: number, addr: number, data: Word): number {
  let flags = PT_PTRACED;
  const seize = request === PTRACE_SEIZE;
  if (seize) {
    const options = ptraceOptions(data);
    if (addr !== 0 || options === null) return -EIO;
    flags = PT_PTRACED | PT_SEIZED | (options << PT_OPT_FLAG_SHIFT);
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

/** The PTRACE_O_* options `data` (an unsigned long) asks for, or null when it has any other bit. */
function ptraceOptions(data: Word): number | null {
  const flags = ulong(data);
  return flags > 0xffffffff || flags & ~PTRACE_O_MASK ? null : flags;
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
function ptraceResume(child: Task, request: number, data: Word): number {
  const sig = ulong(data);
  if (!validSignal(sig)) return -EIO;
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
  child.ptraceCode = sig;
  child.kernel.sched.wakeTraced(child);
  return 0;
}

/** ptrace_detach(): the tracee resumes (with `data` delivered) and goes back to its parent. */
function ptraceDetach(child: Task, data: Word): number {
  const sig = ulong(data);
  if (!validSignal(sig)) return -EIO;
  child.kernel.archPtrace.userDisableSingleStep(child);
  child.ptraceCode = sig;
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
 * ptrace_request(): the requests every arch shares. Unknown ones are EIO. `data` is the
 * word as given: the word POKE stores (all 64 bits), else an address, options or a signal.
 */
function ptraceRequest(task: Task, child: Task, request: number, addr: number, data: Word): number {
  switch (request) {
    case PTRACE_PEEKTEXT:
    case PTRACE_PEEKDATA: {
      const w = peekWord(child, addr);
      return w === null ? -EIO : putWord(task, ulong(data), w);
    }
    case PTRACE_POKETEXT:
    case PTRACE_POKEDATA:
      return pokeWord(child, addr, wordBits(data));
    case PTRACE_SETOPTIONS: {
      const options = ptraceOptions(data);
      if (options === null) return -EINVAL;
      child.ptrace = (child.ptrace & ((1 << PT_OPT_FLAG_SHIFT) - 1 | PT_SEIZED)) | (options << PT_OPT_FLAG_SHIFT);
      return 0;
    }
    case PTRACE_GETEVENTMSG:
      return putWord(task, ulong(data), wordBits(child.ptraceMessage));
    case PTRACE_GETSIGINFO:
      if (!child.lastSiginfo) return -EINVAL;
      return copySiginfoToUser(task.mm!, ulong(data), child.lastSiginfo) ? 0 : -EFAULT;
    case PTRACE_SETSIGINFO: {
      const info = readSiginfoFromUser(task.mm!, ulong(data));
      if (!info) return -EFAULT;
      if (!child.lastSiginfo) return -EINVAL;
      child.lastSiginfo = info;
      return 0;
    }
    case PTRACE_GETSIGMASK: {
      if (addr !== SIGSET_SIZE) return -EINVAL;
      return putWord(task, ulong(data), child.blocked);
    }
    case PTRACE_SETSIGMASK: {
      if (addr !== SIGSET_SIZE) return -EINVAL;
      const b = task.mm!.read(ulong(data), SIGSET_SIZE);
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
function sysPtrace(task: Task, request: number, pid: number, addr: number, data: Word): number {
  if (request === PTRACE_TRACEME) return ptraceTraceme(task);
  const child = pid > 0 ? task.kernel.pids.find(pid) : undefined;
  if (!child || child.state === TaskState.Dead) return -ESRCH;
  if (request === PTRACE_ATTACH || request === PTRACE_SEIZE) return ptraceAttach(task, child, request, addr, data);
  const err = ptraceCheckAttach(task, child, request === PTRACE_KILL || request === PTRACE_INTERRUPT);
  if (err) return err;
  return task.kernel.archPtrace.request(task, child, request, addr, data) ?? ptraceRequest(task, child, request, addr, data);
}

/** ptrace(long request, long pid, unsigned long addr, unsigned long data); the pid is cut to a pid_t. */
export const sys_ptrace: SyscallHandler = (task, a0, a1, a2, a3) => sysPtrace(task, long(a0), int(a1), ulong(a2), a3);

