import { kernelObject, SYSCALL_DEFINE } from "../../../kbuild/object.js";
import { MMAP_PARTIAL, mmapByteOffset } from "../../../mm/util.js";

export const arch_riscv_kernel_sys_riscv_c = kernelObject("arch/riscv/kernel/sys_riscv.c", [
  // riscv_sys_mmap(offset, page_shift_offset 0): a byte offset that must be page aligned.
  SYSCALL_DEFINE(6, "mmap", mmapByteOffset, MMAP_PARTIAL),
]);
