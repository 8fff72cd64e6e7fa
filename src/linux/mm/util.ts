import type { Task } from "../include/linux/sched.js";
import { EINVAL, ENOMEM } from "../include/uapi/errno.js";
import { PAGE_SHIFT, PAGE_SIZE } from "./mm.js";
import { doMmap } from "./mmap.js";
import { doMmapNommu } from "./nommu.js";

/**
 * __vm_enough_memory() under the default overcommit policy, OVERCOMMIT_GUESS (mm/util.c): a
 * single request may not exceed the machine's RAM plus swap; nothing else is counted. It is
 * asked for each accountable mapping (private writable), and by fork for each such area of the
 * parent (dup_mmap()) — which is how a fork fails when one area has grown past the machine
 * (a probe on a 23.5 GiB machine without swap: 1 GiB mappings merged into one area; fork()
 * worked up to 23 of them and failed with ENOMEM from the 24th on, every time).
 */
export function vmEnoughMemory(task: Task, pages: number): number {
  return pages > task.kernel.totalramPages + task.kernel.totalSwapPages ? -ENOMEM : 0;
}

/**
 * Converts a register value to the unsigned long C sees (negative JS numbers are above 2^63).
 * Registers hold integers; anything else a caller passes is read as its integer part, or 0.
 */
export function ulong(v: number): number {
  if (!Number.isFinite(v)) return 0;
  return v < 0 ? Math.trunc(v) + 2 ** 64 : Math.trunc(v);
}

/** ulong() as a bigint, for values that are stored as all 64 bits (ptrace's words and registers). */
export function ulongBig(v: number): bigint {
  return Number.isFinite(v) ? BigInt.asUintN(64, BigInt(Math.trunc(v))) : 0n;
}

/**
 * ksys_mmap_pgoff() as the arch's mmap() entry calls it: do_mmap() of mm/mmap.c, or of
 * mm/nommu.c on a kernel without an MMU.
 */
export function ksysMmapPgoff(task: Task, addr: number, len: number, prot: number, flags: number, fd: number, pgoff: number): number {
  return task.kernel.mmu ? doMmap(task, addr, len, prot, flags, fd, pgoff) : doMmapNommu(task, addr, len, prot, flags, fd);
}

/**
 * The mmap() both x86_64 (sys_x86_64.c) and riscv64 (riscv_sys_mmap with page_shift_offset 0)
 * define: the offset comes in bytes and must be page aligned, then ksys_mmap_pgoff().
 */
export function mmapByteOffset(task: Task, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number): number {
  const off = ulong(a5);
  if (off % PAGE_SIZE) return -EINVAL;
  return ksysMmapPgoff(task, ulong(a0), ulong(a1), a2 >>> 0, a3 >>> 0, a4 | 0, Math.floor(off / 2 ** PAGE_SHIFT));
}
