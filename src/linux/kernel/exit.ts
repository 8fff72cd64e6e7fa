import { TaskState, type Task } from "../include/linux/sched.js";
import { ECHILD, EFAULT, EINVAL, ESRCH } from "../include/uapi/errno.js";
import { SIGCHLD } from "../include/uapi/signal.js";
import { WCONTINUED, WNOHANG, WUNTRACED, __WALL, __WCLONE, __WNOTHREAD } from "../include/uapi/wait.js";
import { exitFiles } from "../fs/file.js";
import { kernelObject, SYSCALL_DEFINE } from "../kbuild/object.js";
import { putUserInt } from "../mm/mm.js";

/** What a system call that does not return (exit) gives its caller to await. */
export const NEVER = new Promise<never>(() => {});

/** The tasks waiting in wait4()/waitid() for a child of theirs to change state. */
const waiters = new WeakMap<Task, Set<Task>>();

function wakeWaiters(parent: Task): void {
  const set = waiters.get(parent.groupLeader);
  if (!set) return;
  for (const t of set) parent.kernel.sched.wake(t);
  set.clear();
}

/** Is `leader` the only task of its thread group left? (thread_group_empty()) */
function threadGroupEmpty(leader: Task): boolean {
  return !leader.kernel.pids.all().some((t) => t !== leader && t.tgid === leader.tgid);
}

/**
 * release_task(): the task is gone; its pid can be reused. When the last other thread of a
 * group whose leader is already a zombie goes, the leader's parent is told at last.
 */
function releaseTask(task: Task): void {
  task.state = TaskState.Dead;
  task.parent?.children.delete(task);
  task.kernel.pids.free(task.pid);
  const leader = task.groupLeader;
  if (leader !== task && leader.state === TaskState.Zombie && leader.parent && threadGroupEmpty(leader)) {
    wakeWaiters(leader.parent);
  }
}

/**
 * find_new_reaper(): an exiting task's children go to a live thread of its own group if
 * there is one, else to init (a probe: a grandchild whose parent's leader thread exited kept
 * its getppid(); once the last thread was gone it read 1).
 */
function findNewReaper(task: Task): Task {
  const alive = task.kernel.pids.all().find((t) =>
    t !== task && t.tgid === task.tgid && (t.state === TaskState.Running || t.state === TaskState.Sleeping));
  return alive ?? task.kernel.init!;
}

/**
 * do_exit(): drop the address space, files, fs and the rest, hand the children to init,
 * then become a zombie for the parent to reap (or be reaped at once when nobody will:
 * threads, whose exit_signal is -1). `status` is the wait status (code << 8, or a signal).
 */
export function doExit(task: Task, status: number): Promise<never> {
  exitTask(task, status);
  task.kernel.sched.exited(task);
  return NEVER;
}

function exitTask(task: Task, status: number): void {
  const kernel = task.kernel;
  task.exitCode = status;
  // mm_release(): clear_child_tid is written before the address space goes away.
  if (task.clearChildTid && task.mm) putUserInt(task.mm, task.clearChildTid, 0);
  if (task.vforkParent) { kernel.sched.wake(task.vforkParent); task.vforkParent = null; }
  if (task.mm) { task.mm.users--; task.mm = null; }
  exitFiles(task);
  if (task.fs) { task.fs.users--; task.fs = null; }
  task.sighand.count--;
  if (task.sysvsemUndo) { task.sysvsemUndo.refcnt--; task.sysvsemUndo = null; }
  task.ioContext = null;

  if (task === kernel.init) {
    task.state = TaskState.Zombie;
    kernel.halt(status);
    return;
  }
  // forget_original_parent(): children are reparented to the new reaper, every thread of
  // theirs included; a threaded reparent (within the group) notifies nobody.
  const reaper = findNewReaper(task);
  const threaded = reaper.tgid === task.tgid;
  let zombieToReaper = false;
  for (const child of task.children) {
    for (const t of kernel.pids.all()) if (t.tgid === child.tgid) t.parent = reaper;
    child.parent = reaper;
    reaper.children.add(child);
    if (!threaded && child.state === TaskState.Zombie && threadGroupEmpty(child)) zombieToReaper = true;
  }
  task.children.clear();
  if (zombieToReaper) wakeWaiters(reaper);

  if (task.exitSignal === -1 || !task.parent) {
    releaseTask(task);
  } else {
    task.state = TaskState.Zombie;
    // exit_notify(): a leader whose other threads still run does not notify its parent
    // yet; the last thread's release does (delay_group_leader()).
    if (threadGroupEmpty(task)) wakeWaiters(task.parent);
  }
}

/** Is `p` a child the wait options select? (eligible_pid() and eligible_child()) */
function eligible(p: Task, upid: number, callerPgid: number, options: number): boolean {
  if (upid > 0 ? p.tgid !== upid : upid === 0 ? p.pgid !== callerPgid : upid < -1 ? p.pgid !== -upid : false) return false;
  // A "clone" child is one that does not send SIGCHLD: only __WCLONE (or __WALL) waits for it.
  if (((p.exitSignal !== SIGCHLD) !== ((options & __WCLONE) !== 0)) && !(options & __WALL)) return false;
  return true;
}

const WAIT4_OPTIONS = WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL;

/** kernel_wait4() */
async function wait4(task: Task, upid: number, statAddr: number, options: number): Promise<number> {
  if ((options >>> 0) & ~WAIT4_OPTIONS) return -EINVAL;
  // -INT_MIN is not defined (kernel_wait4).
  if (upid === -2147483648) return -ESRCH;
  for (;;) {
    // Children of every thread of the group count, unless __WNOTHREAD.
    const parents = options & __WNOTHREAD
      ? [task]
      : task.kernel.pids.all().filter((t) => t.tgid === task.tgid);
    let any = false;
    for (const parent of parents) {
      for (const child of parent.children) {
        if (!eligible(child, upid, task.pgid, options)) continue;
        any = true;
        if (child.state !== TaskState.Zombie) continue;
        // delay_group_leader(): a zombie leader is reaped only once its threads are gone
        // (a probe: wait4(leader, WNOHANG) gave 0 while a thread ran).
        if (!threadGroupEmpty(child)) continue;
        const pid = child.tgid;
        const status = child.exitCode;
        releaseTask(child);
        // The child is reaped before the status is stored: a bad pointer still loses it.
        if (statAddr !== 0 && !putUserInt(task.mm!, statAddr, status)) return -EFAULT;
        return pid;
      }
    }
    if (!any) return -ECHILD;
    if (options & WNOHANG) return 0;
    let set = waiters.get(task.groupLeader);
    if (!set) waiters.set(task.groupLeader, (set = new Set()));
    set.add(task);
    await task.kernel.sched.sleep(task, "wait4");
  }
}


/** do_group_exit(): every other thread of the group dies with the same status. */
function doGroupExit(task: Task, status: number): Promise<never> {
  for (const t of task.kernel.pids.all()) {
    if (t !== task && t.tgid === task.tgid && t.state !== TaskState.Zombie && t.state !== TaskState.Dead) {
      task.kernel.sched.dequeue(t);
      exitTask(t, status);
    }
  }
  return doExit(task, status);
}

export const kernel_exit_c = kernelObject("kernel/exit.c", [
  SYSCALL_DEFINE(1, "exit", (task, a0) => doExit(task, ((a0 | 0) & 0xff) << 8)),
  SYSCALL_DEFINE(1, "exit_group", (task, a0) => doGroupExit(task, ((a0 | 0) & 0xff) << 8)),
  SYSCALL_DEFINE(4, "wait4", (task, a0, a1, a2) => wait4(task, a0 | 0, a1, a2 | 0),
    "rusage is not filled in; WUNTRACED/WCONTINUED see no stops (no job control signals yet)"),
]);
