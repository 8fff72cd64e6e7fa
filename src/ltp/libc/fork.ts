/**
 * <unistd.h>'s fork() and vfork() as the C library has them, with the child's code given as a
 * function (what the child runs when the call returns 0 in it, ending in exit() with what it
 * returns).
 */
import { ENOSYS } from "../../linux/include/uapi/errno.js";
import { CLONE_VFORK, CLONE_VM } from "../../linux/include/uapi/sched.js";
import { SIGCHLD } from "../../linux/include/uapi/signal.js";
import { job, sysno } from "../context.js";
import { childEntry } from "../lib/tst_child.js";
import { setErrno } from "./errno.js";
import { type ChildBody, cloneProcess } from "./sched.js";
import { intSyscall, type SysResult } from "./syscall.js";

/** glibc's fork(): clone(SIGCHLD) on every arch, as glibc's arch_fork does. */
export const FORK_FLAGS = SIGCHLD;

const mmuOf = new WeakMap<object, boolean>();

/** Does the target have an MMU (CONFIG_MMU)? Without one there is no fork, only vfork. */
export function hasMmu(): boolean {
  const target = job().target;
  let mmu = mmuOf.get(target);
  if (mmu === undefined) mmuOf.set(target, (mmu = target.kconfig("MMU") === "y"));
  return mmu;
}

/**
 * fork(): clone(SIGCHLD), as glibc does on every arch (riscv64 has no fork syscall at all). A
 * C library for a machine without an MMU has no working fork: uClibc's is a stub answering
 * ENOSYS, and so is this one there.
 */
export function fork(body: ChildBody): SysResult {
  if (!hasMmu()) {
    setErrno(ENOSYS);
    return -1;
  }
  return cloneProcess(FORK_FLAGS, childEntry(body));
}

/**
 * vfork(): the child borrows the parent's memory, and the parent sleeps until the child
 * exits. The vfork syscall where the arch has one; clone(CLONE_VM|CLONE_VFORK|SIGCHLD) where
 * it does not (riscv64), as glibc does.
 */
export function vfork(body: ChildBody): SysResult {
  job().target.current().setChildEntry(childEntry(body));
  return sysno("vfork") !== undefined ? intSyscall("vfork") : intSyscall("clone", CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}
