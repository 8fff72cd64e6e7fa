import type { Inode } from "./inode.js";

/**
 * struct file: an open file description. Descriptors from dup() and fork() point at the same
 * one and so share its offset and status flags.
 */
export class File {
  pos = 0;
  /** f_count: descriptors (in any table) referring to it. */
  count = 1;
  constructor(readonly id: number, readonly inode: Inode, public flags: number) {}
}
