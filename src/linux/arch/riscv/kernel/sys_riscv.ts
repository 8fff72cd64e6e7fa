import type { SyscallHandler } from "../../../include/linux/syscalls.js";
import { mmapByteOffset } from "../../../mm/util.js";

/** riscv_sys_mmap(offset, page_shift_offset 0): a byte offset that must be page aligned. */
export const sys_mmap: SyscallHandler = mmapByteOffset;
