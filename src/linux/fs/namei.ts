import type { Task } from "../include/linux/sched.js";
import { EBADF, EEXIST, ENAMETOOLONG, ENOENT, ENOTDIR } from "../include/uapi/errno.js";
import { AT_FDCWD, S_IFDIR } from "../include/uapi/fcntl.js";
import { kernelObject, SYSCALL_DEFINE } from "../kbuild/object.js";
import { strncpyFromUser } from "../mm/mm.js";
import type { Inode } from "./inode.js";

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

/** do_mkdirat() */
function mkdirat(task: Task, dfd: number, pathname: number, mode: number): number {
  const path = getname(task, pathname);
  if (typeof path === "number") return path;
  const p = pathParent(task, dfd, path);
  if (typeof p === "number") return p;
  if (lookupLast(p)) return -EEXIST;
  const inode = task.kernel.rootfs.newInode(S_IFDIR | (mode & 0o7777 & ~task.fs!.umask), p.dir);
  p.dir.entries!.set(p.last, inode);
  p.dir.nlink++;
  return 0;
}

export const fs_namei_c = kernelObject("fs/namei.c", [
  SYSCALL_DEFINE(3, "mkdirat", (task, a0, a1, a2) => mkdirat(task, a0 | 0, a1, a2 >>> 0)),
  SYSCALL_DEFINE(2, "mkdir", (task, a0, a1) => mkdirat(task, AT_FDCWD, a0, a1 >>> 0)),
]);
