/**
 * <sys/stat.h>: stat() and friends with struct stat read back in the target arch's layout
 * (x86_64's own, riscv64's generic one), mknod(), mkfifo() and mkdir(). The calls go where
 * glibc sends them: newfstatat(), mknodat() and mkdirat(), which every arch has.
 */
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, S_IFIFO } from "../../linux/include/uapi/fcntl.js";
import { statLayout, unpackStat } from "../../linux/include/uapi/stat.js";
import type { Word } from "../../linux/include/uapi/word.js";
import { job } from "../context.js";
import { peekBytes } from "./memory.js";
import { cstring } from "./string.js";
import { intSyscall, type SysResult } from "./syscall.js";

/** struct stat as C code reads it (times as seconds and nanoseconds). */
export interface Stat {
  readonly st_dev: number;
  readonly st_ino: number;
  readonly st_mode: number;
  readonly st_nlink: number;
  readonly st_uid: number;
  readonly st_gid: number;
  readonly st_rdev: number;
  readonly st_size: Word;
  readonly st_blksize: number;
  readonly st_blocks: number;
  readonly st_atim: { readonly tv_sec: number; readonly tv_nsec: number };
  readonly st_mtim: { readonly tv_sec: number; readonly tv_nsec: number };
  readonly st_ctim: { readonly tv_sec: number; readonly tv_nsec: number };
}

/** sizeof(struct stat) on the target. */
export function sizeofStat(): number {
  return statLayout(job().target.arch).size;
}

const timespec = (ns: number) => ({ tv_sec: Math.floor(ns / 1e9), tv_nsec: ns % 1e9 });

/** The struct stat at `buf`, in the target arch's layout. */
export function readStat(buf: number): Stat {
  const layout = statLayout(job().target.arch);
  const k = unpackStat(layout, peekBytes(buf, layout.size));
  return {
    st_dev: k.dev, st_ino: k.ino, st_mode: k.mode, st_nlink: k.nlink, st_uid: k.uid, st_gid: k.gid, st_rdev: k.rdev,
    st_size: k.size, st_blksize: k.blksize, st_blocks: k.blocks,
    st_atim: timespec(k.atime), st_mtim: timespec(k.mtime), st_ctim: timespec(k.ctime),
  };
}

export const fstatat = (dirfd: number, path: string, buf: number, flags: number): SysResult =>
  intSyscall("newfstatat", dirfd, cstring(path), buf, flags);
export const stat = (path: string, buf: number): SysResult => fstatat(AT_FDCWD, path, buf, 0);
export const lstat = (path: string, buf: number): SysResult => fstatat(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
/** fstat(): glibc's fstatat(fd, "", buf, AT_EMPTY_PATH). */
export const fstat = (fd: number, buf: number): SysResult => fstatat(fd, "", buf, AT_EMPTY_PATH);

export const mknod = (path: string, mode: number, dev: number): SysResult => intSyscall("mknodat", AT_FDCWD, cstring(path), mode, dev);
/** mkfifo(): mknod(path, S_IFIFO | mode, 0). */
export const mkfifo = (path: string, mode: number): SysResult => mknod(path, S_IFIFO | mode, 0);

export const mkdir = (path: string, mode: number): SysResult => intSyscall("mkdirat", AT_FDCWD, cstring(path), mode);
