import { TaskState, type Task } from "../include/linux/sched.js";
import {
  signalPending, SIGNAL_GROUP_EXIT, SIGNAL_STOP_CONTINUED, SIGNAL_STOP_STOPPED, type KernelSiginfo,
} from "../include/linux/sched/signal.js";
import { EBADF, ECHILD, EFAULT, EINVAL, ERESTARTSYS, ESRCH } from "../include/uapi/errno.js";
import {
  CLD_CONTINUED, CLD_DUMPED, CLD_EXITED, CLD_KILLED, CLD_STOPPED, CLD_TRAPPED, SA_NOCLDWAIT, SIG_IGN, SIGCHLD, SIGCONT, _NSIG,
} from "../include/uapi/signal.js";
import {
  P_ALL, P_PGID, P_PID, P_PIDFD, WCONTINUED, WEXITED, WNOHANG, WNOWAIT, WSTOPPED, WUNTRACED, __WALL, __WCLONE,
  __WNOTHREAD,
} from "../include/uapi/wait.js";
import { exitFiles } from "../fs/file.js";
import { int, type SyscallHandler, ulong } from "../include/linux/syscalls.js";
import { PROT_WRITE, putUserInt } from "../mm/mm.js";
import { ptraceEvent, sendSignal, setGroupExit, wakeWaiters } from "./signal.js";
import { exitPtrace, ptraceUnlink } from "./ptrace.js";
import { ptraceReparented } from "../include/linux/ptrace.js";
import { PTRACE_EVENT_EXIT, ptEvent } from "../include/uapi/ptrace.js";

/**
 * What a system call that does not return (exit) gives its caller to await: a promise that
 * never settles. A fresh one each time: a shared one would keep every exited task's code (and
 * through it its task and memory) reachable from its list of waiting continuations forever.
 */
export function never(): Promise<never> {
  return new Promise<never>(() => {});
}

/** thread_group_empty(): the leader is the only task of its group left. */
function threadGroupEmpty(leader: Task): boolean {
  return leader.signal.threads.length === 1;
}

/** The siginfo of a child's exit: CLD_EXITED with the code, or CLD_KILLED/CLD_DUMPED with the signal. */
function childInfo(child: Task, sig: number): KernelSiginfo {
  const s = child.exitCode;
  const exited = (s & 0x7f) === 0;
  return {
    signo: sig, code: exited ? CLD_EXITED : s & 0x80 ? CLD_DUMPED : CLD_KILLED,
    pid: child.tgid, uid: child.cred.uid, status: exited ? (s >> 8) & 0xff : s & 0x7f,
  };
}

/**
 * do_notify_parent(): sends the exit signal to the parent, or to the tracer while traced,
 * and wakes its waiters. A parent whose SIGCHLD is SIG_IGN (no signal at all then) or has
 * SA_NOCLDWAIT does not want zombies: an untraced child is reaped at once (autoreap). probe:
 * SIGCHLD blocked, child exited: pending; SIG_IGN: waitpid() blocked until the child exited,
 * then ECHILD, and SIGCHLD was never pending; SA_NOCLDWAIT: pending, and waitpid() gave ECHILD.
 */
function notifyParent(tsk: Task, sig: number): boolean {
  const parent = tsk.tracer ?? tsk.parent!;
  const psig = parent.sighand.action;
  let autoreap = false;
  if (!tsk.ptrace && sig === SIGCHLD && (psig.handler[SIGCHLD - 1] === SIG_IGN || psig.flags[SIGCHLD - 1]! & SA_NOCLDWAIT)) {
    autoreap = true;
    if (psig.handler[SIGCHLD - 1] === SIG_IGN) sig = 0;
  }
  if (sig > 0 && sig <= _NSIG) sendSignal(sig, parent, true, childInfo(tsk, sig));
  wakeWaiters(parent);
  return autoreap;
}

/**
 * release_task(): the task is gone; its pid can be reused. When the last other thread of a
 * group whose leader is already a zombie goes, the leader's parent is told at last.
 */
function releaseTask(task: Task): void {
  const kernel = task.kernel;
  if (task.ptrace) ptraceUnlink(task);
  task.state = TaskState.Dead;
  task.parent?.children.delete(task);
  kernel.pids.free(task.pid);
  const threads = task.signal.threads;
  threads.splice(threads.indexOf(task), 1);
  kernel.nrThreads--;
  const uid = task.cred.uid;
  kernel.nprocByUid.set(uid, kernel.nprocByUid.get(uid)! - 1);
  const leader = task.groupLeader;
  if (leader !== task && leader.state === TaskState.Zombie && threadGroupEmpty(leader) && notifyParent(leader, leader.exitSignal)) {
    releaseTask(leader);
  }
}

/**
 * find_new_reaper(): an exiting task's children go to a live thread of its own group if
 * there is one, else to init (a probe: a grandchild whose parent's leader thread exited kept
 * its getppid(); once the last thread was gone it read 1).
 */
function findNewReaper(task: Task): Task {
  const alive = task.signal.threads.find((t) => t !== task && t.alive);
  return alive ?? task.kernel.init!;
}

/**
 * forget_original_parent(): children go to the new reaper, every thread of theirs included.
 * A reparent to another group resets the exit signal to SIGCHLD and tells the new parent
 * about a child that is already a zombie (reparent_leader()); a threaded one tells nobody.
 */
function forgetOriginalParent(task: Task): void {
  const reaper = findNewReaper(task);
  const threaded = reaper.signal === task.signal;
  for (const child of task.children) {
    for (const t of child.signal.threads) t.parent = reaper;
    child.parent = reaper;
    reaper.children.add(child);
    if (threaded) continue;
    child.exitSignal = SIGCHLD;
    if (child.state === TaskState.Zombie && threadGroupEmpty(child) && notifyParent(child, SIGCHLD)) releaseTask(child);
  }
  task.children.clear();
}

/**
 * do_exit(): drop the address space, files, fs and the rest, hand the children on, then
 * become a zombie for the parent to reap (or be reaped at once when nobody will: threads,
 * children of a parent ignoring SIGCHLD). `status` is the wait status (code << 8, or the
 * signal, with 0x80 if it dumped core).
 */
export function doExit(task: Task, status: number): Promise<never> {
  // PTRACE_O_TRACEEXIT: the tracer sees the task once more, registers intact, with the status.
  if (task.ptrace & ptEvent(PTRACE_EVENT_EXIT)) {
    return ptraceEvent(task, PTRACE_EVENT_EXIT, status).then(() => {
      task.ptrace &= ~ptEvent(PTRACE_EVENT_EXIT);
      return doExit(task, status);
    });
  }
  exitTask(task, status);
  task.kernel.sched.exited(task);
  return never();
}

function exitTask(task: Task, status: number): void {
  const kernel = task.kernel;
  task.exitCode = status;
  // mm_release(): clear_child_tid is written and the vfork parent released before the mm goes.
  if (task.clearChildTid && task.mm) putUserInt(task.mm, task.clearChildTid, 0);
  if (task.vforkParent) { kernel.sched.wake(task.vforkParent); task.vforkParent = null; }
  if (task.mm) { task.mm.release(); task.mm = null; }
  exitFiles(task);
  if (task.fs) { task.fs.users--; task.fs = null; }
  task.sighand.release();
  // The last thread of a process takes its alarm with it (__exit_signal()).
  if (!task.signal.threads.some((t) => t !== task && t.alive)) {
    task.signal.realTimer?.cancel();
    task.signal.realTimer = null;
  }
  if (task.sysvsemUndo) { task.sysvsemUndo.refcnt--; task.sysvsemUndo = null; }
  task.ioContext = null;

  if (task === kernel.init) {
    task.state = TaskState.Zombie;
    kernel.halt(status);
    return;
  }
  // __ptrace_detach(): a zombie tracee is the real parent's to reap now.
  for (const child of exitPtrace(task)) {
    if (child.state === TaskState.Zombie && child.isThreadGroupLeader && threadGroupEmpty(child) && notifyParent(child, child.exitSignal)) releaseTask(child);
  }
  forgetOriginalParent(task);
  // exit_notify(): a leader whose other threads still run does not notify its parent yet;
  // the last thread's release does (delay_group_leader()). Other threads reap themselves.
  // A tracee tells its tracer (SIGCHLD unless it is the real parent's plain child).
  task.state = TaskState.Zombie;
  const leader = task === task.groupLeader;
  let autoreap: boolean;
  if (task.ptrace) {
    const sig = leader && threadGroupEmpty(task) && !ptraceReparented(task) ? task.exitSignal : SIGCHLD;
    autoreap = notifyParent(task, sig);
  } else {
    autoreap = !leader || (threadGroupEmpty(task) && notifyParent(task, task.exitSignal));
  }
  if (autoreap && task.state === TaskState.Zombie) releaseTask(task);
}

/**
 * Kills every other live thread of the group with `status` (zap_other_threads() and their
 * exits): they are taken off the CPU and exit where they stand.
 */
function zapThreads(task: Task, status: number): void {
  const signal = task.signal;
  signal.flags |= SIGNAL_GROUP_EXIT;
  signal.groupExitCode = status;
  for (const t of [...signal.threads]) {
    if (t !== task && t.alive) killTask(t, status);
  }
}

/** Ends a task that is not running: it is taken off the CPU and exits where it stands. */
function killTask(t: Task, status: number): void {
  t.kernel.sched.dequeue(t);
  exitTask(t, status);
}

/** do_group_exit(): every thread of the group dies with the same status. */
export function doGroupExit(task: Task, status: number): Promise<never> {
  zapThreads(task, status);
  return doExit(task, status);
}

/** A thread group that is not running dies: every thread exits where it stands (a fatal signal from another). */
function killGroup(victim: Task, status: number): void {
  zapThreads(victim, status);
  killTask(victim, status);
}

setGroupExit({ doGroupExit, killGroup });

/** The selection of one wait: P_ALL, a pid, or a process group, and the options. */
interface WaitOpts {
  readonly type: number;
  readonly id: number;
  readonly options: number;
}

/** eligible_pid() and eligible_child(): is `p` a child these options wait for? A tracer waits for every tracee. */
function eligible(p: Task, wo: WaitOpts, ptrace: boolean): boolean {
  if (wo.type === P_PID ? p.tgid !== wo.id : wo.type === P_PGID ? p.pgid !== wo.id : false) return false;
  if (ptrace) return true;
  // A "clone" child is one that does not send SIGCHLD: only __WCLONE (or __WALL) waits for it.
  const options = wo.options;
  if (((p.exitSignal !== SIGCHLD) !== ((options & __WCLONE) !== 0)) && !(options & __WALL)) return false;
  return true;
}

/** What a wait found: a zombie to reap, or a stop, trap or continue to report (once). */
interface WaitFound {
  readonly child: Task;
  /** CLD_EXITED (a zombie: exited, killed or dumped), CLD_STOPPED, CLD_TRAPPED or CLD_CONTINUED. */
  readonly why: number;
  /** The stopping signal for CLD_STOPPED; the ptrace-stop's code for CLD_TRAPPED. */
  readonly stopSig: number;
  /** Found by the tracer (a zombie tracee goes back to its real parent after). */
  readonly ptrace: boolean;
}

/**
 * wait_task_stopped() and wait_task_continued(): a stopped group is reported once with its
 * stop signal (WUNTRACED/WSTOPPED), a continued one once (WCONTINUED); WNOWAIT leaves the
 * report to be taken again. probe: SIGSTOP then waitpid(WUNTRACED): status 0x137f; SIGCONT
 * then waitpid(WCONTINUED): 0xffff.
 */
function stopOrContinue(p: Task, options: number): WaitFound | null {
  const signal = p.signal;
  if (options & WSTOPPED && signal.flags & SIGNAL_STOP_STOPPED && signal.groupExitCode) {
    const stopSig = signal.groupExitCode;
    if (!(options & WNOWAIT)) signal.groupExitCode = 0;
    return { child: p, why: CLD_STOPPED, stopSig, ptrace: false };
  }
  if (options & WCONTINUED && signal.flags & SIGNAL_STOP_CONTINUED) {
    if (!(options & WNOWAIT)) signal.flags &= ~SIGNAL_STOP_CONTINUED;
    return { child: p, why: CLD_CONTINUED, stopSig: 0, ptrace: false };
  }
  return null;
}

/**
 * wait_consider_task(): `p` found on the caller's children (ptrace false) or tracees (true).
 * undefined: not one this wait is for; null: eligible, nothing to report yet. A zombie
 * tracee is visible to its tracer only; a child traced by its own parent is waited for as a
 * tracee. A tracer sees each ptrace-stop once, whatever WUNTRACED says (probe: the stop after
 * PTRACE_TRACEME and raise(SIGSTOP) was 0x137f for a plain waitpid(pid, &s, 0)).
 */
function considerTask(p: Task, wo: WaitOpts, ptrace: boolean): WaitFound | null | undefined {
  if (!eligible(p, wo, ptrace)) return undefined;
  if (!ptrace && p.ptrace && !ptraceReparented(p)) ptrace = true;
  if (p.state === TaskState.Zombie) {
    // delay_group_leader(): a zombie leader is reaped only once its threads are gone
    // (a probe: wait4(leader, WNOHANG) gave 0 while a thread ran). Only WEXITED reports it.
    if (threadGroupEmpty(p) && (ptrace || !p.ptrace) && wo.options & WEXITED) return { child: p, why: CLD_EXITED, stopSig: 0, ptrace };
    return null;
  }
  if (ptrace) {
    if (p.state !== TaskState.Traced || !p.ptraceUnreported) return null;
    if (!(wo.options & WNOWAIT)) p.ptraceUnreported = false;
    return { child: p, why: CLD_TRAPPED, stopSig: p.ptraceCode, ptrace };
  }
  return stopOrContinue(p, wo.options);
}

/**
 * wait_task_zombie()'s end: the zombie is released, unless the one who reaped it was a tracer
 * other than the real parent; then the real parent is told now and reaps it later.
 */
function reapZombie(found: WaitFound): void {
  const child = found.child;
  if (found.ptrace && ptraceReparented(child)) {
    ptraceUnlink(child);
    if (!notifyParent(child, child.exitSignal)) return;
  }
  releaseTask(child);
}

/**
 * do_wait(): scans the children and tracees of the caller's thread group (only its own with
 * __WNOTHREAD) for a zombie it may reap or a stop, trap or continue it may report, sleeping
 * until one appears. Returns what it found, 0 for WNOHANG, -ECHILD when no child is eligible
 * at all, or -ERESTARTSYS when a signal ends the sleep (probe: an SA_RESTART handler
 * restarted waitpid(), which then reaped the child; without SA_RESTART: EINTR).
 */
async function doWait(task: Task, wo: WaitOpts, channel: string): Promise<WaitFound | number> {
  for (;;) {
    const parents = wo.options & __WNOTHREAD ? [task] : task.signal.threads;
    let any = false;
    for (const parent of parents) {
      for (const child of parent.children) {
        const found = considerTask(child, wo, false);
        if (found === undefined) continue;
        any = true;
        if (found) return found;
      }
      // ptrace_do_wait(): the tracees, children or not.
      for (const child of parent.ptraced) {
        const found = considerTask(child, wo, true);
        if (found === undefined) continue;
        any = true;
        if (found) return found;
      }
    }
    if (!any) return -ECHILD;
    if (wo.options & WNOHANG) return 0;
    if (signalPending(task)) return -ERESTARTSYS;
    (task.signal.waitChldexit ??= []).push(task);
    await task.kernel.sched.sleep(task, channel);
  }
}

/** struct rusage: two timevals and fourteen longs. */
const SIZEOF_RUSAGE = 144;

/** Stores the child's rusage; the emulation keeps no accounting, so every field is 0. */
function putRusage(task: Task, addr: number): boolean {
  return task.mm!.write(addr, new Uint8Array(SIZEOF_RUSAGE));
}

const WAIT4_OPTIONS = WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL;

/**
 * wait4(): the child is reaped before its status is stored, so a bad status pointer loses
 * it; rusage is stored last. probe: status in a read-only page: EFAULT, then ECHILD; rusage
 * at address 8: EFAULT with the status (0x300) stored, then ECHILD.
 */
async function wait4(task: Task, upid: number, statAddr: number, options: number, ru: number): Promise<number> {
  if ((options >>> 0) & ~WAIT4_OPTIONS) return -EINVAL;
  // -INT_MIN is not defined (kernel_wait4).
  if (upid === -2147483648) return -ESRCH;
  const wo: WaitOpts = upid === -1 ? { type: P_ALL, id: 0, options: options | WEXITED }
    : upid < 0 ? { type: P_PGID, id: -upid, options: options | WEXITED }
    : upid === 0 ? { type: P_PGID, id: task.pgid, options: options | WEXITED }
    : { type: P_PID, id: upid, options: options | WEXITED };
  const found = await doWait(task, wo, "wait4");
  if (typeof found === "number") return found;
  const child = found.child;
  const pid = child.tgid;
  const status = found.why === CLD_STOPPED || found.why === CLD_TRAPPED ? (found.stopSig << 8) | 0x7f
    : found.why === CLD_CONTINUED ? 0xffff : child.exitCode;
  if (found.why === CLD_EXITED) reapZombie(found);
  if (statAddr !== 0 && !putUserInt(task.mm!, statAddr, status)) return -EFAULT;
  if (ru !== 0 && !putRusage(task, ru)) return -EFAULT;
  return pid;
}

const WAITID_OPTIONS = WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL;

/** Offsets in siginfo_t of what waitid() stores: si_signo, si_errno, si_code, si_pid, si_uid, si_status. */
const SI_SIGNO = 0, SI_ERRNO = 4, SI_CODE = 8, SI_PID = 16, SI_UID = 20, SI_STATUS = 24;

/**
 * waitid(): kernel_waitid_prepare()'s checks, do_wait(), then the siginfo — written even when
 * the wait failed or found nothing (zeros then), so a bad infop turns any result into EFAULT.
 * probe: no options or a bad one, idtype 7, P_PID 0 or -5, P_PGID -5: EINVAL; no children:
 * ECHILD with every field 0; WNOHANG with a live child: 0, fields 0; killed by SIGTERM: code 2
 * status 15; exit(42): code 1 status 42; SIGSEGV with a core: code 3 status 11; WNOWAIT left the
 * child to be reaped again; a bad infop: EFAULT and the child was reaped.
 */
async function waitid(task: Task, which: number, upid: number, infop: number, options: number, ru: number): Promise<number> {
  let err: number;
  let found: WaitFound | null = null;
  if ((options >>> 0) & ~WAITID_OPTIONS || !(options & (WEXITED | WSTOPPED | WCONTINUED))) err = -EINVAL;
  else if (which === P_ALL) err = 0;
  else if (which === P_PID) err = upid <= 0 ? -EINVAL : 0;
  else if (which === P_PGID) err = upid < 0 ? -EINVAL : 0;
  // pidfds are not emulated: no descriptor refers to a process (pidfd_get_pid(): EBADF).
  else if (which === P_PIDFD) err = upid < 0 ? -EINVAL : -EBADF;
  else err = -EINVAL;
  if (err === 0) {
    const id = which === P_PGID && upid === 0 ? task.pgid : upid;
    const r = await doWait(task, { type: which, id, options }, "waitid");
    if (typeof r === "number") err = r;
    else found = r;
  }
  let info: KernelSiginfo = { signo: 0, code: 0, pid: 0, uid: 0, status: 0 };
  if (found) {
    const child = found.child;
    const id = { signo: SIGCHLD, pid: child.tgid, uid: child.cred.uid };
    if (found.why === CLD_STOPPED || found.why === CLD_TRAPPED) info = { ...id, code: found.why, status: found.stopSig };
    else if (found.why === CLD_CONTINUED) info = { ...id, code: CLD_CONTINUED, status: SIGCONT };
    else {
      info = childInfo(child, SIGCHLD);
      if (!(options & WNOWAIT)) reapZombie(found);
    }
    if (ru !== 0 && !putRusage(task, ru)) return -EFAULT;
  }
  if (infop === 0) return err;
  const mm = task.mm!;
  if (!mm.accessOk(infop, SI_STATUS + 4, PROT_WRITE)) return -EFAULT;
  mm.putInt32(infop + SI_SIGNO, info.signo);
  mm.putInt32(infop + SI_ERRNO, 0);
  mm.putInt32(infop + SI_CODE, info.code);
  mm.putInt32(infop + SI_PID, info.pid!);
  mm.putInt32(infop + SI_UID, info.uid!);
  mm.putInt32(infop + SI_STATUS, info.status!);
  return err;
}

export const sys_exit: SyscallHandler = (task, a0) => doExit(task, (int(a0) & 0xff) << 8);
export const sys_exit_group: SyscallHandler = (task, a0) => doGroupExit(task, (int(a0) & 0xff) << 8);
export const sys_wait4: SyscallHandler = (task, a0, a1, a2, a3) => wait4(task, int(a0), ulong(a1), int(a2), ulong(a3));
export const sys_waitid: SyscallHandler = (task, a0, a1, a2, a3, a4) => waitid(task, int(a0), int(a1), ulong(a2), int(a3), ulong(a4));
