import type { Task } from "../include/linux/sched.js";
import { nofileLimit } from "../include/linux/sched/signal.js";
import { EBADF, EINVAL } from "../include/uapi/errno.js";
import {
  F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_GETFL, F_GETPIPE_SZ, F_SETFD, F_SETFL, F_SETPIPE_SZ, FD_CLOEXEC, O_APPEND,
  O_DIRECT, O_NDELAY, O_NOATIME, O_NONBLOCK, S_IFIFO, S_IFMT,
} from "../include/uapi/fcntl.js";
import { int, type SyscallHandler, uint } from "../include/linux/syscalls.js";
import type { Word } from "../include/uapi/word.js";
import { allocFd, fdInstall } from "./file.js";
import { pipeFcntl } from "./pipe.js";
import { FMODE_CAN_ODIRECT, type File } from "../include/linux/fs.js";

/** The status flags F_SETFL may change; the rest of f_flags stays. */
const SETFL_MASK = O_APPEND | O_NONBLOCK | O_NDELAY | O_DIRECT | O_NOATIME;

/** f_dupfd(): the lowest free descriptor >= from; from at or past RLIMIT_NOFILE is EINVAL. */
function dupfd(task: Task, file: File, from: number, cloexec: boolean): number {
  if (from >= nofileLimit(task)) return -EINVAL;
  const fd = allocFd(task, from);
  if (fd < 0) return fd;
  file.count++;
  fdInstall(task.files!, fd, file, cloexec);
  return fd;
}

/**
 * do_fcntl() for descriptor and status flags. The status flags live in the open file
 * description, so a fork child that changes them changes them for its parent too. probe:
 * F_GETFL of an O_RDWR file: 0x8002; of O_RDONLY|O_CLOEXEC|O_NONBLOCK: 0x8800 (F_GETFD 1);
 * F_SETFL ~0 on a regular file: 0x4cc00 after; O_APPEND set in a child: the parent read
 * 0x8402; F_DUPFD -1 or 2^20: EINVAL; F_SETFD 0xff: F_GETFD 1; command 9999: EINVAL.
 */
function fcntl(task: Task, fd: number, cmd: number, arg: Word): number {
  const files = task.files!;
  const file = files.get(fd);
  if (!file) return -EBADF;
  const argi = int(arg);
  switch (cmd) {
    case F_DUPFD: return dupfd(task, file, argi >>> 0, false);
    case F_DUPFD_CLOEXEC: return dupfd(task, file, argi >>> 0, true);
    case F_GETFD: return files.closeOnExec.has(fd) ? FD_CLOEXEC : 0;
    case F_SETFD:
      if (argi & FD_CLOEXEC) files.closeOnExec.add(fd);
      else files.closeOnExec.delete(fd);
      return 0;
    case F_GETFL: return file.flags;
    case F_SETFL: {
      // setfl(): O_NDELAY is O_NONBLOCK here; O_DIRECT needs a file that can do it, except
      // on a FIFO or pipe, where it is packet mode (probes: F_SETFL O_DIRECT on a tmpfs file:
      // 0, F_GETFL 0xc002; on a tmpfs directory: EINVAL; on a pipe's read end: 0, 0x4000).
      // FASYNC needs ->fasync(), which these files lack. A pipe sees O_NONBLOCK set here at
      // its next read or write.
      if ((file.inode.mode & S_IFMT) !== S_IFIFO && argi & O_DIRECT && !(file.mode & FMODE_CAN_ODIRECT)) return -EINVAL;
      file.flags = (argi & SETFL_MASK) | (file.flags & ~SETFL_MASK);
      return 0;
    }
    case F_SETPIPE_SZ:
    case F_GETPIPE_SZ:
      return pipeFcntl(task, file, cmd, argi >>> 0);
    default:
      return -EINVAL;
  }
}

export const sys_fcntl: SyscallHandler = (task, a0, a1, a2) => fcntl(task, uint(a0), uint(a1), a2);
