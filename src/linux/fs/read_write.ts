import type { Task } from "../include/linux/sched.js";
import { rlimit } from "../include/linux/sched/signal.js";
import { EBADF, EFAULT, EFBIG, EINVAL, EISDIR, ENXIO } from "../include/uapi/errno.js";
import { O_ACCMODE, O_APPEND, O_RDONLY, O_RDWR, O_WRONLY, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET } from "../include/uapi/fcntl.js";
import { RLIMIT_FSIZE } from "../include/uapi/resource.js";
import { SIGXFSZ } from "../include/uapi/signal.js";
import { kernelObject, SYSCALL_DEFINE } from "../kbuild/object.js";
import { sendSignal } from "../kernel/signal.js";
import { ulong } from "../mm/util.js";
import type { File } from "./file_table.js";

/** MAX_RW_COUNT: INT_MAX rounded down to a page; longer transfers are cut to it. */
const MAX_RW_COUNT = 0x7ffff000;
/** MAX_LFS_FILESIZE on 64-bit: LLONG_MAX. */
const MAX_LFS_FILESIZE = 2 ** 63 - 1;

const canRead = (f: File) => (f.flags & O_ACCMODE) === O_RDONLY || (f.flags & O_ACCMODE) === O_RDWR;
const canWrite = (f: File) => (f.flags & O_ACCMODE) === O_WRONLY || (f.flags & O_ACCMODE) === O_RDWR;

/** access_ok(): the range lies below TASK_SIZE (whether it is mapped shows when it is copied). */
function accessOk(task: Task, buf: number, count: number): boolean {
  return buf + count <= task.mm!.layout.taskSize;
}

/**
 * vfs_read() of a regular file of the in-memory filesystem: the descriptor's mode, the
 * buffer's range, then the bytes from the shared file position. Copying stops at the first
 * page that faults: nothing copied is EFAULT, some is a short read (the position moves by
 * what was copied). probe: 100 bytes into a buffer 10 bytes before a PROT_NONE page: 10, the
 * offset 10; straight into it: EFAULT, the offset unchanged; count 0 with a bad buffer: 0.
 */
function read(task: Task, fd: number, buf: number, count: number): number {
  const file = task.files!.get(fd);
  if (!file || !canRead(file)) return -EBADF;
  if (!accessOk(task, buf, count)) return -EFAULT;
  if (count > 2 ** 63) return -EINVAL;
  if (file.inode.isDir) return -EISDIR;
  count = Math.min(count, MAX_RW_COUNT);
  const inode = file.inode;
  const n = Math.max(0, Math.min(count, inode.size - file.pos));
  if (n === 0) return 0;
  const data = new Uint8Array(n);
  data.set(inode.data.subarray(file.pos, Math.min(file.pos + n, inode.data.length)));
  const copied = task.mm!.writePartial(buf, data);
  if (copied === 0) return -EFAULT;
  file.pos += copied;
  return copied;
}

/**
 * vfs_write() likewise: O_APPEND writes at the end; RLIMIT_FSIZE cuts the write at the limit,
 * and a write starting at or past it raises SIGXFSZ (fatal by default) and fails with EFBIG.
 */
function write(task: Task, fd: number, buf: number, count: number): number | Promise<number> {
  const file = task.files!.get(fd);
  if (!file || !canWrite(file)) return -EBADF;
  if (!accessOk(task, buf, count)) return -EFAULT;
  if (count > 2 ** 63) return -EINVAL;
  count = Math.min(count, MAX_RW_COUNT);
  if (count === 0) return 0;
  const inode = file.inode;
  const pos = file.flags & O_APPEND ? inode.size : file.pos;
  const limit = rlimit(task, RLIMIT_FSIZE).cur;
  if (limit < BigInt(MAX_LFS_FILESIZE)) {
    if (BigInt(pos) >= limit) {
      sendSignal(SIGXFSZ, task, false);
      return -EFBIG;
    }
    count = Math.min(count, Number(limit) - pos);
  }
  const data = task.mm!.readPartial(buf, count);
  if (data.length === 0) return -EFAULT;
  const end = pos + data.length;
  if (end > inode.data.length) {
    const grown = new Uint8Array(Math.max(end, inode.data.length * 2));
    grown.set(inode.data.subarray(0, inode.size));
    inode.data = grown;
  }
  inode.data.set(data, pos);
  inode.size = Math.max(inode.size, end);
  file.pos = end;
  return data.length;
}

/**
 * lseek() on a regular file (generic_file_llseek_size(), shmem's SEEK_DATA/SEEK_HOLE on a
 * file without holes). probe: whence 7: EINVAL; a negative result: EINVAL; SEEK_END+10 past a
 * 8192-byte file: 8202.
 */
function lseek(task: Task, fd: number, offset: number, whence: number): number {
  const file = task.files!.get(fd);
  if (!file) return -EBADF;
  if (whence < 0 || whence > SEEK_HOLE) return -EINVAL;
  const size = file.inode.size;
  let pos: number;
  switch (whence) {
    case SEEK_SET: pos = offset; break;
    case SEEK_CUR: pos = file.pos + offset; break;
    case SEEK_END: pos = size + offset; break;
    case SEEK_DATA:
      if (offset < 0 || offset >= size) return -ENXIO;
      pos = offset;
      break;
    default:
      if (offset < 0 || offset >= size) return -ENXIO;
      pos = size;
  }
  if (pos < 0 || pos > MAX_LFS_FILESIZE) return -EINVAL;
  file.pos = pos;
  return pos;
}

export const fs_read_write_c = kernelObject("fs/read_write.c", [
  SYSCALL_DEFINE(3, "read", (task, a0, a1, a2) => read(task, a0 >>> 0, a1, ulong(a2)),
    "regular files and directories of the in-memory filesystem only"),
  SYSCALL_DEFINE(3, "write", (task, a0, a1, a2) => write(task, a0 >>> 0, a1, ulong(a2)),
    "regular files of the in-memory filesystem only"),
  SYSCALL_DEFINE(3, "lseek", (task, a0, a1, a2) => lseek(task, a0 >>> 0, a1, a2 >>> 0)),
]);
