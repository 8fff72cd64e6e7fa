/**
 * <unistd.h>: process ids, pause() and _exit(), file descriptors, pipes, positioned reads and
 * writes, the working directory and removing names. fork() and vfork() are in fork.ts, syscall()
 * in syscall.ts.
 */
import { AT_FDCWD, AT_REMOVEDIR } from "../../linux/include/uapi/fcntl.js";
import type { Word } from "../../linux/include/uapi/word.js";
import { sysno } from "../context.js";
import { outBuffer } from "./data_segment.js";
import { cstring } from "./string.js";
import { after, intSyscall, syscall, type SysResult, type WordResult } from "./syscall.js";

export const getpid = (): SysResult => intSyscall("getpid");
export const getppid = (): SysResult => intSyscall("getppid");
export const gettid = (): SysResult => intSyscall("gettid");
export const getuid = (): SysResult => intSyscall("getuid");
/**
 * pause(2). Where the arch has no pause syscall (riscv64), sigsuspend() with the current
 * mask, as uClibc does: the same wait, the same EINTR.
 */
export function pause(): SysResult {
  if (sysno("pause") !== undefined) return intSyscall("pause");
  const buf = outBuffer();
  return after(intSyscall("rt_sigprocmask", 0, 0, buf, 8), (r) => (r < 0 ? r : intSyscall("rt_sigsuspend", buf, 8)));
}

/** exit_group(): never returns. */
export function _exit(status: number): Promise<never> {
  return intSyscall("exit_group", status) as Promise<never>;
}

export const close = (fd: number): SysResult => intSyscall("close", fd);
export const read = (fd: number, buf: number, count: number): SysResult => intSyscall("read", fd, buf, count);
export const write = (fd: number, buf: number, count: number): SysResult => intSyscall("write", fd, buf, count);
/** lseek(2): off_t offsets and results, all 64 bits (a bigint past 2^53). */
export const lseek = (fd: number, offset: Word, whence: number): WordResult => syscall("lseek", fd, offset, whence);
export const dup = (fd: number): SysResult => intSyscall("dup", fd);
export const dup2 = (oldfd: number, newfd: number): SysResult =>
  sysno("dup2") === undefined ? (oldfd === newfd ? fcntlCheck(oldfd) : intSyscall("dup3", oldfd, newfd, 0)) : intSyscall("dup2", oldfd, newfd);
export const dup3 = (oldfd: number, newfd: number, flags: number): SysResult => intSyscall("dup3", oldfd, newfd, flags);
export const chdir = (path: string): SysResult => intSyscall("chdir", cstring(path));

/** glibc's dup2(fd, fd) where there is no dup2 syscall: it checks fd is open (with fcntl F_GETFL; here dup3 semantics differ, so a close-free probe). */
function fcntlCheck(fd: number): SysResult {
  const r = intSyscall("dup", fd);
  const settleProbe = (v: number): number | Promise<number> => {
    if (v < 0) return -1;
    const c = close(v);
    return typeof c === "number" ? fd : c.then(() => fd);
  };
  return typeof r === "number" ? settleProbe(r) : r.then(settleProbe);
}

/**
 * pipe(int fildes[2]): the pipe syscall where the arch has one, pipe2(fildes, 0) where it does
 * not (riscv64), as glibc does. `fildes` points at two ints in the process's memory.
 */
export function pipe(fildes: number): SysResult {
  return sysno("pipe") !== undefined ? intSyscall("pipe", fildes) : intSyscall("pipe2", fildes, 0);
}

export const pipe2 = (fildes: number, flags: number): SysResult => intSyscall("pipe2", fildes, flags);
export const pread = (fd: number, buf: number, count: number, offset: Word): SysResult => intSyscall("pread64", fd, buf, count, offset);
export const pwrite = (fd: number, buf: number, count: number, offset: Word): SysResult => intSyscall("pwrite64", fd, buf, count, offset);
/** unlink(), rmdir(): through unlinkat(), which every arch has (glibc's choice where the old calls are missing). */
export const unlink = (path: string): SysResult => intSyscall("unlinkat", AT_FDCWD, cstring(path), 0);
export const unlinkat = (dirfd: number, path: string, flags: number): SysResult => intSyscall("unlinkat", dirfd, cstring(path), flags);
export const rmdir = (path: string): SysResult => intSyscall("unlinkat", AT_FDCWD, cstring(path), AT_REMOVEDIR);
