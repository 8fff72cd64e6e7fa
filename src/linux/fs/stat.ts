import type { Task } from "../include/linux/sched.js";
import { EBADF, EFAULT, EINVAL, ENAMETOOLONG } from "../include/uapi/errno.js";
import { AT_EMPTY_PATH, AT_FDCWD, AT_NO_AUTOMOUNT, AT_STATX_SYNC_TYPE, AT_SYMLINK_NOFOLLOW } from "../include/uapi/fcntl.js";
import { packStat, statLayout, type Kstat } from "../include/uapi/stat.js";
import { int, type SyscallHandler, uint, ulong } from "../include/linux/syscalls.js";
import { strncpyFromUser } from "../mm/mm.js";
import { inodeBlocks, inodeSize } from "../mm/shmem.js";
import { getname, pathLookup, PATH_MAX } from "./namei.js";
import type { Inode } from "../include/linux/fs.js";

/**
 * generic_fillattr(): what stat() reports of an inode. st_blksize is the page size on the
 * in-memory filesystems and pipefs. probes (tmpfs): a FIFO: st_mode 010644, st_nlink 1,
 * st_size 0, st_blksize 4096, st_blocks 0; a pipe: st_dev 0xf, st_mode 010600, st_size 0 with
 * data in it.
 */
function getattr(task: Task, inode: Inode): Kstat {
  const kernel = task.kernel;
  return {
    dev: inode.sb.dev, ino: inode.ino, mode: inode.mode, nlink: inode.nlink, uid: inode.uid, gid: inode.gid,
    rdev: inode.rdev, size: inodeSize(kernel, inode), blksize: 4096, blocks: inodeBlocks(kernel, inode),
    atime: inode.atime, mtime: inode.mtime, ctime: inode.ctime,
  };
}

/** cp_new_stat(): the arch's struct stat into user memory (EFAULT where it cannot go). */
function cpNewStat(task: Task, inode: Inode, statbuf: number): number {
  const bytes = packStat(statLayout(task.kernel.linked.arch.name), getattr(task, inode));
  return task.mm!.write(statbuf, bytes) ? 0 : -EFAULT;
}

/** vfs_fstat(): the inode of an open descriptor. probe: fstat(999): EBADF; fstat(fd, 8): EFAULT. */
function newfstat(task: Task, fd: number, statbuf: number): number {
  const file = task.files!.get(fd);
  if (!file) return -EBADF;
  return cpNewStat(task, file.inode, statbuf);
}

/** getname_flags() with LOOKUP_EMPTY: like getname(), but "" (and, since 6.11, NULL) is the empty path. */
function getnameEmpty(task: Task, ptr: number): string | number {
  if (ptr === 0) return "";
  const s = strncpyFromUser(task.mm!, ptr, PATH_MAX);
  return s === null ? -ENAMETOOLONG : s;
}

/**
 * vfs_fstatat() (no symlinks exist here, so lstat() is stat()): flags exactly AT_EMPTY_PATH
 * with an empty (or NULL) path and a descriptor is fstat(); otherwise unknown flags are EINVAL
 * before the path's own error (getname() keeps it for the lookup); an empty path is allowed
 * only with AT_EMPTY_PATH, and means the directory or file dfd names. probes:
 * fstatat(AT_FDCWD, "", 0): ENOENT; flags 0x1: EINVAL, also with path (char *)8; flags 0x10000:
 * EINVAL; (999, "x"): EBADF; (999, "/dev/shm"): 0; (regular fd, "x"): ENOTDIR; (999, "",
 * AT_EMPTY_PATH): EBADF; (AT_FDCWD, NULL, AT_EMPTY_PATH|AT_SYMLINK_NOFOLLOW): 0, the working
 * directory; NULL with flags 0: EFAULT; (fd, (char *)8, AT_EMPTY_PATH): EFAULT. (A 6.18 probe
 * gave 0 for (fd, "", AT_EMPTY_PATH|0x1), which 6.12's source refuses with EINVAL.)
 */
function fstatat(task: Task, dfd: number, filename: number, statbuf: number, flags: number): number {
  const emptyOk = (flags & AT_EMPTY_PATH) !== 0;
  const name = emptyOk ? getnameEmpty(task, filename) : getname(task, filename);
  if (flags === AT_EMPTY_PATH && dfd >= 0 && name === "") return newfstat(task, dfd, statbuf);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE)) return -EINVAL;
  if (typeof name === "number") return name;
  let inode: Inode | number;
  if (name === "") {
    if (dfd === AT_FDCWD) inode = task.fs!.pwd;
    else inode = task.files!.get(dfd)?.inode ?? -EBADF;
  } else {
    inode = pathLookup(task, dfd, name);
  }
  if (typeof inode === "number") return inode;
  return cpNewStat(task, inode, statbuf);
}

/**
 * stat() and lstat(): fstatat(AT_FDCWD, path, 0). probes: stat("file/"): ENOTDIR; "nope":
 * ENOENT; "": ENOENT; (char *)8: EFAULT; a bad buffer: EFAULT.
 */
const stat = (task: Task, filename: number, statbuf: number): number => fstatat(task, AT_FDCWD, filename, statbuf, 0);

export const sys_newstat: SyscallHandler = (task, a0, a1) => stat(task, ulong(a0), ulong(a1));
export const sys_newlstat: SyscallHandler = (task, a0, a1) => stat(task, ulong(a0), ulong(a1));
export const sys_newfstatat: SyscallHandler = (task, a0, a1, a2, a3) => fstatat(task, int(a0), ulong(a1), ulong(a2), int(a3));
export const sys_newfstat: SyscallHandler = (task, a0, a1) => newfstat(task, uint(a0), ulong(a1));
