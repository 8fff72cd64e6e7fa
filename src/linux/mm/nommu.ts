import type { Task } from "../include/linux/sched.js";
import { EBADF, EINVAL, ENODEV, ENOMEM } from "../include/uapi/errno.js";
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MAP_SHARED, MAP_TYPE } from "../include/uapi/mman.js";
import { type SyscallHandler, ulong } from "../include/linux/syscalls.js";
import { offsetInPage, PAGE_SIZE, pageAlign, VM_ACCESS_FLAGS, VM_MAYEXEC, VM_MAYREAD, VM_MAYSHARE, VM_MAYWRITE, VM_SHARED } from "./mm.js";
import { ShmemObject, type MmStruct, type Vma } from "../include/linux/mm_types.js";

/** Every region of the machine (all processes share one address space), sorted. */
function allRegions(mm: MmStruct): Vma[] {
  const regions: Vma[] = [];
  for (const m of mm.nommu!.mms) regions.push(...m.vmas);
  return regions.sort((a, b) => a.start - b.start);
}

/** Where the allocator finds room for len bytes: the highest free range below mmap_base. */
function allocRegion(mm: MmStruct, len: number): number {
  let top = mm.layout.mmapBase;
  const regions = allRegions(mm);
  for (let i = regions.length - 1; i >= -1; i--) {
    const r = regions[i];
    const bottom = r ? r.end : PAGE_SIZE;
    if (bottom < top && top - bottom >= len) return top - len;
    if (r) top = Math.min(top, r.start);
  }
  return -ENOMEM;
}

/**
 * do_mmap() without an MMU (validate_mmap_request() first): MAP_FIXED is refused, only
 * MAP_PRIVATE and MAP_SHARED exist, and the memory comes from the machine's one pool, so the
 * region's address is wherever the allocator found room (hints are ignored).
 */
export function doMmapNommu(task: Task, _addr: number, len: number, prot: number, flags: number, fd: number): number {
  const mm = task.mm!;
  const file = flags & MAP_ANONYMOUS ? null : task.files!.get(fd);
  if (!(flags & MAP_ANONYMOUS) && !file) return -EBADF;
  if (flags & MAP_FIXED) return -EINVAL;
  const type = flags & MAP_TYPE;
  if (type !== MAP_PRIVATE && type !== MAP_SHARED) return -EINVAL;
  if (!len) return -EINVAL;
  const rlen = pageAlign(len);
  if (rlen > mm.layout.taskSize) return -ENOMEM;
  if (file) return -ENODEV;
  if (rlen / PAGE_SIZE > task.kernel.totalramPages) return -ENOMEM;
  const at = allocRegion(mm, rlen);
  if (at < 0) return at;
  const shared = type === MAP_SHARED;
  mm.insertVma({
    start: at, end: at + rlen, name: "", pgoff: shared ? 0 : at / PAGE_SIZE,
    flags: (prot & VM_ACCESS_FLAGS) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | (shared ? VM_SHARED | VM_MAYSHARE : 0),
    shm: shared ? new ShmemObject() : null,
  });
  return at;
}

/**
 * do_munmap() without an MMU: the range must lie within one region (EINVAL otherwise, even
 * for unmapped memory); an anonymous region may be shrunk from either end or split.
 */
function munmap(mm: MmStruct, start: number, len: number): number {
  len = pageAlign(len);
  if (len === 0) return -EINVAL;
  const end = start + len;
  const vma = mm.findVmaIntersection(start, end);
  if (!vma) return -EINVAL;
  if (!(start === vma.start && end === vma.end)) {
    if (start < vma.start || end > vma.end) return -EINVAL;
    if (offsetInPage(start)) return -EINVAL;
    if (end !== vma.end && offsetInPage(end)) return -EINVAL;
  }
  mm.unmapRange(start, end);
  return 0;
}

/**
 * brk() without an MMU (mm/nommu.c): the break moves within what the loader reserved up to
 * end_brk, which here is where it started (no room to grow); never an errno.
 */
function brk(task: Task, want: number): number {
  const mm = task.mm!;
  const endBrk = mm.startBrk;
  if (want < mm.startBrk || want > endBrk) return mm.brk;
  mm.brk = want;
  return want;
}

export const sys_brk: SyscallHandler = (task, a0) => brk(task, ulong(a0));
export const sys_munmap: SyscallHandler = (task, a0, a1) => munmap(task.mm!, ulong(a0), ulong(a1));
