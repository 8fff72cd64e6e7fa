import { EINVAL } from "../../../include/uapi/errno.js";
import { kernelObject, SYSCALL_DEFINE } from "../../../kbuild/object.js";
import { PAGE_SHIFT, PAGE_SIZE } from "../../../mm/mm.js";
import { ksysMmapPgoff, MMAP_PARTIAL, ulong } from "../../../mm/util.js";

export const arch_riscv_kernel_sys_riscv_c = kernelObject("arch/riscv/kernel/sys_riscv.c", [
  // riscv_sys_mmap(offset, page_shift_offset 0): a byte offset that must be page aligned.
  SYSCALL_DEFINE(6, "mmap", (task, a0, a1, a2, a3, a4, a5) => {
    const off = ulong(a5);
    if (off % PAGE_SIZE) return -EINVAL;
    return ksysMmapPgoff(task, ulong(a0), ulong(a1), a2 >>> 0, a3 >>> 0, a4 | 0, Math.floor(off / 2 ** PAGE_SHIFT));
  }, MMAP_PARTIAL),
]);
