import type { Task } from "../include/linux/sched.js";
import { nofileLimit } from "../include/linux/sched/signal.js";
import { EBADF, EINVAL, EMFILE } from "../include/uapi/errno.js";
import { O_CLOEXEC } from "../include/uapi/fcntl.js";
import { int, type SyscallHandler, uint } from "../include/linux/syscalls.js";
import type { File } from "../include/linux/fs.js";
import type { FilesStruct } from "../include/linux/fdtable.js";

/**
 * The descriptor alloc_fd() would hand out: the lowest free one >= start and below
 * RLIMIT_NOFILE, or -EMFILE. Nothing is reserved: fdInstall() takes it.
 */
export function allocFd(task: Task, start: number): number {
  const files = task.files!;
  let fd = Math.max(start, files.nextFd);
  while ((fd < files.fd.length && files.fd[fd]) || files.reserved?.has(fd)) fd++;
  return fd >= nofileLimit(task) ? -EMFILE : fd;
}

/** fd_install(): puts a file at a free descriptor from allocFd(). */
export function fdInstall(files: FilesStruct, fd: number, file: File, cloexec: boolean): void {
  files.fd[fd] = file;
  if (cloexec) files.closeOnExec.add(fd);
  else files.closeOnExec.delete(fd);
  if (fd === files.nextFd) files.nextFd = fd + 1;
}

/**
 * fput(): drops a reference to an open file description. The last one releases it: its
 * operations' ->release() (a pipe end tells the other side), then the inode loses an opener
 * (an unlinked file goes with its last one).
 */
export function fput(file: File): void {
  if (--file.count > 0) return;
  file.op.release?.(file);
  file.inode.openFiles--;
  file.inode.maybeEvict();
}

/** Holds a descriptor from allocFd() for an open() that sleeps before it can install it. */
export function reserveFd(files: FilesStruct, fd: number): void {
  (files.reserved ??= new Set()).add(fd);
}

export function unreserveFd(files: FilesStruct, fd: number): void {
  files.reserved?.delete(fd);
  if (files.reserved?.size === 0) files.reserved = null;
}

/** An open that failed before the file was opened: no ->release(), the inode loses the opener. */
export function discardFile(file: File): void {
  file.inode.openFiles--;
  file.inode.maybeEvict();
}

/** close_fd(): -EBADF when fd is not open. */
export function closeFd(files: FilesStruct, fd: number): number {
  const file = files.get(fd);
  if (!file) return -EBADF;
  files.fd[fd] = null;
  files.closeOnExec.delete(fd);
  if (fd < files.nextFd) files.nextFd = fd;
  fput(file);
  return 0;
}

/** Drops a task's reference to its table; the last one closes every descriptor (exit_files). */
export function exitFiles(task: Task): void {
  const files = task.files;
  if (!files) return;
  task.files = null;
  if (--files.count > 0) return;
  for (let fd = 0; fd < files.fd.length; fd++) if (files.fd[fd]) closeFd(files, fd);
}

/** do_dup2(): newfd is closed silently first, as dup2(2) describes. */
function doDup2(task: Task, file: File, newfd: number, flags: number): number {
  const files = task.files!;
  const old = files.get(newfd);
  if (old) fput(old);
  file.count++;
  files.fd[newfd] = file;
  if (flags & O_CLOEXEC) files.closeOnExec.add(newfd);
  else files.closeOnExec.delete(newfd);
  return newfd;
}

/** ksys_dup3() */
function dup3(task: Task, oldfd: number, newfd: number, flags: number): number {
  if ((flags & ~O_CLOEXEC) !== 0) return -EINVAL;
  if (oldfd === newfd) return -EINVAL;
  if (newfd < 0 || newfd >= nofileLimit(task)) return -EBADF;
  const file = task.files!.get(oldfd);
  if (!file) return -EBADF;
  return doDup2(task, file, newfd, flags);
}

export const sys_dup: SyscallHandler = (task, a0) => {
  const file = task.files!.get(uint(a0));
  if (!file) return -EBADF;
  const fd = allocFd(task, 0);
  if (fd < 0) return fd;
  file.count++;
  fdInstall(task.files!, fd, file, false);
  return fd;
};
export const sys_dup2: SyscallHandler = (task, a0, a1) => {
  const oldfd = uint(a0), newfd = uint(a1);
  // dup2(fd, fd) checks that fd is open and returns it (fs/file.c, SYSCALL_DEFINE2(dup2)).
  if (oldfd === newfd) return task.files!.get(oldfd) ? newfd : -EBADF;
  return dup3(task, oldfd, newfd, 0);
};
export const sys_dup3: SyscallHandler = (task, a0, a1, a2) => dup3(task, uint(a0), uint(a1), int(a2));
