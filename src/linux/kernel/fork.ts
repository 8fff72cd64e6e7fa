import { SemUndoList, SighandStruct, Task, type UserEntry } from "../include/linux/sched.js";
import { rlimit } from "../include/linux/sched/signal.js";
import { E2BIG, EAGAIN, EBADF, EEXIST, EFAULT, EINVAL, ENOMEM, EPERM } from "../include/uapi/errno.js";
import { RLIMIT_NPROC } from "../include/uapi/resource.js";
import {
  CLONE_ARGS_SIZE_VER0, CLONE_ARGS_SIZE_VER2, CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID, CLONE_CLEAR_SIGHAND,
  CLONE_DETACHED, CLONE_FILES, CLONE_FS, CLONE_INTO_CGROUP, CLONE_IO, CLONE_NEWCGROUP, CLONE_NEWIPC,
  CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWTIME, CLONE_NEWUSER, CLONE_NEWUTS, CLONE_PARENT,
  CLONE_PARENT_SETTID, CLONE_PIDFD, CLONE_SIGHAND, CLONE_SYSVSEM, CLONE_THREAD, CLONE_VFORK, CLONE_VM, CSIGNAL,
} from "../include/uapi/sched.js";
import { SIG_IGN, SIGCHLD, _NSIG } from "../include/uapi/signal.js";
import { type SyscallHandler, uint, ulong } from "../include/linux/syscalls.js";
import { PAGE_SIZE, putUserInt, VM_ACCOUNT } from "../mm/mm.js";
import { vmEnoughMemory } from "../mm/util.js";
import { CAP_SYS_ADMIN, CAP_SYS_RESOURCE, CAP_CHECKPOINT_RESTORE } from "./cred.js";
import { enterUserMode } from "./entry/common.js";

/** What kernel_clone() is asked for (struct kernel_clone_args, the parts used here). */
export interface CloneArgs {
  /** The low 32 bits: the legacy CLONE_ flags. */
  readonly flags: number;
  readonly exitSignal: number;
  readonly parentTid: number;
  readonly childTid: number;
  /** clone3's CLONE_CLEAR_SIGHAND. */
  readonly clearSighand?: boolean;
  /** clone3's set_tid: the pid the child must get (one level: there are no pid namespaces). */
  readonly setTid?: number;
}

const NAMESPACE_FLAGS = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;

/** The flag checks at the top of copy_process(), in its order. */
function cloneFlagsError(current: Task, flags: number): number {
  const has = (f: number) => ((flags & f) >>> 0) !== 0;
  if (has(CLONE_NEWNS) && has(CLONE_FS)) return -EINVAL;
  if (has(CLONE_NEWUSER) && has(CLONE_FS)) return -EINVAL;
  // Thread groups must share signal handlers; shared handlers imply a shared VM.
  if (has(CLONE_THREAD) && !has(CLONE_SIGHAND)) return -EINVAL;
  if (has(CLONE_SIGHAND) && !has(CLONE_VM)) return -EINVAL;
  // Global init may not create siblings (SIGNAL_UNKILLABLE).
  if (has(CLONE_PARENT) && current.tgid === current.kernel.init?.tgid) return -EINVAL;
  if (has(CLONE_THREAD) && has(CLONE_NEWUSER | CLONE_NEWPID)) return -EINVAL;
  if (has(CLONE_PIDFD) && has(CLONE_DETACHED)) return -EINVAL;
  // Namespaces and pidfds are not emulated; a kernel built without them answers EINVAL too.
  if (has(NAMESPACE_FLAGS) || has(CLONE_PIDFD)) return -EINVAL;
  return 0;
}

/**
 * The resource checks copy_process() makes before it creates anything observable, in its
 * order: RLIMIT_NPROC (copy_creds() counted the child already, so the count may reach the
 * limit but not pass it; root and CAP_SYS_RESOURCE/ADMIN are exempt; zombies count — a probe
 * as uid 65534 with RLIMIT_NPROC 2 and one unreaped child: EAGAIN, after reaping it: success),
 * threads-max, copy_mm()'s charge of every accountable area (ENOMEM), then alloc_pid()'s
 * checks of a requested pid (set_tid).
 */
function forkResourceError(current: Task, flags: number, setTid: number | undefined): number {
  const kernel = current.kernel;
  const cred = current.cred;
  const count = (kernel.nprocByUid.get(cred.uid) ?? 0) + 1;
  if (BigInt(count) > rlimit(current, RLIMIT_NPROC).cur && cred.uid !== 0
    && !cred.capEffective.has(CAP_SYS_RESOURCE) && !cred.capEffective.has(CAP_SYS_ADMIN)) return -EAGAIN;
  if (kernel.nrThreads >= kernel.maxThreads) return -EAGAIN;
  if (!(flags & CLONE_VM) && kernel.mmu) {
    // dup_mmap(): each VM_ACCOUNT area is charged on its own.
    for (const v of current.mm!.vmas) {
      if (v.flags & VM_ACCOUNT && vmEnoughMemory(current, (v.end - v.start) / PAGE_SIZE) < 0) return -ENOMEM;
    }
  }
  if (setTid !== undefined) {
    // alloc_pid() with set_tid: a valid number, the capability, then a free one.
    if (setTid < 1 || setTid >= kernel.pids.pidMax) return -EINVAL;
    if (!cred.capEffective.has(CAP_CHECKPOINT_RESTORE) && !cred.capEffective.has(CAP_SYS_ADMIN)) return -EPERM;
    if (kernel.pids.find(setTid)) return -EEXIST;
  }
  return 0;
}

/**
 * copy_process(): the checks of kernel/fork.c in its order, then a new task that shares or
 * copies each resource as the flags say. Returns the child, or a negative errno.
 */
function copyProcess(current: Task, args: CloneArgs, entry: UserEntry | null): Task | number {
  const flags = args.flags >>> 0;
  const kernel = current.kernel;
  const has = (f: number) => ((flags & f) >>> 0) !== 0;
  const bad = cloneFlagsError(current, flags) || forkResourceError(current, flags, args.setTid);
  if (bad) return bad;
  // alloc_pid(): every pid below pid_max taken is EAGAIN.
  const pid = args.setTid ?? kernel.pids.alloc();
  if (pid === null) return -EAGAIN;

  const thread = has(CLONE_THREAD);
  const parent = has(CLONE_PARENT) || thread ? current.parent : current;
  const mm = has(CLONE_VM) ? current.mm : current.mm!.dup(kernel.newId());
  if (has(CLONE_VM)) mm!.users++;
  const files = has(CLONE_FILES) ? current.files : current.files!.dup(kernel.newId());
  if (has(CLONE_FILES)) files!.count++;
  const fs = has(CLONE_FS) ? current.fs : current.fs!.copy(kernel.newId());
  if (has(CLONE_FS)) fs!.users++;
  const sighand = has(CLONE_SIGHAND) ? current.sighand : new SighandStruct(kernel.newId(), current.sighand);
  if (has(CLONE_SIGHAND)) sighand.count++;
  if (args.clearSighand) flushSignalHandlers(sighand);
  const signal = thread ? current.signal : current.signal.copy();

  const child = new Task(kernel, pid, {
    parent,
    ...(thread ? { tgid: current.tgid, groupLeader: current.groupLeader } : {}),
    pgid: current.pgid, sid: current.sid, mm, files, fs, sighand, signal, cred: current.cred,
    exitSignal: thread ? -1 : has(CLONE_PARENT) ? current.groupLeader.exitSignal : args.exitSignal,
    comm: current.comm,
  });
  // The child inherits the signal mask and the user registers (its stack pointer); nothing
  // is pending for it yet.
  child.blocked = current.blocked;
  if (current.regs) child.regs = kernel.entry.copyRegs(current.regs);
  signal.threads.push(child);
  kernel.nrThreads++;
  kernel.nprocByUid.set(child.cred.uid, (kernel.nprocByUid.get(child.cred.uid) ?? 0) + 1);
  // copy_io(): CLONE_IO shares the I/O context; without it the child starts with none.
  if (has(CLONE_IO) && current.ioContext) child.ioContext = current.ioContext;
  // copy_semundo(): CLONE_SYSVSEM shares the undo list, allocating it first if needed.
  if (has(CLONE_SYSVSEM) && kernel.linked.config.enabled("SYSVIPC")) {
    current.sysvsemUndo ??= new SemUndoList(kernel.newId());
    current.sysvsemUndo.refcnt++;
    child.sysvsemUndo = current.sysvsemUndo;
  }
  // schedule_tail() stores the child's tid in its own memory; a bad address is ignored.
  if (has(CLONE_CHILD_SETTID)) putUserInt(mm!, args.childTid, pid);
  if (has(CLONE_CHILD_CLEARTID)) child.clearChildTid = args.childTid;
  child.entry = entry;
  // Only group leaders are on their parent's children list: a thread is nobody's child
  // (a probe: __WCLONE|WNOHANG on a child process with a thread gave ECHILD).
  if (!thread) parent?.children.add(child);
  kernel.pids.attach(child);
  return child;
}

/** flush_signal_handlers(t, 0): every handler back to SIG_DFL except ignored signals. */
function flushSignalHandlers(sighand: SighandStruct): void {
  const a = sighand.writable();
  for (let i = 0; i < _NSIG; i++) {
    if (a.handler[i] !== SIG_IGN) a.handler[i] = 0;
    a.flags[i] = 0;
    a.restorer[i] = 0;
    a.mask[i] = 0n;
  }
}

/**
 * wake_up_new_task(): a task created by fork/clone becomes runnable; it enters user mode
 * (its entry) when first picked.
 */
function wakeUpNewTask(task: Task): void {
  task.resume = () => queueMicrotask(() => enterUserMode(task));
  task.kernel.sched.enqueue(task);
}

/** kernel_clone(): creates the child and lets it run; a vfork parent waits for it to exit. */
export function kernelClone(current: Task, args: CloneArgs): number | Promise<number> {
  const entry = current.childEntry;
  current.childEntry = null;
  const child = copyProcess(current, args, entry);
  if (typeof child === "number") return child;
  // The parent's tid pointer is written after the fork; a bad one is ignored (kernel_clone()).
  if ((args.flags >>> 0) & CLONE_PARENT_SETTID) putUserInt(current.mm!, args.parentTid, child.pid);
  wakeUpNewTask(child);
  if (!((args.flags >>> 0) & CLONE_VFORK)) return child.pid;
  child.vforkParent = current;
  return (async () => {
    while (child.vforkParent) await current.kernel.sched.sleep(current, "vfork", false);
    return child.pid;
  })();
}

/** struct clone_args field offsets (all __aligned_u64). */
const CA_FLAGS = 0, CA_CHILD_TID = 16, CA_PARENT_TID = 24, CA_EXIT_SIGNAL = 32, CA_STACK = 40,
  CA_STACK_SIZE = 48, CA_SET_TID = 64, CA_SET_TID_SIZE = 72, CA_CGROUP = 80;
/** MAX_PID_NS_LEVEL */
const MAX_PID_NS_LEVEL = 32;
/** CLONE_LEGACY_FLAGS: the 32 bits clone() has. */
const CLONE_LEGACY_FLAGS = 0xffffffffn;

/**
 * clone3(): copy_clone_args_from_user() then clone3_args_valid(), in their order. probe:
 * size 63: EINVAL; size 4097: E2BIG (even with a bad pointer); bad pointer: EFAULT; size 128
 * with a nonzero byte past the struct: E2BIG; exit_signal 65 or 0x111: EINVAL; THREAD or
 * PARENT with an exit signal, DETACHED, CLEAR_SIGHAND|SIGHAND, flag bit 40, a stack without a
 * size or a size without a stack, set_tid_size without set_tid: EINVAL each.
 */
function clone3(task: Task, uargs: number, size: number): number | Promise<number> {
  if (size > PAGE_SIZE) return -E2BIG;
  if (size < CLONE_ARGS_SIZE_VER0) return -EINVAL;
  const mm = task.mm!;
  if (size > CLONE_ARGS_SIZE_VER2) {
    const rest = mm.read(uargs + CLONE_ARGS_SIZE_VER2, size - CLONE_ARGS_SIZE_VER2);
    if (!rest) return -EFAULT;
    if (rest.some((b) => b !== 0)) return -E2BIG;
  }
  const raw = mm.read(uargs, Math.min(size, CLONE_ARGS_SIZE_VER2));
  if (!raw) return -EFAULT;
  const buf = new Uint8Array(CLONE_ARGS_SIZE_VER2);
  buf.set(raw);
  const view = new DataView(buf.buffer);
  const u64 = (off: number) => view.getBigUint64(off, true);
  const flags = u64(CA_FLAGS), exitSignal = u64(CA_EXIT_SIGNAL), stack = u64(CA_STACK), stackSize = u64(CA_STACK_SIZE);
  const setTidPtr = u64(CA_SET_TID), setTidSize = u64(CA_SET_TID_SIZE), cgroup = u64(CA_CGROUP);
  if (setTidSize > BigInt(MAX_PID_NS_LEVEL)) return -EINVAL;
  if (!setTidPtr && setTidSize > 0n) return -EINVAL;
  if (setTidPtr && setTidSize === 0n) return -EINVAL;
  if (exitSignal & ~BigInt(CSIGNAL) || exitSignal > BigInt(_NSIG)) return -EINVAL;
  const intoCgroup = (flags & BigInt(CLONE_INTO_CGROUP)) !== 0n;
  if (intoCgroup && (cgroup > 0x7fffffffn || size < CLONE_ARGS_SIZE_VER2)) return -EINVAL;
  let setTid: number | undefined;
  if (setTidPtr) {
    const tids = mm.read(Number(setTidPtr), Number(setTidSize) * 4);
    if (!tids) return -EFAULT;
    // Without pid namespaces only one level exists: a longer array cannot be satisfied.
    if (setTidSize > 1n) return -EINVAL;
    setTid = new DataView(tids.buffer).getInt32(0, true);
  }
  // clone3_args_valid()
  if (flags & ~(CLONE_LEGACY_FLAGS | BigInt(CLONE_CLEAR_SIGHAND) | BigInt(CLONE_INTO_CGROUP))) return -EINVAL;
  if (flags & BigInt(CLONE_DETACHED | (CSIGNAL & ~CLONE_NEWTIME))) return -EINVAL;
  const low = Number(flags & CLONE_LEGACY_FLAGS);
  const clearSighand = (flags & BigInt(CLONE_CLEAR_SIGHAND)) !== 0n;
  if (low & CLONE_SIGHAND && clearSighand) return -EINVAL;
  if (low & (CLONE_THREAD | CLONE_PARENT) && exitSignal) return -EINVAL;
  if (stack === 0n ? stackSize > 0n : stackSize === 0n || stack + stackSize > BigInt(mm.layout.taskSize)) return -EINVAL;
  // cgroup_css_set_fork(): no descriptor of this kernel is a cgroup directory.
  if (intoCgroup) return -EBADF;
  return kernelClone(task, {
    flags: low, exitSignal: Number(exitSignal), parentTid: Number(u64(CA_PARENT_TID)),
    childTid: Number(u64(CA_CHILD_TID)), clearSighand, ...(setTid !== undefined ? { setTid } : {}),
  });
}

export const sys_fork: SyscallHandler = (task) =>
  // "can not support in nommu mode" (kernel/fork.c); clone() without CLONE_VM is allowed there.
  task.kernel.mmu
    ? kernelClone(task, { flags: 0, exitSignal: SIGCHLD, parentTid: 0, childTid: 0 })
    : -EINVAL;
export const sys_vfork: SyscallHandler = (task) =>
  kernelClone(task, { flags: CLONE_VFORK | CLONE_VM, exitSignal: SIGCHLD, parentTid: 0, childTid: 0 });
/**
 * x86_64 and riscv64 use the plain argument order (no CONFIG_CLONE_BACKWARDS*):
 * clone(flags, newsp, parent_tidptr, child_tidptr, tls). The exit signal is not checked
 * (a probe: clone(65) created a child that only __WALL could reap).
 */
export const sys_clone: SyscallHandler = (task, a0, _newsp, a2, a3) =>
  kernelClone(task, { flags: uint(a0) & ~CSIGNAL, exitSignal: uint(a0) & CSIGNAL, parentTid: ulong(a2), childTid: ulong(a3) });
export const sys_clone3: SyscallHandler = (task, a0, a1) => clone3(task, ulong(a0), ulong(a1));
/** set_tid_address(): where 0 is stored (and the futex woken) when the thread exits. */
export const sys_set_tid_address: SyscallHandler = (task, a0) => {
  task.clearChildTid = ulong(a0);
  return task.pid;
};

