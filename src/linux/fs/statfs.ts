import type { Task } from "../include/linux/sched.js";
import { EBADF, EFAULT } from "../include/uapi/errno.js";
import { AT_FDCWD } from "../include/uapi/fcntl.js";
import { packStatfs, PIPEFS_MAGIC, ST_VALID, type Kstatfs } from "../include/uapi/stat.js";
import { type SyscallHandler, uint, ulong } from "../include/linux/syscalls.js";
import { shmemStatfs } from "../mm/shmem.js";
import { getname, pathLookup } from "./namei.js";
import type { Inode } from "../include/linux/fs.js";

/**
 * vfs_statfs(): the filesystem an inode is on. The root filesystem answers for itself
 * (mm/shmem.ts); pipefs with simple_statfs(): its magic, 4 KiB blocks, NAME_MAX, nothing
 * counted. f_fsid is the device number (u64_to_fsid(huge_encode_dev(s_dev))). probe: a pipe's
 * fstatfs: f_type 0x50495045, f_bsize 4096, f_blocks 0, f_files 0, f_namelen 255, f_frsize
 * 4096, f_flags 0x20.
 */
function vfsStatfs(task: Task, inode: Inode): Kstatfs {
  const sb = inode.sb;
  if (sb === task.kernel.rootfs) return shmemStatfs(task.kernel, sb);
  return {
    type: PIPEFS_MAGIC, bsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, fsid: [sb.dev, 0],
    namelen: 255, frsize: 4096, flags: ST_VALID,
  };
}

function copyOut(task: Task, inode: Inode | number, buf: number): number {
  if (typeof inode === "number") return inode;
  return task.mm!.write(buf, packStatfs(vfsStatfs(task, inode))) ? 0 : -EFAULT;
}

/**
 * statfs() and fstatfs(): the path is looked up like stat()'s; struct statfs is the same
 * 120 bytes on x86_64 and riscv64. probes: statfs(""): ENOENT; "/nope": ENOENT; (char *)8:
 * EFAULT; a bad buffer: EFAULT; fstatfs(999): EBADF.
 */
function statfs(task: Task, pathname: number, buf: number): number {
  const path = getname(task, pathname);
  return copyOut(task, typeof path === "number" ? path : pathLookup(task, AT_FDCWD, path), buf);
}

export const sys_statfs: SyscallHandler = (task, a0, a1) => statfs(task, ulong(a0), ulong(a1));
export const sys_fstatfs: SyscallHandler = (task, a0, a1) => copyOut(task, task.files!.get(uint(a0))?.inode ?? -EBADF, ulong(a1));
