import type { Task } from "../include/linux/sched.js";
import { EEXIST, EINVAL, EISDIR, ENOENT, ENOTDIR, EOPNOTSUPP } from "../include/uapi/errno.js";
import {
  AT_FDCWD, O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_LARGEFILE, O_RDONLY, O_TRUNC,
  O_WRONLY, S_IFREG, __O_TMPFILE,
} from "../include/uapi/fcntl.js";
import { kernelObject, SYSCALL_DEFINE } from "../kbuild/object.js";
import { allocFd, closeFd, fdInstall } from "./file.js";
import { File } from "./file_table.js";
import { getname, lookupLast, pathLookup, pathParent } from "./namei.js";

/**
 * do_sys_openat2() on the in-memory filesystem, in Linux's order: build_open_flags() rejects
 * bad flag combinations, getname() copies the path (EFAULT, ENAMETOOLONG, ENOENT for ""),
 * then the descriptor is taken before the path is looked up, so a full table answers EMFILE
 * for a missing file but EFAULT for a bad pointer (probes with RLIMIT_NOFILE reached: a
 * missing file gave EMFILE, address 8 EFAULT, "" ENOENT, O_CREAT|O_DIRECTORY EINVAL).
 */
function doSysOpen(task: Task, dfd: number, filename: number, flags: number, mode: number): number {
  // build_open_flags(): since 6.4, O_DIRECTORY|O_CREAT is refused instead of creating a
  // regular file (a probe: EINVAL, nothing created, even with a bad path pointer).
  if ((flags & (O_DIRECTORY | O_CREAT)) === (O_DIRECTORY | O_CREAT)) return -EINVAL;
  const tmpfile = (flags & __O_TMPFILE) !== 0;
  // O_TMPFILE needs O_DIRECTORY with it and write access (O_TMPFILE|O_RDONLY: EINVAL).
  if (tmpfile && (!(flags & O_DIRECTORY) || (flags & O_ACCMODE) === O_RDONLY)) return -EINVAL;
  const path = getname(task, filename);
  if (typeof path === "number") return path;
  const fd = allocFd(task, 0);
  if (fd < 0) return fd;
  if (tmpfile) {
    // do_tmpfile(): the directory is looked up first (ENOENT, ENOTDIR as for any path), then
    // vfs_tmpfile() needs the filesystem's ->tmpfile(), which the in-memory one does not have.
    const dir = pathLookup(task, dfd, path);
    if (typeof dir === "number") return dir;
    return dir.isDir ? -EOPNOTSUPP : -ENOTDIR;
  }
  const p = pathParent(task, dfd, path);
  if (typeof p === "number") return p;
  let inode = lookupLast(p);
  if (inode && (flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL)) return -EEXIST;
  if (!inode) {
    if (!(flags & O_CREAT)) return -ENOENT;
    if (p.trailingSlash) return -EISDIR;
    inode = task.kernel.rootfs.newInode(S_IFREG | (mode & 0o7777 & ~task.fs!.umask), p.dir);
    p.dir.entries!.set(p.last, inode);
  } else if (inode.isDir) {
    if (flags & O_CREAT || (flags & O_ACCMODE) !== O_RDONLY || flags & O_TRUNC) return -EISDIR;
  } else if (flags & O_DIRECTORY || p.trailingSlash) {
    return -ENOTDIR;
  } else if (flags & O_TRUNC && (flags & O_ACCMODE) !== O_RDONLY) {
    inode.truncate(0);
  }
  fdInstall(task.files!, fd, new File(task.kernel.newId(), inode, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC)), (flags & O_CLOEXEC) !== 0);
  return fd;
}

export const fs_open_c = kernelObject("fs/open.c", [
  // x86_64 forces O_LARGEFILE on open()/openat() (force_o_largefile()).
  SYSCALL_DEFINE(3, "open", (task, a0, a1, a2) => doSysOpen(task, AT_FDCWD, a0, (a1 | 0) | O_LARGEFILE, a2 >>> 0)),
  SYSCALL_DEFINE(4, "openat", (task, a0, a1, a2, a3) => doSysOpen(task, a0 | 0, a1, (a2 | 0) | O_LARGEFILE, a3 >>> 0)),
  SYSCALL_DEFINE(2, "creat", (task, a0, a1) => doSysOpen(task, AT_FDCWD, a0, O_CREAT | O_WRONLY | O_TRUNC | O_LARGEFILE, a1 >>> 0)),
  SYSCALL_DEFINE(1, "close", (task, a0) => closeFd(task.files!, a0 >>> 0)),
  SYSCALL_DEFINE(1, "chdir", (task, a0) => {
    const path = getname(task, a0);
    if (typeof path === "number") return path;
    const inode = pathLookup(task, AT_FDCWD, path);
    if (typeof inode === "number") return inode;
    if (!inode.isDir) return -ENOTDIR;
    task.fs!.pwd = inode;
    return 0;
  }),
]);
