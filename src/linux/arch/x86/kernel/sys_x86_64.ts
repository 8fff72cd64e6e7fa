import { int, type SyscallHandler, uint, ulong } from "../../../include/linux/syscalls.js";
import { EINVAL } from "../../../include/uapi/errno.js";
import { PAGE_SHIFT, PAGE_SIZE } from "../../../mm/mm.js";
import { doMmap } from "../../../mm/mmap.js";

/**
 * SYSCALL_DEFINE6(mmap): the offset comes in bytes and must be page aligned, then
 * ksys_mmap_pgoff(), which is mm/mmap.c's: x86_64 always has an MMU (MMU has no prompt there).
 */
export const sys_mmap: SyscallHandler = (task, a0, a1, a2, a3, a4, a5) => {
  // The alignment is in the low bits (exact in uint()); an aligned offset has at most 52
  // significant bits, so ulong() holds it exactly.
  if (uint(a5) % PAGE_SIZE) return -EINVAL;
  const off = ulong(a5);
  return doMmap(task, ulong(a0), ulong(a1), uint(a2), uint(a3), int(a4), Math.floor(off / 2 ** PAGE_SHIFT));
};
