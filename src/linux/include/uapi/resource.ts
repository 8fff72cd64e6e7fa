/** Resource limits, include/uapi/asm-generic/resource.h (x86_64 and riscv64 agree). */
export const RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4,
  RLIMIT_RSS = 5, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9,
  RLIMIT_LOCKS = 10, RLIMIT_SIGPENDING = 11, RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13,
  RLIMIT_RTPRIO = 14, RLIMIT_RTTIME = 15;
export const RLIM_NLIMITS = 16;

/** RLIM_INFINITY: ~0UL, a 64-bit value, so limits are bigints. */
export const RLIM_INFINITY = 0xffffffffffffffffn;

/** struct rlimit: two unsigned longs. */
export const SIZEOF_RLIMIT = 16;
