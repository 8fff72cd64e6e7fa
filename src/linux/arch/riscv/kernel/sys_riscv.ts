import { int, type SyscallHandler, uint, ulong } from "../../../include/linux/syscalls.js";
import { EINVAL } from "../../../include/uapi/errno.js";
import { PAGE_SHIFT, PAGE_SIZE } from "../../../mm/mm.js";
import { doMmap } from "../../../mm/mmap.js";
import { doMmapNommu } from "../../../mm/nommu.js";

/**
 * riscv_sys_mmap(offset, page_shift_offset 0): a byte offset that must be page aligned, then
 * ksys_mmap_pgoff(): mm/mmap.c's, or mm/nommu.c's on a kernel without an MMU (the one of
 * the two the build links).
 */
export const sys_mmap: SyscallHandler = (task, a0, a1, a2, a3, a4, a5) => {
  // The alignment is in the low bits (exact in uint()); an aligned offset has at most 52
  // significant bits, so ulong() holds it exactly.
  if (uint(a5) % PAGE_SIZE) return -EINVAL;
  const off = ulong(a5);
  const addr = ulong(a0), len = ulong(a1), prot = uint(a2), flags = uint(a3), fd = int(a4);
  return task.kernel.mmu
    ? doMmap(task, addr, len, prot, flags, fd, Math.floor(off / 2 ** PAGE_SHIFT))
    : doMmapNommu(task, addr, len, prot, flags, fd);
};
