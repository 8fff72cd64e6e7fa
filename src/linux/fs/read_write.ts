import type { Task } from "../include/linux/sched.js";
import { EBADF, EFAULT, EINVAL, ESPIPE } from "../include/uapi/errno.js";
import { SEEK_HOLE, UIO_MAXIOV } from "../include/uapi/fcntl.js";
import { type SyscallHandler, uint, ulong } from "../include/linux/syscalls.js";
import { IovIter } from "../lib/iov_iter.js";
import {
  FMODE_CAN_READ, FMODE_CAN_WRITE, FMODE_LSEEK, FMODE_PREAD, FMODE_PWRITE, FMODE_READ, FMODE_STREAM, FMODE_WRITE, LLONG_MAX,
  loffAdd, type File, type Kiocb,
} from "../include/linux/fs.js";
import type { Word } from "../include/uapi/word.js";

/**
 * fs/read_write.c: the syscall layer of reads, writes and seeks. It finds the file, checks its
 * mode, the user range and the position, and hands an iov_iter to the file's operations
 * (regular files in mm/shmem.ts, directories in libfs.ts, pipes and FIFOs in pipe.ts). A call
 * that does not block stays synchronous.
 */

/** MAX_RW_COUNT: INT_MAX rounded down to a page; longer transfers are cut to it. */
const MAX_RW_COUNT = 0x7ffff000;
/** 2^63: counts at or past it are negative as ssize_t. */
const TWO_63 = 2 ** 63;
/** SEEK_MAX */
const SEEK_MAX = SEEK_HOLE;
/** sizeof(struct iovec) */
const IOVEC_SIZE = 16;

/** access_ok(): the range lies below TASK_SIZE (whether it is mapped shows when it is copied). */
function accessOk(task: Task, buf: number, count: number): boolean {
  return buf + count <= task.mm!.layout.taskSize;
}

/**
 * rw_verify_area(): a count negative as ssize_t, a negative position, or one that the count
 * would carry past LLONG_MAX is EINVAL. probes: pread(fd, buf, 0, -5): EINVAL;
 * pread(fd, buf, 1, LLONG_MAX): EINVAL; pwrite(fd, buf, 0, LLONG_MAX): 0.
 */
function rwVerifyArea(kiocb: Kiocb | null, count: number): number {
  if (count >= TWO_63) return -EINVAL;
  if (kiocb && (kiocb.pos < 0 || (count > 0 && loffAdd(kiocb.pos, count) > LLONG_MAX))) return -EINVAL;
  return 0;
}

type Op = (task: Task, file: File, iter: IovIter, kiocb: Kiocb | null) => number | Promise<number>;

/** vfs_read() and vfs_write(): the file's mode, the buffer's range, the area, then the operation. */
function vfsRw(task: Task, file: File, write: boolean, buf: number, count: number, kiocb: Kiocb | null): number | Promise<number> {
  if (!(file.mode & (write ? FMODE_WRITE : FMODE_READ))) return -EBADF;
  if (!(file.mode & (write ? FMODE_CAN_WRITE : FMODE_CAN_READ))) return -EINVAL;
  if (!accessOk(task, buf, count)) return -EFAULT;
  const err = rwVerifyArea(kiocb, count);
  if (err) return err;
  const op = (write ? file.op.write : file.op.read) as Op;
  return op(task, file, IovIter.ubuf(task.mm!, buf, Math.min(count, MAX_RW_COUNT)), kiocb);
}

/** The file's position moves by what a read or write through it did (file_ppos()). */
function settlePos(file: File, kiocb: Kiocb, r: number | Promise<number>): number | Promise<number> {
  if (typeof r === "number") {
    if (r >= 0) file.pos = kiocb.pos;
    return r;
  }
  return r.then((v) => {
    if (v >= 0) file.pos = kiocb.pos;
    return v;
  });
}

/**
 * fdget_pos() and file_ppos(): the file of a descriptor, and a transfer through its shared
 * position, except for a stream (pipe, FIFO), which has none.
 */
function atPos(task: Task, fd: number, io: (file: File, kiocb: Kiocb | null) => number | Promise<number>): number | Promise<number> {
  const file = task.files!.get(fd);
  if (!file) return -EBADF;
  if (file.mode & FMODE_STREAM) return io(file, null);
  const kiocb = { pos: file.pos };
  return settlePos(file, kiocb, io(file, kiocb));
}

/**
 * ksys_read() and ksys_write(). probes: read() of a pipe's write end and write() to its read
 * end: EBADF; read(dir, (void *)-1, 1): EFAULT before EISDIR; read(0-byte file, NULL, 1): 0.
 */
function ksysRw(task: Task, fd: number, write: boolean, buf: number, count: number): number | Promise<number> {
  return atPos(task, fd, (file, kiocb) => vfsRw(task, file, write, buf, count, kiocb));
}

/**
 * ksys_pread64() and ksys_pwrite64(): a negative offset is EINVAL before the descriptor is
 * looked up; a file without FMODE_PREAD/FMODE_PWRITE (a pipe or FIFO) is ESPIPE; the file's
 * own position does not move. probes: pread(999, buf, 1, -1): EINVAL; pread(999, buf, 1, 0):
 * EBADF; pread(pipe's write end, ...): ESPIPE (before EBADF's mode check); pread of 5 at 8 in
 * a 10-byte file: 2, the position unchanged; pread at 1 << 62: 0.
 */
function ksysPrw(task: Task, fd: number, write: boolean, buf: number, count: number, pos: Word): number | Promise<number> {
  if (pos < 0) return -EINVAL;
  const file = task.files!.get(fd);
  if (!file) return -EBADF;
  if (!(file.mode & (write ? FMODE_PWRITE : FMODE_PREAD))) return -ESPIPE;
  return vfsRw(task, file, write, buf, count, { pos });
}

/**
 * import_iovec(): vlen is taken as an unsigned int; 0 is a transfer of nothing, more than
 * UIO_MAXIOV (1024) is EINVAL. The array is copied (EFAULT), each length checked as ssize_t
 * (EINVAL) while copying, then each buffer's range (EFAULT); the total is cut to MAX_RW_COUNT.
 * probes: readv(fd, iov, 1025): EINVAL, of fd 999: EBADF; vlen 0: 0, even with iov 8;
 * vlen 1 << 32: 0 (nothing read); (1 << 32) + 2: 2 bytes; -1: EINVAL; iov 8 with vlen 1 or 2:
 * EFAULT; one iov_len of -1: EINVAL; a second one of 1 << 63: EINVAL, of 1 << 62: EFAULT; a
 * bad first base and a negative second length: EINVAL.
 */
function importIovec(task: Task, vec: number, vlen: number): IovIter | number {
  const mm = task.mm!;
  const nrSegs = vlen >>> 0;
  if (nrSegs === 0) return new IovIter(mm, [], 0);
  if (nrSegs > UIO_MAXIOV) return -EINVAL;
  if (!accessOk(task, vec, nrSegs * IOVEC_SIZE)) return -EFAULT;
  const segs: number[] = [];
  for (let i = 0; i < nrSegs; i++) {
    const b = mm.read(vec + i * IOVEC_SIZE, IOVEC_SIZE);
    if (!b) return -EFAULT;
    const v = new DataView(b.buffer);
    const len = v.getBigInt64(8, true);
    if (len < 0n) return -EINVAL;
    segs.push(Number(v.getBigUint64(0, true)), Number(len));
  }
  let total = 0;
  for (let i = 0; i < segs.length; i += 2) {
    let len = segs[i + 1]!;
    // import_ubuf() caps a single segment before its check; the loop checks, then caps.
    if (nrSegs === 1) len = Math.min(len, MAX_RW_COUNT);
    if (!accessOk(task, segs[i]!, len)) return -EFAULT;
    len = Math.min(len, MAX_RW_COUNT - total);
    segs[i + 1] = len;
    total += len;
  }
  return new IovIter(mm, segs, total);
}

/** vfs_readv() and vfs_writev(): mode, the iovecs, nothing to do for a total of 0, the area, the operation. */
function vfsRwv(task: Task, file: File, write: boolean, vec: number, vlen: number, kiocb: Kiocb | null): number | Promise<number> {
  if (!(file.mode & (write ? FMODE_WRITE : FMODE_READ))) return -EBADF;
  if (!(file.mode & (write ? FMODE_CAN_WRITE : FMODE_CAN_READ))) return -EINVAL;
  const iter = importIovec(task, vec, vlen);
  if (typeof iter === "number") return iter;
  if (iter.count === 0) return 0;
  const err = rwVerifyArea(kiocb, iter.count);
  if (err) return err;
  return ((write ? file.op.write : file.op.read) as Op)(task, file, iter, kiocb);
}

/** do_readv() and do_writev() */
function doRwv(task: Task, fd: number, write: boolean, vec: number, vlen: number): number | Promise<number> {
  return atPos(task, fd, (file, kiocb) => vfsRwv(task, file, write, vec, vlen, kiocb));
}

/**
 * ksys_lseek(): whence past SEEK_MAX is EINVAL, a file without ->llseek (pipe, FIFO) ESPIPE,
 * else the file's own ->llseek().
 */
function lseek(task: Task, fd: number, offset: Word, whence: number): Word {
  const file = task.files!.get(fd);
  if (!file) return -EBADF;
  if (whence > SEEK_MAX) return -EINVAL;
  if (!(file.mode & FMODE_LSEEK)) return -ESPIPE;
  return file.op.llseek!(task, file, offset, whence);
}

/** What the writes leave out. */

export const sys_read: SyscallHandler = (task, a0, a1, a2) => ksysRw(task, uint(a0), false, ulong(a1), ulong(a2));
export const sys_write: SyscallHandler = (task, a0, a1, a2) => ksysRw(task, uint(a0), true, ulong(a1), ulong(a2));
export const sys_pread64: SyscallHandler = (task, a0, a1, a2, a3) => ksysPrw(task, uint(a0), false, ulong(a1), ulong(a2), a3);
export const sys_pwrite64: SyscallHandler = (task, a0, a1, a2, a3) => ksysPrw(task, uint(a0), true, ulong(a1), ulong(a2), a3);
export const sys_readv: SyscallHandler = (task, a0, a1, a2) => doRwv(task, uint(a0), false, ulong(a1), uint(a2));
export const sys_writev: SyscallHandler = (task, a0, a1, a2) => doRwv(task, uint(a0), true, ulong(a1), uint(a2));
export const sys_lseek: SyscallHandler = (task, a0, a1, a2) => lseek(task, uint(a0), a1, uint(a2));
