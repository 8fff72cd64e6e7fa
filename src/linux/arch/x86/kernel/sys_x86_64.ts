import type { SyscallHandler } from "../../../include/linux/syscalls.js";
import { mmapByteOffset } from "../../../mm/util.js";

/** The offset is in bytes and must be page aligned. */
export const sys_mmap: SyscallHandler = mmapByteOffset;
