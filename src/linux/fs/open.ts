import type { Task } from "../include/linux/sched.js";
import { EEXIST, EINVAL, EISDIR, ENOENT, ENOTDIR, EOPNOTSUPP } from "../include/uapi/errno.js";
import {
  AT_FDCWD, O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECT, O_DIRECTORY, O_EXCL, O_LARGEFILE, O_RDONLY, O_TRUNC,
  O_WRONLY, S_IFIFO, S_IFMT, S_IFREG, __O_TMPFILE,
} from "../include/uapi/fcntl.js";
import { int, type SyscallHandler, uint, ulong } from "../include/linux/syscalls.js";
import { allocFd, closeFd, discardFile, fdInstall, fput, reserveFd, unreserveFd } from "./file.js";
import { createInode, getname, lookupLast, pathLookup, pathParent } from "./namei.js";
import { File, FMODE_CAN_ODIRECT } from "../include/linux/fs.js";

/**
 * do_dentry_open()'s end: the file's ->open() decided (an error undoes the open without a
 * ->release()), then O_DIRECT needs a file that can do it — checked after ->open(), so a FIFO
 * opened with O_DIRECT is released again (probe: open(fifo, O_RDWR|O_DIRECT) and
 * O_RDONLY|O_NONBLOCK|O_DIRECT: EINVAL; a tmpfs directory with O_DIRECT: EINVAL).
 */
function finishOpen(task: Task, fd: number, file: File, flags: number, err: number): number {
  if (err) {
    discardFile(file);
    return err;
  }
  if (file.flags & O_DIRECT && !(file.mode & FMODE_CAN_ODIRECT)) {
    fput(file);
    return -EINVAL;
  }
  // handle_truncate(): once the file is open.
  const inode = file.inode;
  if (flags & O_TRUNC && (flags & O_ACCMODE) !== O_RDONLY && inode.isRegular) {
    inode.truncate(0);
    inode.mtime = inode.ctime = task.kernel.sched.now;
  }
  fdInstall(task.files!, fd, file, (flags & O_CLOEXEC) !== 0);
  return fd;
}

/**
 * do_sys_openat2() on the in-memory filesystem, in Linux's order: build_open_flags() rejects
 * bad flag combinations, getname() copies the path (EFAULT, ENAMETOOLONG, ENOENT for ""),
 * then the descriptor is taken before the path is looked up, so a full table answers EMFILE
 * for a missing file but EFAULT for a bad pointer (probes with RLIMIT_NOFILE reached: a
 * missing file gave EMFILE, address 8 EFAULT, "" ENOENT, O_CREAT|O_DIRECTORY EINVAL). The
 * file's ->open() may sleep (a FIFO waiting for its other side): the descriptor stays taken.
 */
function doSysOpen(task: Task, dfd: number, filename: number, flags: number, mode: number): number | Promise<number> {
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
    // A removed directory takes no new entries (may_create(): IS_DEADDIR).
    if (p.dir.dead) return -ENOENT;
    inode = createInode(task, p, S_IFREG | (mode & 0o7777 & ~task.fs!.umask));
  } else if (inode.isDir) {
    if (flags & O_CREAT || (flags & O_ACCMODE) !== O_RDONLY || flags & O_TRUNC) return -EISDIR;
  } else if (flags & O_DIRECTORY || p.trailingSlash) {
    return -ENOTDIR;
  } else if ((inode.mode & S_IFMT) === S_IFIFO) {
    // may_open(): O_TRUNC means nothing to a FIFO.
    flags &= ~O_TRUNC;
  }
  const file = new File(task.kernel.newId(), inode, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC));
  const r = file.op.open ? file.op.open(task, inode, file) : 0;
  if (typeof r === "number") return finishOpen(task, fd, file, flags, r);
  const files = task.files!;
  reserveFd(files, fd);
  return r.then((err) => {
    unreserveFd(files, fd);
    return finishOpen(task, fd, file, flags, err);
  });
}

// x86_64 forces O_LARGEFILE on open()/openat() (force_o_largefile()).
export const sys_open: SyscallHandler = (task, a0, a1, a2) => doSysOpen(task, AT_FDCWD, ulong(a0), int(a1) | O_LARGEFILE, uint(a2));
export const sys_openat: SyscallHandler = (task, a0, a1, a2, a3) => doSysOpen(task, int(a0), ulong(a1), int(a2) | O_LARGEFILE, uint(a3));
export const sys_creat: SyscallHandler = (task, a0, a1) => doSysOpen(task, AT_FDCWD, ulong(a0), O_CREAT | O_WRONLY | O_TRUNC | O_LARGEFILE, uint(a1));
export const sys_close: SyscallHandler = (task, a0) => closeFd(task.files!, uint(a0));
export const sys_chdir: SyscallHandler = (task, a0) => {
  const path = getname(task, ulong(a0));
  if (typeof path === "number") return path;
  const inode = pathLookup(task, AT_FDCWD, path);
  if (typeof inode === "number") return inode;
  if (!inode.isDir) return -ENOTDIR;
  task.fs!.pwd = inode;
  return 0;
};
