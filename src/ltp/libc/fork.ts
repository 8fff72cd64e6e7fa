/**
 * <unistd.h>: fork() and vfork() as the C library has them, with the child's code given as a
 * function (what the child runs when the call returns 0 in it, ending in exit() with what it
 * returns); pipes, positioned reads and writes, and removing names.
 */
import { ENOSYS } from "../../linux/include/uapi/errno.js";
import { AT_FDCWD, AT_REMOVEDIR } from "../../linux/include/uapi/fcntl.js";
import { CLONE_VFORK, CLONE_VM } from "../../linux/include/uapi/sched.js";
import { SIGCHLD } from "../../linux/include/uapi/signal.js";
import { job, sysno } from "../context.js";
import { cloneProcess, cstring, FORK_FLAGS, setErrno, syscall, type ChildBody, type SysResult } from "./libc.js";
import { childEntry } from "../lib/tst_child.js";

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
  return sysno("vfork") !== undefined ? syscall("vfork") : syscall("clone", CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

/**
 * pipe(int fildes[2]): the pipe syscall where the arch has one, pipe2(fildes, 0) where it does
 * not (riscv64), as glibc does. `fildes` points at two ints in the process's memory.
 */
export function pipe(fildes: number): SysResult {
  return sysno("pipe") !== undefined ? syscall("pipe", fildes) : syscall("pipe2", fildes, 0);
}

export const pipe2 = (fildes: number, flags: number): SysResult => syscall("pipe2", fildes, flags);
export const pread = (fd: number, buf: number, count: number, offset: number): SysResult => syscall("pread64", fd, buf, count, offset);
export const pwrite = (fd: number, buf: number, count: number, offset: number): SysResult => syscall("pwrite64", fd, buf, count, offset);
/** unlink(), rmdir(): through unlinkat(), which every arch has (glibc's choice where the old calls are missing). */
export const unlink = (path: string): SysResult => syscall("unlinkat", AT_FDCWD, cstring(path), 0);
export const unlinkat = (dirfd: number, path: string, flags: number): SysResult => syscall("unlinkat", dirfd, cstring(path), flags);
export const rmdir = (path: string): SysResult => syscall("unlinkat", AT_FDCWD, cstring(path), AT_REMOVEDIR);
