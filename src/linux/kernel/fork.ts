import { IoContext, SemUndoList, SighandStruct, Task, type UserEntry } from "../include/linux/sched.js";
import { EAGAIN, EFAULT, EINVAL } from "../include/uapi/errno.js";
import {
  CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID, CLONE_DETACHED, CLONE_FILES, CLONE_FS, CLONE_IO,
  CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUSER,
  CLONE_NEWUTS, CLONE_PARENT, CLONE_PARENT_SETTID, CLONE_PIDFD, CLONE_SIGHAND, CLONE_SYSVSEM,
  CLONE_THREAD, CLONE_VFORK, CLONE_VM, CSIGNAL,
} from "../include/uapi/sched.js";
import { SIGCHLD } from "../include/uapi/signal.js";
import { kernelObject, SYSCALL_DEFINE } from "../kbuild/object.js";
import { putUserInt } from "../mm/mm.js";

/** What kernel_clone() is asked for (struct kernel_clone_args, the parts used here). */
export interface CloneArgs {
  readonly flags: number;
  readonly exitSignal: number;
  readonly parentTid: number;
  readonly childTid: number;
}

const NAMESPACE_FLAGS = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;


/**
 * copy_process(): the checks of kernel/fork.c in its order, then a new task that shares or
 * copies each resource as the flags say. Returns the child, or a negative errno.
 */
function copyProcess(current: Task, args: CloneArgs, entry: UserEntry | null): Task | number {
  const flags = args.flags >>> 0;
  const kernel = current.kernel;
  const has = (f: number) => (flags & (f >>> 0)) >>> 0 !== 0;
  if (has(CLONE_NEWNS) && has(CLONE_FS)) return -EINVAL;
  if (has(CLONE_NEWUSER) && has(CLONE_FS)) return -EINVAL;
  // Thread groups must share signal handlers; shared handlers imply a shared VM.
  if (has(CLONE_THREAD) && !has(CLONE_SIGHAND)) return -EINVAL;
  if (has(CLONE_SIGHAND) && !has(CLONE_VM)) return -EINVAL;
  // Global init may not create siblings (SIGNAL_UNKILLABLE).
  if (has(CLONE_PARENT) && current.tgid === kernel.init?.tgid) return -EINVAL;
  if (has(CLONE_THREAD) && has(CLONE_NEWUSER | CLONE_NEWPID)) return -EINVAL;
  if (has(CLONE_PIDFD) && has(CLONE_DETACHED)) return -EINVAL;
  // Namespaces and pidfds are not emulated; a kernel built without them answers EINVAL too.
  if (has(NAMESPACE_FLAGS) || has(CLONE_PIDFD)) return -EINVAL;

  const pid = kernel.pids.alloc();
  if (pid === null) return -EAGAIN;

  const thread = has(CLONE_THREAD);
  const parent = has(CLONE_PARENT) || thread ? current.parent : current;
  const mm = has(CLONE_VM) ? current.mm : current.mm!.dup(kernel.newId());
  if (has(CLONE_VM)) mm!.users++;
  const files = has(CLONE_FILES) ? current.files : current.files!.dup(kernel.newId());
  if (has(CLONE_FILES)) files!.count++;
  const fs = has(CLONE_FS) ? current.fs : current.fs!.copy(kernel.newId());
  if (has(CLONE_FS)) fs!.users++;
  const sighand = has(CLONE_SIGHAND) ? current.sighand : new SighandStruct(kernel.newId());
  if (has(CLONE_SIGHAND)) sighand.count++;

  const child = new Task(kernel, pid, {
    parent,
    ...(thread ? { tgid: current.tgid, groupLeader: current.groupLeader } : {}),
    pgid: current.pgid, sid: current.sid, mm, files, fs, sighand, cred: current.cred,
    exitSignal: thread ? -1 : has(CLONE_PARENT) ? current.groupLeader.exitSignal : args.exitSignal,
    comm: current.comm,
  });
  child.rlimNofile = current.rlimNofile;
  // copy_io(): CLONE_IO shares the I/O context; without it the child starts with none.
  if (has(CLONE_IO) && current.ioContext) child.ioContext = current.ioContext;
  // copy_semundo(): CLONE_SYSVSEM shares the undo list, allocating it first if needed.
  if (has(CLONE_SYSVSEM) && kernel.linked.config.enabled("SYSVIPC")) {
    current.sysvsemUndo ??= new SemUndoList(kernel.newId());
    current.sysvsemUndo.refcnt++;
    child.sysvsemUndo = current.sysvsemUndo;
  }
  if (has(CLONE_PARENT_SETTID) && !putUserInt(current.mm!, args.parentTid, pid)) return -EFAULT;
  if (has(CLONE_CHILD_SETTID)) putUserInt(mm!, args.childTid, pid);
  if (has(CLONE_CHILD_CLEARTID)) child.clearChildTid = args.childTid;
  child.entry = entry;
  // Only group leaders are on their parent's children list: a thread is nobody's child
  // (a probe: __WCLONE|WNOHANG on a child process with a thread gave ECHILD).
  if (!thread) parent?.children.add(child);
  kernel.pids.attach(child);
  return child;
}

/** kernel_clone(): creates the child and lets it run; a vfork parent waits for it to exit. */
export function kernelClone(current: Task, args: CloneArgs): number | Promise<number> {
  const entry = current.childEntry;
  current.childEntry = null;
  const child = copyProcess(current, args, entry);
  if (typeof child === "number") return child;
  current.kernel.wakeUpNewTask(child);
  if (!((args.flags >>> 0) & CLONE_VFORK)) return child.pid;
  child.vforkParent = current;
  return (async () => {
    while (child.vforkParent) await current.kernel.sched.sleep(current, "vfork");
    return child.pid;
  })();
}

export const kernel_fork_c = kernelObject("kernel/fork.c", [
  SYSCALL_DEFINE(0, "fork", (task) =>
    // "can not support in nommu mode" (kernel/fork.c)
    task.kernel.linked.config.enabled("MMU")
      ? kernelClone(task, { flags: 0, exitSignal: SIGCHLD, parentTid: 0, childTid: 0 })
      : -EINVAL),
  SYSCALL_DEFINE(0, "vfork", (task) =>
    kernelClone(task, { flags: CLONE_VFORK | CLONE_VM, exitSignal: SIGCHLD, parentTid: 0, childTid: 0 })),
  // x86_64 and riscv64 use the plain argument order (no CONFIG_CLONE_BACKWARDS*):
  // clone(flags, newsp, parent_tidptr, child_tidptr, tls).
  SYSCALL_DEFINE(5, "clone", (task, a0, _newsp, a2, a3) =>
    kernelClone(task, { flags: a0 & ~CSIGNAL, exitSignal: a0 & CSIGNAL, parentTid: a2, childTid: a3 }),
    "the new stack and TLS are not used (emulated code runs on the host stack); namespaces and CLONE_PIDFD answer EINVAL"),
]);
