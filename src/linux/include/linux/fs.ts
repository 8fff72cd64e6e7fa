import { wordOfBits, type Word } from "../uapi/word.js";
import type { TaskStruct } from "./task_struct.js";
import type { IovIter } from "./uio.js";

/** f_mode bits, include/linux/fs.h. */
export const FMODE_READ = 1 << 0, FMODE_WRITE = 1 << 1, FMODE_LSEEK = 1 << 2, FMODE_PREAD = 1 << 3,
  FMODE_PWRITE = 1 << 4, FMODE_CAN_READ = 1 << 17, FMODE_CAN_WRITE = 1 << 18, FMODE_STREAM = 1 << 21,
  FMODE_CAN_ODIRECT = 1 << 22;

/**
 * File positions and sizes are loff_t: a word, exact (a bigint past 2^53: lseek() and
 * pwrite() reach up to LLONG_MAX even on a file that holds a single page).
 */

/** LLONG_MAX: no position or size may exceed it (MAX_LFS_FILESIZE on 64-bit). */
export const LLONG_MAX = 2n ** 63n - 1n;

/**
 * a + b exactly, not wrapped to 64 bits: where C's sum would overflow, the kernel's check
 * of it fails, and so does the check of this sum against LLONG_MAX.
 */
export function loffAdd(a: Word, b: Word): Word {
  if (typeof a === "number" && typeof b === "number") {
    const sum = a + b;
    if (Number.isSafeInteger(sum)) return sum;
  }
  const sum = BigInt(a) + BigInt(b);
  return sum >= -LLONG_MAX - 1n && sum <= LLONG_MAX ? wordOfBits(sum) : sum;
}

/** struct kiocb, the part kept: the position a read or write starts at and moves (ki_pos). */
export interface Kiocb {
  pos: Word;
}

/**
 * struct file_operations: what an open file does, chosen by its inode's type when it is
 * opened (regular files of the in-memory filesystem, directories, pipes and FIFOs). The
 * syscall layer (fs/read_write.c) checks descriptors, modes and user ranges, then calls these.
 * A read or write that has to wait returns a promise; one that does not returns its value.
 */
export interface FileOperations {
  /** ->open(): may refuse (ENXIO for a device nothing drives) or wait (a FIFO's partner). */
  open?(task: TaskStruct, inode: Inode, file: File): number | Promise<number>;
  /** ->read_iter(); `kiocb` is null for a stream (no position). */
  read?(task: TaskStruct, file: File, to: IovIter, kiocb: Kiocb | null): number | Promise<number>;
  /** ->write_iter() */
  write?(task: TaskStruct, file: File, from: IovIter, kiocb: Kiocb | null): number | Promise<number>;
  /** ->llseek(): the new position, or -errno. Without one, lseek() is ESPIPE. */
  llseek?(task: TaskStruct, file: File, offset: Word, whence: number): Word;
  /** ->release(): the last reference to the open file is gone. */
  release?(file: File): void;
}

/** OPEN_FMODE(): the access mode bits of open() flags as FMODE_READ/FMODE_WRITE (3 gives neither). */
export function openFmode(flags: number): number {
  return (flags + 1) & 3;
}

/**
 * struct file: an open file description. Descriptors from dup() and fork() point at the same
 * one and so share its offset and status flags.
 */
export class File {
  pos: Word = 0;
  /** f_count: descriptors (in any table) referring to it. */
  count = 1;
  /** f_mode: FMODE_* */
  mode: number;
  /** private_data: the pipe of a pipe or FIFO. */
  privateData: unknown = null;

  constructor(
    readonly id: number,
    readonly inode: Inode,
    /** f_flags: the open() flags it keeps (status flags change with F_SETFL). */
    public flags: number,
    /** f_op: the inode's operations unless the opener gives others. */
    readonly op: FileOperations = inode.fop,
  ) {
    // do_dentry_open(): the access mode, then what the operations allow.
    let mode = openFmode(flags) | FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
    if (mode & FMODE_READ && op.read) mode |= FMODE_CAN_READ;
    if (mode & FMODE_WRITE && op.write) mode |= FMODE_CAN_WRITE;
    if (!op.llseek) mode &= ~FMODE_LSEEK;
    this.mode = mode;
    inode.openFiles++;
  }

  /** stream_open(): a file with no position (pipes, FIFOs): no lseek, pread or pwrite. */
  streamOpen(): void {
    this.mode = (this.mode & ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE)) | FMODE_STREAM;
  }
}

/** Who made an inode, and when (the machine's clock: nanoseconds since boot). */
export interface InodeOwner {
  readonly uid: number;
  readonly gid: number;
  readonly now: number;
}

/**
 * struct inode of an in-memory filesystem (fs/inode.ts): regular files keep their bytes in
 * pages (a page never written is a hole: it reads as zeros and takes no room), directories
 * their entries by name, FIFOs the pipe their opens share while any is open.
 */
export interface Inode {
  readonly sb: SuperBlock;
  readonly ino: number;
  mode: number;
  /** The directory holding it; the root is its own parent. */
  parent: Inode | null;
  readonly entries: Map<string, Inode> | null;
  /** The pages of a regular file by index. */
  readonly pages: Map<number, Uint8Array>;
  size: Word;
  nlink: number;
  /** i_rdev of a device node (a user dev_t). */
  rdev: number;
  uid: number;
  gid: number;
  /** Times in nanoseconds. */
  atime: number;
  mtime: number;
  ctime: number;
  /** i_fop: what opening it gives. */
  fop: FileOperations;
  /** i_pipe: the pipe of a FIFO while it is open (fs/pipe.ts owns it). */
  pipe: unknown;
  /** Open files referring to it: an unlinked inode lives on until the last is closed. */
  openFiles: number;
  /** S_DEAD: a removed directory, where nothing can be created any more. */
  dead: boolean;
  readonly isDir: boolean;
  readonly isRegular: boolean;
  /** The bytes [pos, pos+len) of a regular file (zeros in holes and past the end). */
  readAt(pos: Word, len: number): Uint8Array;
  /** Stores `data` at pos, allocating the pages it touches; the size grows to cover it. */
  writeAt(pos: Word, data: Uint8Array): void;
  /** Sets the size: pages past it go, the tail of the last one is zeroed. */
  truncate(len: number): void;
  /** The last link and the last open file are gone: the inode and its pages are freed (evict()). */
  maybeEvict(): void;
}

/** The parts of a super_block the in-memory filesystems keep (fs/inode.ts). */
export interface SuperBlock {
  /** s_dev as user space sees it. */
  readonly dev: number;
  /** Inodes in use, and pages of file data held (what statfs() reports as used). */
  inodes: number;
  usedPages: number;
  /** new_inode() and inode_init_owner(): a fresh inode of this filesystem. */
  newInode(mode: number, parent: Inode | null, owner?: InodeOwner): Inode;
}
