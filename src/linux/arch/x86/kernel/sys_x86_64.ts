import { kernelObject, SYSCALL_DEFINE } from "../../../kbuild/object.js";
import { MMAP_PARTIAL, mmapByteOffset } from "../../../mm/util.js";

export const arch_x86_kernel_sys_x86_64_c = kernelObject("arch/x86/kernel/sys_x86_64.c", [
  // The offset is in bytes and must be page aligned.
  SYSCALL_DEFINE(6, "mmap", mmapByteOffset, MMAP_PARTIAL),
]);
