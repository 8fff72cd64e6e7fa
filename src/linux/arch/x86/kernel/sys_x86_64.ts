import type { SyscallHandler } from "../../../include/linux/syscalls.js";
import { EINVAL } from "../../../include/uapi/errno.js";
import { PAGE_SHIFT, PAGE_SIZE } from "../../../mm/mm.js";
import { doMmap } from "../../../mm/mmap.js";
import { ulong } from "../../../mm/util.js";

/**
 * SYSCALL_DEFINE6(mmap): the offset comes in bytes and must be page aligned, then
 * ksys_mmap_pgoff(), which is mm/mmap.c's: x86_64 always has an MMU (MMU has no prompt there).
 */
export const sys_mmap: SyscallHandler = (task, a0, a1, a2, a3, a4, a5) => {
  const off = ulong(a5);
  if (off % PAGE_SIZE) return -EINVAL;
  return doMmap(task, ulong(a0), ulong(a1), a2 >>> 0, a3 >>> 0, a4 | 0, Math.floor(off / 2 ** PAGE_SHIFT));
};
