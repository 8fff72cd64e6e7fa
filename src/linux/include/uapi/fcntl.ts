/** open() flags, include/uapi/asm-generic/fcntl.h (octal, as the header writes them). */
export const O_ACCMODE = 0o3;
export const O_RDONLY = 0o0;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_DSYNC = 0o10000;
export const O_DIRECT = 0o40000;
export const O_LARGEFILE = 0o100000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_NOATIME = 0o1000000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;
export const __O_TMPFILE = 0o20000000;

/** include/uapi/linux/fcntl.h */
export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_NO_AUTOMOUNT = 0x800, AT_EMPTY_PATH = 0x1000;
/** AT_STATX_SYNC_TYPE: the statx sync bits fstatat() lets through. */
export const AT_STATX_SYNC_TYPE = 0x6000;

/** File type bits of st_mode, include/uapi/linux/stat.h. */
export const S_IFMT = 0o170000, S_IFSOCK = 0o140000, S_IFLNK = 0o120000, S_IFREG = 0o100000,
  S_IFBLK = 0o60000, S_IFDIR = 0o40000, S_IFCHR = 0o20000, S_IFIFO = 0o10000;
export const S_ISUID = 0o4000, S_ISGID = 0o2000, S_ISVTX = 0o1000;

/** fcntl() commands, include/uapi/asm-generic/fcntl.h and linux/fcntl.h. */
export const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
/** F_LINUX_SPECIFIC_BASE + 7 and + 8: a pipe's capacity. */
export const F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;
export const FD_CLOEXEC = 1;
export const FASYNC = 0o20000;
export const O_NDELAY = O_NONBLOCK;
/** include/uapi/linux/watch_queue.h: pipe2() makes a notification pipe with it. */
export const O_NOTIFICATION_PIPE = O_EXCL;

/** include/uapi/linux/limits.h: writes to a pipe of at most this many bytes are atomic. */
export const PIPE_BUF = 4096;
/** include/uapi/linux/uio.h: UIO_MAXIOV, the most iovecs readv() and writev() take (IOV_MAX). */
export const UIO_MAXIOV = 1024;

/** lseek() whence, include/uapi/linux/fs.h. */
export const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
