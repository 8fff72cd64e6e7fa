import type { Task } from "../include/linux/sched.js";
import { EINVAL, EISDIR, ENXIO } from "../include/uapi/errno.js";
import { SEEK_CUR, SEEK_SET } from "../include/uapi/fcntl.js";
import { LLONG_MAX, loffAdd, type File, type FileOperations } from "../include/linux/fs.js";
import type { Word } from "../include/uapi/word.js";

/**
 * dcache_dir_lseek(): a directory's position counts entries; SEEK_SET and SEEK_CUR only, never
 * below 0 (a SEEK_CUR sum past LLONG_MAX wraps negative in C). probe (tmpfs): lseek(dir, 5,
 * SEEK_SET): 5; SEEK_END: EINVAL.
 */
function dcacheDirLseek(_task: Task, file: File, offset: Word, whence: number): Word {
  if (whence === SEEK_CUR) offset = loffAdd(offset, file.pos);
  else if (whence !== SEEK_SET) return -EINVAL;
  if (offset < 0 || offset > LLONG_MAX) return -EINVAL;
  file.pos = offset;
  return offset;
}

/**
 * simple_dir_operations: read() is generic_read_dir(), EISDIR whatever the count (vfs_read()
 * has no shortcut for 0). probe: read(dir, buf, 0): EISDIR; read(dir, (void *)-1, 1): EFAULT
 * (access_ok() comes first); pread(dir): EISDIR; readv(dir, iov, 0): 0.
 */
export const simpleDirOperations: FileOperations = {
  read: () => -EISDIR,
  llseek: dcacheDirLseek,
};

/**
 * no_open_fops, and what opening a device node gets here: nothing drives any device in this
 * kernel, so chrdev_open() and blkdev_open() find no driver, and a socket inode cannot be
 * opened at all. probe: open() of a socket node: ENXIO; of a character device 240:7 nothing
 * claims: ENXIO; of a block device 250:1: ENXIO.
 */
export const noOpenFops: FileOperations = {
  open: () => -ENXIO,
};
