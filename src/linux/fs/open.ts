import type { Task } from "../include/linux/sched.js";
import { EEXIST, EISDIR, ENOENT, ENOTDIR, EOPNOTSUPP } from "../include/uapi/errno.js";
import {
  AT_FDCWD, O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_LARGEFILE, O_RDONLY, O_TRUNC,
  O_WRONLY, S_IFREG, __O_TMPFILE,
} from "../include/uapi/fcntl.js";
import { kernelObject, SYSCALL_DEFINE } from "../kbuild/object.js";
import { allocFd, closeFd, fdInstall } from "./file.js";
import { File } from "./file_table.js";
import { getname, lookupLast, pathLookup, pathParent } from "./namei.js";

/**
 * do_sys_openat2() on the in-memory filesystem. As in Linux, the descriptor is taken before
 * the path is looked up, so a full table answers EMFILE even for a missing file.
 */
function doSysOpen(task: Task, dfd: number, filename: number, flags: number, mode: number): number {
  // The in-memory filesystem has no tmpfile inode operation: open(2) says EOPNOTSUPP then.
  if ((flags & __O_TMPFILE) === __O_TMPFILE) return -EOPNOTSUPP;
  const fd = allocFd(task, 0);
  if (fd < 0) return fd;
  const path = getname(task, filename);
  if (typeof path === "number") return path;
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
