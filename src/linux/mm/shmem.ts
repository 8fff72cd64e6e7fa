import type * as fs from "../include/linux/fs.js";
import { FMODE_CAN_ODIRECT, LLONG_MAX, loffAdd, type File, type FileOperations, type Inode, type Kiocb } from "../include/linux/fs.js";
import type { Kernel, Task } from "../include/linux/sched.js";
import { rlimit } from "../include/linux/sched/signal.js";
import { EFAULT, EFBIG, EINVAL, ENOMEM, ENOSPC, ENXIO } from "../include/uapi/errno.js";
import { O_APPEND, S_IFDIR, S_IFMT, S_IFREG, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE } from "../include/uapi/fcntl.js";
import { RLIMIT_FSIZE } from "../include/uapi/resource.js";
import { SIGXFSZ } from "../include/uapi/signal.js";
import { newEncodeDev, RAMFS_MAGIC, ST_VALID, TMPFS_MAGIC, type Kstatfs } from "../include/uapi/stat.js";
import type { Word } from "../include/uapi/word.js";
import { sendSignal } from "../kernel/signal.js";
import type { IovIter } from "../include/linux/uio.js";
import { pageIndex, pageOffset, pageStart, SuperBlock } from "../fs/inode.js";

/**
 * The in-memory filesystem's regular files (mm/shmem.c): tmpfs where the configuration has
 * CONFIG_SHMEM; without it shmem.c builds tmpfs on ramfs's code (fs/ramfs), which differs in
 * what this module decides: O_DIRECT, st_blocks and directory sizes, SEEK_DATA/SEEK_HOLE, and
 * statfs(). tmpfs holds at most its default size= (half the RAM), ramfs the RAM.
 */

const PAGE_SIZE = 4096;
/** MAX_LFS_FILESIZE on 64-bit (the s_maxbytes of tmpfs and ramfs). */
const MAX_LFS_FILESIZE = LLONG_MAX;
/** BOGO_DIRENT_SIZE: what each entry adds to a tmpfs directory's size (two for . and ..). */
const BOGO_DIRENT_SIZE = 20;

const shmemOf = new WeakMap<Kernel, boolean>();

/** Is the root filesystem real tmpfs (CONFIG_SHMEM) rather than ramfs? */
export function isShmem(kernel: Kernel): boolean {
  let v = shmemOf.get(kernel);
  if (v === undefined) shmemOf.set(kernel, (v = kernel.linked.config.enabled("SHMEM")));
  return v;
}

/**
 * i_size as stat() reports it: a tmpfs directory counts BOGO_DIRENT_SIZE per entry, . and ..
 * included; a ramfs one stays 0. probe (tmpfs): a new directory 40, with a file and a
 * subdirectory 80.
 */
export function inodeSize(kernel: Kernel, inode: Inode): Word {
  if (!inode.entries) return inode.size;
  return isShmem(kernel) ? (inode.entries.size + 2) * BOGO_DIRENT_SIZE : 0;
}

/**
 * i_blocks in 512-byte units: tmpfs counts the pages a file holds (holes take none); ramfs
 * counts nothing. probe (tmpfs): 5000 bytes: 16; a byte at 100000 after them: 24.
 */
export function inodeBlocks(kernel: Kernel, inode: Inode): number {
  return isShmem(kernel) ? inode.pages.size * (PAGE_SIZE / 512) : 0;
}

/**
 * shmem_file_read_iter(): from the position up to the size, holes as zeros. The copy stops at
 * the first byte that faults: nothing copied is EFAULT, some is a short read. probe: 100 bytes
 * into a buffer 10 bytes before a PROT_NONE page: 10, the offset 10; straight into it: EFAULT,
 * the offset unchanged.
 */
function shmemRead(_task: Task, file: File, to: IovIter, kiocb: Kiocb | null): number {
  const inode = file.inode;
  const pos = kiocb!.pos;
  if (to.count === 0 || pos >= inode.size) return 0;
  const end = loffAdd(pos, to.count);
  const len = end > inode.size ? Number(loffAdd(inode.size, -pos)) : to.count;
  const copied = to.copyTo(inode.readAt(pos, len));
  if (copied === 0) return -EFAULT;
  kiocb!.pos = loffAdd(pos, copied);
  return copied;
}

/**
 * shmem_file_write_iter(): generic_write_checks() (O_APPEND writes at the end; RLIMIT_FSIZE
 * cuts the write at the limit, and a write starting at or past it raises SIGXFSZ, fatal by
 * default, and fails with EFBIG), then the bytes up to the first that faults.
 */
function shmemWrite(task: Task, file: File, from: IovIter, kiocb: Kiocb | null): number | Promise<number> {
  let count = from.count;
  if (count === 0) return 0;
  const inode = file.inode;
  if (file.flags & O_APPEND) kiocb!.pos = inode.size;
  const pos = kiocb!.pos;
  const limit = rlimit(task, RLIMIT_FSIZE).cur;
  if (limit < MAX_LFS_FILESIZE) {
    if (pos >= limit) {
      sendSignal(SIGXFSZ, task, false);
      return -EFBIG;
    }
    if (loffAdd(pos, count) > limit) count = Number(limit - BigInt(pos));
  }
  const written = performWrite(task.kernel, inode, from, pos, count);
  if (written <= 0) return written;
  inode.mtime = inode.ctime = task.kernel.sched.now;
  kiocb!.pos = loffAdd(pos, written);
  return written;
}

/**
 * The pages the filesystem may hold: tmpfs's default size= (half the RAM); ramfs has no
 * limit of its own, only the machine's RAM.
 */
function pageLimit(kernel: Kernel): number {
  return isShmem(kernel) ? Math.floor(kernel.totalramPages / 2) : kernel.totalramPages;
}

/**
 * generic_perform_write(): a page at a time, each page allocated before its bytes are copied
 * in, so a write holds no more than a page in flight and stops where memory ends: tmpfs past
 * its size is ENOSPC (shmem_alloc_and_add_folio()), ramfs past the RAM ENOMEM, a short write
 * when something was written. Then the first byte that faults ends it (EFAULT if it is the first).
 */
function performWrite(kernel: Kernel, inode: Inode, from: IovIter, pos: Word, count: number): number {
  const max = pageLimit(kernel);
  let done = 0;
  while (done < count) {
    const at = loffAdd(pos, done);
    const n = Math.min(count - done, PAGE_SIZE - pageOffset(at));
    if (!inode.pages.has(pageIndex(at)) && inode.sb.usedPages >= max) {
      if (done) break;
      return isShmem(kernel) ? -ENOSPC : -ENOMEM;
    }
    const data = from.copyFrom(n);
    if (data.length) inode.writeAt(at, data);
    done += data.length;
    if (data.length < n) break;
  }
  return done || -EFAULT;
}

/**
 * vfs_setpos(): the new position must be within [0, MAX_LFS_FILESIZE]. (A sum of C's that
 * overflowed is negative there; the exact one here is past the maximum: EINVAL alike.)
 */
function setPos(file: File, pos: Word): Word {
  if (pos < 0 || pos > MAX_LFS_FILESIZE) return -EINVAL;
  file.pos = pos;
  return pos;
}

/**
 * mapping_seek_hole_data() at page granularity: data is a page that was written, a hole one
 * that never was; the end of the file is a hole. Past the end both are ENXIO. The pages
 * looked at are the ones the file holds, not every index up to its end: a file written once
 * at 2^53 is one page long in memory. probe (tmpfs, one byte written at 2^53 + 1): SEEK_DATA
 * from 0: 2^53; SEEK_HOLE from 0: 0.
 */
function seekHoleData(inode: Inode, start: Word, whence: number): Word {
  const end = inode.size;
  if (start >= end) return -ENXIO;
  const first = pageIndex(start);
  const from = (index: number): Word => (index === first ? start : pageStart(index));
  if (whence === SEEK_HOLE) {
    let index = first;
    while (inode.pages.has(index)) index++;
    const hole = from(index);
    return hole < end ? hole : end;
  }
  let data = Infinity;
  for (const index of inode.pages.keys()) if (index >= first && index < data) data = index;
  return data !== Infinity && from(data) < end ? from(data) : -ENXIO;
}

/**
 * shmem_file_llseek() on tmpfs (SEEK_DATA and SEEK_HOLE see holes; a negative offset for them
 * is ENXIO), generic_file_llseek() on ramfs (the whole file is data). The rest is
 * generic_file_llseek_size(). probe: whence 7: EINVAL; a negative result: EINVAL; SEEK_END+10
 * past a 8192-byte file: 8202.
 */
function shmemLlseek(task: Task, file: File, offset: Word, whence: number): Word {
  const inode = file.inode;
  const size = inode.size;
  if ((whence === SEEK_DATA || whence === SEEK_HOLE) && isShmem(task.kernel)) {
    if (offset < 0) return -ENXIO;
    const r = seekHoleData(inode, offset, whence);
    return r < 0 ? r : setPos(file, r);
  }
  switch (whence) {
    case SEEK_END: return setPos(file, loffAdd(size, offset));
    case SEEK_CUR: return offset === 0 ? file.pos : setPos(file, loffAdd(file.pos, offset));
    case SEEK_DATA:
      if (offset < 0 || offset >= size) return -ENXIO;
      return setPos(file, offset);
    case SEEK_HOLE:
      if (offset < 0 || offset >= size) return -ENXIO;
      return setPos(file, size);
    default: return setPos(file, offset);
  }
}

/**
 * shmem_file_open(): tmpfs files take O_DIRECT since Linux 6.6 (FMODE_CAN_ODIRECT), reading
 * and writing through the page cache whatever the alignment; ramfs files have no direct I/O,
 * so open() with O_DIRECT is EINVAL there. probe (tmpfs): open(O_RDWR|O_DIRECT): a descriptor,
 * F_GETFL 0xc002; read() of 4096 into a buffer one byte past a page boundary: the file's 22
 * bytes.
 */
function shmemOpen(task: Task, _inode: Inode, file: File): number {
  if (isShmem(task.kernel)) file.mode |= FMODE_CAN_ODIRECT;
  return 0;
}

export const shmemFileOperations: FileOperations = {
  open: shmemOpen,
  read: shmemRead,
  write: shmemWrite,
  llseek: shmemLlseek,
};

/**
 * statfs() of the root filesystem. tmpfs (shmem_statfs()): 4 KiB blocks, half the RAM
 * (the default size=), as many inodes as half the RAM has pages (the default nr_inodes=),
 * less what is used; ramfs (simple_statfs()): only the type, block size and name length.
 * f_flags is ST_VALID alone: the kernel mounts the rootfs with no mount flags. f_fsid is the
 * device number (ramfs's simple_statfs(); tmpfs's comes from a random uuid). probe (tmpfs
 * mounted with size= the RAM): f_type 0x1021994, f_bsize 4096, f_blocks = f_bfree = f_bavail =
 * the RAM's pages, f_namelen 255, f_frsize 4096; a pipe's fstatfs: f_flags 0x20.
 */
export function shmemStatfs(kernel: Kernel, sb: fs.SuperBlock): Kstatfs {
  const fsid = [sb.dev, 0] as const;
  if (!isShmem(kernel)) {
    return { type: RAMFS_MAGIC, bsize: PAGE_SIZE, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, fsid, namelen: 255, frsize: PAGE_SIZE, flags: ST_VALID };
  }
  const blocks = Math.floor(kernel.totalramPages / 2);
  const free = Math.max(0, blocks - sb.usedPages);
  return {
    type: TMPFS_MAGIC, bsize: PAGE_SIZE, blocks, bfree: free, bavail: free, files: blocks,
    ffree: Math.max(0, blocks - sb.inodes), fsid, namelen: 255, frsize: PAGE_SIZE, flags: ST_VALID,
  };
}

/**
 * The root filesystem: what an initramfs boot leaves mounted at /, with a world-writable,
 * sticky /tmp. It is tmpfs where the configuration has CONFIG_SHMEM and ramfs (or tmpfs built
 * on ramfs's code, which behaves the same) where it does not; this file holds the
 * differences. Its device number is the first anonymous one, 0:1 (anonymous superblocks take
 * minors from 1 in mount order; the rootfs is among the first a boot mounts).
 */
export class RamFs extends SuperBlock {
  readonly root: Inode;

  constructor() {
    super(newEncodeDev(0, 1));
    this.root = this.newInode(S_IFDIR | 0o755, null);
    this.root.parent = this.root;
    this.root.entries!.set("tmp", this.newInode(S_IFDIR | 0o1777, this.root));
    this.root.nlink++;
  }

  /** shmem_get_inode(): regular files keep their pages here. */
  protected override fileOperations(mode: number): FileOperations {
    return (mode & S_IFMT) === S_IFREG ? shmemFileOperations : super.fileOperations(mode);
  }
}
