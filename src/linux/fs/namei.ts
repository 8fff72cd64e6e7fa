import type { Task } from "../include/linux/sched.js";
import {
  EBADF, EBUSY, EEXIST, EINVAL, EISDIR, ENAMETOOLONG, ENOENT, ENOTDIR, ENOTEMPTY, EPERM,
} from "../include/uapi/errno.js";
import {
  AT_FDCWD, AT_REMOVEDIR, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG, S_IFSOCK,
} from "../include/uapi/fcntl.js";
import { newDecodeDev, newEncodeDev } from "../include/uapi/stat.js";
import { int, type SyscallHandler, uint, ulong } from "../include/linux/syscalls.js";
import { CAP_MKNOD } from "../kernel/cred.js";
import { strncpyFromUser } from "../mm/mm.js";
import { ownerOf } from "./inode.js";
import { pipefifoFops } from "./pipe.js";
import type { Inode } from "../include/linux/fs.js";

/** include/uapi/linux/limits.h */
export const PATH_MAX = 4096;
export const NAME_MAX = 255;

/** getname(): a path from user memory, or -EFAULT, -ENAMETOOLONG, -ENOENT for "". */
export function getname(task: Task, ptr: number): string | number {
  const s = strncpyFromUser(task.mm!, ptr, PATH_MAX);
  if (s === null) return -ENAMETOOLONG;
  if (s === "") return -ENOENT;
  return s;
}

/** The result of walking all but the last component: the parent and the last name. */
export interface PathParent {
  readonly dir: Inode;
  /** The last component ("" for "/"; "." and ".." kept as written). */
  readonly last: string;
  /** The path ended in "/": the last component must be a directory. */
  readonly trailingSlash: boolean;
}

function step(dir: Inode, name: string): Inode | number {
  if (name === ".") return dir;
  if (name === "..") return dir.parent!;
  if (name.length > NAME_MAX) return -ENAMETOOLONG;
  return dir.entries!.get(name) ?? -ENOENT;
}

/** filename_parentat(): walks to the directory that holds the last component. */
export function pathParent(task: Task, dfd: number, path: string): PathParent | number {
  let dir: Inode;
  if (path.startsWith("/")) dir = task.fs!.root;
  else if (dfd === AT_FDCWD) dir = task.fs!.pwd;
  else {
    const file = task.files!.get(dfd);
    if (!file) return -EBADF;
    if (!file.inode.isDir) return -ENOTDIR;
    dir = file.inode;
  }
  const parts = path.split("/").filter((p) => p !== "");
  const last = parts.pop() ?? "";
  for (const name of parts) {
    const next = step(dir, name);
    if (typeof next === "number") return next;
    if (!next.isDir) return -ENOTDIR;
    dir = next;
  }
  if (last.length > NAME_MAX) return -ENAMETOOLONG;
  return { dir, last, trailingSlash: path.endsWith("/") && last !== "" };
}

/** getname() and filename_parentat() of a path in user memory. */
export function userPathParent(task: Task, dfd: number, pathname: number): PathParent | number {
  const path = getname(task, pathname);
  return typeof path === "number" ? path : pathParent(task, dfd, path);
}

/** Looks the last component up in its parent: the inode, or null when it does not exist. */
export function lookupLast(p: PathParent): Inode | null {
  if (p.last === "") return p.dir;
  const r = step(p.dir, p.last);
  return typeof r === "number" ? null : r;
}

/** filename_lookup(): the inode a path names, or a negative errno. */
export function pathLookup(task: Task, dfd: number, path: string): Inode | number {
  const p = pathParent(task, dfd, path);
  if (typeof p === "number") return p;
  const inode = lookupLast(p);
  if (!inode) return -ENOENT;
  if (p.trailingSlash && !inode.isDir) return -ENOTDIR;
  return inode;
}

/**
 * A new inode named by the last component of `p`, owned by the caller's fsuid and fsgid; its
 * directory changes (mtime, ctime), and gains a link for a subdirectory's "..".
 */
export function createInode(task: Task, p: PathParent, mode: number): Inode {
  const owner = ownerOf(task);
  const inode = task.kernel.rootfs.newInode(mode, p.dir, owner);
  p.dir.entries!.set(p.last, inode);
  if (inode.isDir) p.dir.nlink++;
  p.dir.mtime = p.dir.ctime = owner.now;
  return inode;
}

/** The kind of the last component, as filename_parentat() reports it. */
function lastType(p: PathParent): "norm" | "dot" | "dotdot" | "root" {
  return p.last === "" ? "root" : p.last === "." ? "dot" : p.last === ".." ? "dotdot" : "norm";
}

/**
 * filename_create(): the parent of a new name. "." , ".." and "/" exist already (EEXIST), so
 * does a name that is there; a trailing slash asks for a directory, so for anything else a
 * missing name is ENOENT. A removed directory takes no new entry (may_create(): ENOENT).
 * probes: mknod(".") and mknod("/"): EEXIST; mknod("fx/", S_IFIFO): ENOENT; after rmdir of
 * the working directory, open(O_CREAT), mkdir and mknod in it: ENOENT.
 */
function filenameCreate(task: Task, dfd: number, pathname: number, wantDir: boolean): PathParent | number {
  const p = userPathParent(task, dfd, pathname);
  if (typeof p === "number") return p;
  if (lastType(p) !== "norm" || lookupLast(p)) return -EEXIST;
  if (p.trailingSlash && !wantDir) return -ENOENT;
  if (p.dir.dead) return -ENOENT;
  return p;
}

/** do_mkdirat() */
function mkdirat(task: Task, dfd: number, pathname: number, mode: number): number {
  const p = filenameCreate(task, dfd, pathname, true);
  if (typeof p === "number") return p;
  createInode(task, p, S_IFDIR | (mode & 0o7777 & ~task.fs!.umask));
  return 0;
}

/**
 * do_mknodat(): the type is checked before the path is even copied (may_mknod(): a directory
 * is EPERM, an unknown type EINVAL, 0 means a regular file); then the name is created; device
 * nodes need CAP_MKNOD (a character device 0:0, the whiteout, does not). init_special_inode()
 * gives a FIFO the pipe operations and a device its number; the permission bits lose the
 * umask, the set-id and sticky bits stay. probes (umask 022): S_IFIFO|0666: 010644, st_rdev 0
 * even when a dev was given; mode 0644 (type 0): 0100644; S_IFDIR: EPERM, even in a missing
 * directory; 0170000 and 0110000: EINVAL; S_IFCHR 1:3: 020644, st_rdev 0x103; S_IFSOCK:
 * 0140644; an existing name: EEXIST; S_IFCHR on an existing name: EEXIST; (char *)8: EFAULT;
 * "" ENOENT; "nodir/x" ENOENT; "file/x" ENOTDIR; mknodat(999, "q"): EBADF, with an absolute
 * path: 0; S_IFIFO|07777: 017755.
 */
function mknodat(task: Task, dfd: number, pathname: number, mode: number, dev: number): number {
  const type = mode & S_IFMT;
  switch (type) {
    case 0: case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK: break;
    case S_IFDIR: return -EPERM;
    default: return -EINVAL;
  }
  const p = filenameCreate(task, dfd, pathname, false);
  if (typeof p === "number") return p;
  const isDevice = type === S_IFCHR || type === S_IFBLK;
  if (isDevice && !(type === S_IFCHR && dev === 0) && !task.cred.capEffective.has(CAP_MKNOD)) return -EPERM;
  const inode = createInode(task, p, (type || S_IFREG) | (mode & 0o7777 & ~task.fs!.umask));
  if (isDevice) {
    const { major, minor } = newDecodeDev(dev);
    inode.rdev = newEncodeDev(major, minor);
  } else if (type === S_IFIFO) {
    inode.fop = pipefifoFops;
  }
  return 0;
}

/** Takes a name out of its directory: the inode loses a link and goes when nothing holds it. */
function removeEntry(task: Task, dir: Inode, name: string, inode: Inode): void {
  dir.entries!.delete(name);
  const now = task.kernel.sched.now;
  dir.mtime = dir.ctime = now;
  inode.ctime = now;
  if (inode.isDir) {
    // shmem_rmdir(): the directory's own two links go, and its parent's link from "..".
    inode.nlink = 0;
    inode.dead = true;
    dir.nlink--;
  } else {
    inode.nlink--;
  }
  inode.maybeEvict();
}

/**
 * do_unlinkat(): ".", ".." and "/" are EISDIR; a trailing slash or a missing name decides by
 * what is there (ENOENT, EISDIR, ENOTDIR); a directory is EISDIR (Linux's answer where POSIX
 * says EPERM). An open file stays readable and writable, with st_nlink 0. probes: unlink(dir),
 * unlink("dir/"), unlink("."), unlink(".."), unlink("/"): EISDIR; unlink("file/"): ENOTDIR;
 * unlink("nope") and unlink("nope/"): ENOENT; unlink("file/x"): ENOTDIR; an unlinked open
 * file: read 5, write 1, fstat st_nlink 0; open() of its name: ENOENT.
 */
function unlinkat(task: Task, dfd: number, pathname: number): number {
  const p = userPathParent(task, dfd, pathname);
  if (typeof p === "number") return p;
  if (lastType(p) !== "norm") return -EISDIR;
  const inode = lookupLast(p);
  if (!inode) return -ENOENT;
  if (p.trailingSlash || inode.isDir) return inode.isDir ? -EISDIR : -ENOTDIR;
  removeEntry(task, p.dir, p.last, inode);
  return 0;
}

/**
 * do_rmdir(): ".." is ENOTEMPTY, "." EINVAL, "/" EBUSY; then the name must exist (ENOENT), be
 * a directory (ENOTDIR) and be empty (ENOTEMPTY). The removed directory is dead: it has no
 * links, and nothing can be created in it, even by a process working in it. probes:
 * rmdir(non-empty): ENOTEMPTY; rmdir(file) and rmdir("file/"): ENOTDIR; rmdir("."),
 * rmdir("d/sub/."): EINVAL; rmdir(".."), rmdir("d/sub/.."): ENOTEMPTY; rmdir("/"): EBUSY;
 * rmdir("e/"): 0; after rmdir of a subdirectory its parent's st_nlink is 2 again; fstat of
 * a removed directory still open: st_nlink 0.
 */
function rmdir(task: Task, dfd: number, pathname: number): number {
  const p = userPathParent(task, dfd, pathname);
  if (typeof p === "number") return p;
  switch (lastType(p)) {
    case "dotdot": return -ENOTEMPTY;
    case "dot": return -EINVAL;
    case "root": return -EBUSY;
  }
  const inode = lookupLast(p);
  if (!inode) return -ENOENT;
  if (!inode.isDir) return -ENOTDIR;
  if (inode.entries!.size) return -ENOTEMPTY;
  removeEntry(task, p.dir, p.last, inode);
  return 0;
}

/**
 * unlinkat(): flags other than AT_REMOVEDIR are EINVAL before the path is looked at. probes:
 * unlinkat(AT_FDCWD, "f", 1) and (999, "f", 1) and (AT_FDCWD, (char *)8, 1): EINVAL;
 * unlinkat(999, "f", 0): EBADF; AT_REMOVEDIR on a file: ENOTDIR.
 */
function unlinkatFlags(task: Task, dfd: number, pathname: number, flag: number): number {
  if ((flag & ~AT_REMOVEDIR) !== 0) return -EINVAL;
  return flag & AT_REMOVEDIR ? rmdir(task, dfd, pathname) : unlinkat(task, dfd, pathname);
}

export const sys_mkdirat: SyscallHandler = (task, a0, a1, a2) => mkdirat(task, int(a0), ulong(a1), uint(a2));
export const sys_mkdir: SyscallHandler = (task, a0, a1) => mkdirat(task, AT_FDCWD, ulong(a0), uint(a1));
// umode_t mode: the low 16 bits of the register.
export const sys_mknodat: SyscallHandler = (task, a0, a1, a2, a3) => mknodat(task, int(a0), ulong(a1), uint(a2) & 0xffff, uint(a3));
export const sys_mknod: SyscallHandler = (task, a0, a1, a2) => mknodat(task, AT_FDCWD, ulong(a0), uint(a1) & 0xffff, uint(a2));
export const sys_unlinkat: SyscallHandler = (task, a0, a1, a2) => unlinkatFlags(task, int(a0), ulong(a1), int(a2));
export const sys_unlink: SyscallHandler = (task, a0) => unlinkat(task, AT_FDCWD, ulong(a0));
export const sys_rmdir: SyscallHandler = (task, a0) => rmdir(task, AT_FDCWD, ulong(a0));
