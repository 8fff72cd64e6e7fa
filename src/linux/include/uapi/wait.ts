/** wait4()/waitid() options, include/uapi/linux/wait.h. */
export const WNOHANG = 0x00000001;
export const WUNTRACED = 0x00000002;
export const WSTOPPED = WUNTRACED;
export const WEXITED = 0x00000004;
export const WCONTINUED = 0x00000008;
export const WNOWAIT = 0x01000000;
export const __WNOTHREAD = 0x20000000;
export const __WALL = 0x40000000;
/** 0x80000000: compare with `>>> 0`. */
export const __WCLONE = 0x80000000;

/** waitid() idtype values. */
export const P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;
