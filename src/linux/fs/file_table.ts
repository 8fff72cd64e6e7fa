import type { Task } from "../include/linux/sched.js";
import type { IovIter } from "../lib/iov_iter.js";
import type { Inode } from "./inode.js";

/** f_mode bits, include/linux/fs.h. */
export const FMODE_READ = 1 << 0, FMODE_WRITE = 1 << 1, FMODE_LSEEK = 1 << 2, FMODE_PREAD = 1 << 3,
  FMODE_PWRITE = 1 << 4, FMODE_CAN_READ = 1 << 17, FMODE_CAN_WRITE = 1 << 18, FMODE_STREAM = 1 << 21,
  FMODE_CAN_ODIRECT = 1 << 22;

/** struct kiocb, the part kept: the position a read or write starts at and moves (ki_pos). */
export interface Kiocb {
  pos: number;
}

/**
 * struct file_operations: what an open file does, chosen by its inode's type when it is
 * opened (regular files of the in-memory filesystem, directories, pipes and FIFOs). The
 * syscall layer (fs/read_write.c) checks descriptors, modes and user ranges, then calls these.
 * A read or write that has to wait returns a promise; one that does not returns its value.
 */
export interface FileOperations {
  /** ->open(): may refuse (ENXIO for a device nothing drives) or wait (a FIFO's partner). */
  open?(task: Task, inode: Inode, file: File): number | Promise<number>;
  /** ->read_iter(); `kiocb` is null for a stream (no position). */
  read?(task: Task, file: File, to: IovIter, kiocb: Kiocb | null): number | Promise<number>;
  /** ->write_iter() */
  write?(task: Task, file: File, from: IovIter, kiocb: Kiocb | null): number | Promise<number>;
  /** ->llseek(): the new position, or -errno. Without one, lseek() is ESPIPE. */
  llseek?(task: Task, file: File, offset: number, whence: number): number;
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
  pos = 0;
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
