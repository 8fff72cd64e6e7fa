import { ENOSYS } from "../include/uapi/errno.js";
import type { SyscallHandler } from "../include/linux/syscalls.js";
export { COND_SYSCALLS } from "./sys_ni_cond.js";

/**
 * sys_ni_syscall(): what every table slot points at until a built object's strong
 * definition overrides it (kernel/sys_ni.c).
 */
export const sys_ni_syscall: SyscallHandler = () => -ENOSYS;
