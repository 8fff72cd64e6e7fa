import type { Task } from "../include/linux/sched.js";
import { EACCES, EBADF, EEXIST, EINVAL, ENODEV, ENOMEM, EPERM } from "../include/uapi/errno.js";
import { O_ACCMODE, O_RDONLY, O_WRONLY } from "../include/uapi/fcntl.js";
import {
  MAP_ANONYMOUS, MAP_DROPPABLE, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MAP_HUGETLB, MAP_LOCKED,
  MAP_NORESERVE, MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE, MAP_TYPE, PROT_WRITE,
} from "../include/uapi/mman.js";
import { RLIMIT_AS, RLIMIT_DATA } from "../include/uapi/resource.js";
import { type SyscallHandler, ulong } from "../include/linux/syscalls.js";
import { CAP_SYS_RAWIO } from "../kernel/cred.js";
import { rlimit } from "../include/linux/sched/signal.js";
import { isDataMapping, offsetInPage, PAGE_SIZE, pageAlign, VM_ACCOUNT, VM_ACCESS_FLAGS, VM_GROWSDOWN, VM_LOCKED, VM_MAYEXEC, VM_MAYREAD, VM_MAYSHARE, VM_MAYWRITE, VM_NORESERVE, VM_READ, VM_SHARED, VM_WIPEONFORK, VM_DROPPABLE, VM_WRITE } from "./mm.js";
import { vmEnoughMemory } from "./util.js";
import { ShmemObject, type MmStruct } from "../include/linux/mm_types.js";

/** sysctl vm.max_map_count's default (DEFAULT_MAX_MAP_COUNT: USHRT_MAX - 5). */
export const MAX_MAP_COUNT = 65530;
/** stack_guard_gap: 256 pages kept free below a stack (and above the heap, for brk). */
export const STACK_GUARD_GAP = 256 * PAGE_SIZE;


/** may_expand_vm(): RLIMIT_AS over all areas, RLIMIT_DATA over private writable ones. */
export function mayExpandVm(task: Task, mm: MmStruct, flags: number, npages: number): boolean {
  const pagesOf = (limit: bigint) => (limit >= 2n ** 60n ? Infinity : Number(limit / BigInt(PAGE_SIZE)));
  if (mm.totalVm + npages > pagesOf(rlimit(task, RLIMIT_AS).cur)) return false;
  if (!isDataMapping(flags)) return true;
  const data = rlimit(task, RLIMIT_DATA);
  if (mm.dataVm + npages <= pagesOf(data.cur)) return true;
  // The Valgrind workaround: a soft limit of 0 is judged by the hard limit.
  return data.cur === 0n && mm.dataVm + npages <= pagesOf(data.max);
}

/** Private writable memory that is not MAP_NORESERVE: charged against the overcommit policy. */
function accountable(flags: number): boolean {
  return (flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) === VM_WRITE;
}

/**
 * The gaps search of arch_get_unmapped_area_topdown() (no randomization): the hint if it is
 * free, else the highest gap below mmap_base that fits, else the lowest one above it.
 */
function findFreeArea(mm: MmStruct, hint: number, len: number): number {
  const { taskSize, mmapBase, mmapMinAddr } = mm.layout;
  if (hint && hint <= taskSize - len && hint >= mmapMinAddr && !mm.findVmaIntersection(hint, hint + len)) return hint;
  let top = mmapBase;
  for (let i = mm.vmas.length - 1; i >= -1; i--) {
    const v = mm.vmas[i];
    const bottom = v ? v.end : mmapMinAddr;
    if (bottom >= top) { if (v) top = Math.min(top, v.start); continue; }
    if (top - bottom >= len) return top - len;
    if (v) top = v.start;
  }
  let bottom = mmapBase;
  for (const v of mm.vmas) {
    if (v.end <= bottom) continue;
    if (v.start - bottom >= len) break;
    bottom = Math.max(bottom, v.end);
  }
  return bottom + len <= taskSize ? bottom : -ENOMEM;
}

/** __get_unmapped_area(): the address for a mapping of len bytes (page aligned) or an errno. */
export function getUnmappedArea(mm: MmStruct, addr: number, len: number, flags: number): number {
  const { taskSize } = mm.layout;
  if (len > taskSize) return -ENOMEM;
  const at = flags & MAP_FIXED ? addr : findFreeArea(mm, addr, len);
  if (at < 0) return at;
  if (at > taskSize - len) return -ENOMEM;
  if (offsetInPage(at)) return -EINVAL;
  return at;
}

/**
 * do_mmap() with an MMU, in its order: length, map count, the area, MAP_FIXED_NOREPLACE, the
 * file or the type of anonymous memory, then mmap_region()'s limits and accounting. Returns the
 * address or a negative errno. Regular files of the in-memory filesystem have no ->mmap(), and
 * anonymous memory ignores the offset (its pgoff is its address).
 */
export function doMmap(task: Task, addr: number, len: number, prot: number, flags: number, fd: number, _pgoff: number): number {
  const mm = task.mm!;
  const kernel = task.kernel;
  const file = flags & MAP_ANONYMOUS ? null : task.files!.get(fd);
  // ksys_mmap_pgoff(): the descriptor first; MAP_HUGETLB needs a hugetlbfs page size.
  if (!(flags & MAP_ANONYMOUS) && !file) return -EBADF;
  if (flags & MAP_HUGETLB) return file || !kernel.linked.config.enabled("HUGETLBFS") ? -EINVAL : -ENOMEM;
  if (len === 0) return -EINVAL;
  if (flags & MAP_FIXED_NOREPLACE) flags |= MAP_FIXED;
  if (!(flags & MAP_FIXED)) {
    // round_hint_to_min()
    addr -= offsetInPage(addr);
    if (addr !== 0 && addr < mm.layout.mmapMinAddr) addr = pageAlign(mm.layout.mmapMinAddr);
  }
  len = pageAlign(len);
  if (mm.vmas.length > MAX_MAP_COUNT) return -ENOMEM;
  // calc_vm_prot_bits() takes only R, W, X (mmap() ignores the other PROT_ bits it is given;
  // a probe: mmap(PROT 0x10) worked where mprotect(0x10) gave EINVAL).
  let vmFlags = (prot & VM_ACCESS_FLAGS) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
  if (flags & MAP_GROWSDOWN) vmFlags |= VM_GROWSDOWN;
  if (flags & MAP_LOCKED) vmFlags |= VM_LOCKED;
  const at = getUnmappedArea(mm, addr, len, flags);
  if (at < 0) return at;
  // security_mmap_addr(): below mmap_min_addr only with CAP_SYS_RAWIO.
  if (at < mm.layout.mmapMinAddr && !task.cred.capEffective.has(CAP_SYS_RAWIO)) return -EPERM;
  if (flags & MAP_FIXED_NOREPLACE && mm.findVmaIntersection(at, at + len)) return -EEXIST;

  let shared = false;
  if (file) {
    const type = flags & MAP_TYPE;
    if (type !== MAP_SHARED && type !== MAP_SHARED_VALIDATE && type !== MAP_PRIVATE) return -EINVAL;
    const mode = file.flags & O_ACCMODE;
    if (type !== MAP_PRIVATE && prot & PROT_WRITE && mode === O_RDONLY) return -EACCES;
    if (mode === O_WRONLY) return -EACCES;
    return -ENODEV;
  }
  switch (flags & MAP_TYPE) {
    case MAP_SHARED:
      if (vmFlags & VM_GROWSDOWN) return -EINVAL;
      vmFlags |= VM_SHARED | VM_MAYSHARE;
      shared = true;
      break;
    case MAP_DROPPABLE:
      if (flags & (MAP_LOCKED | MAP_HUGETLB) || vmFlags & VM_GROWSDOWN) return -EINVAL;
      vmFlags |= VM_DROPPABLE | VM_NORESERVE | VM_WIPEONFORK;
      break;
    case MAP_PRIVATE:
      break;
    default:
      // MAP_SHARED_VALIDATE is for files (a probe: anonymous MAP_SHARED_VALIDATE gave EINVAL).
      return -EINVAL;
  }
  // Overcommit is never OVERCOMMIT_NEVER here, so MAP_NORESERVE is honoured.
  if (flags & MAP_NORESERVE) vmFlags |= VM_NORESERVE;
  return mmapRegion(task, mm, at, len, vmFlags, shared);
}

/** mmap_region(): limits first, then the charge, then out with the old and in with the new. */
function mmapRegion(task: Task, mm: MmStruct, addr: number, len: number, vmFlags: number, shared: boolean): number {
  const pages = len / PAGE_SIZE;
  let replaced = 0;
  for (const v of mm.vmas) {
    if (v.end <= addr || v.start >= addr + len) continue;
    replaced += (Math.min(v.end, addr + len) - Math.max(v.start, addr)) / PAGE_SIZE;
  }
  if (!mayExpandVm(task, mm, vmFlags, pages - replaced)) return -ENOMEM;
  if (accountable(vmFlags)) {
    if (vmEnoughMemory(task, pages) < 0) return -ENOMEM;
    vmFlags |= VM_ACCOUNT;
  }
  // shmem_zero_setup() charges the object it creates, unless MAP_NORESERVE.
  if (shared && !(vmFlags & VM_NORESERVE) && vmEnoughMemory(task, pages) < 0) return -ENOMEM;
  mm.unmapRange(addr, addr + len);
  mm.insertVma({
    start: addr, end: addr + len, flags: vmFlags, name: "", shm: shared ? new ShmemObject() : null,
    pgoff: shared ? 0 : addr / PAGE_SIZE,
  });
  return addr;
}

/** do_vmi_munmap(): EINVAL for a bad range; unmapping nothing is fine. */
export function doMunmap(mm: MmStruct, start: number, len: number): number {
  const { taskSize } = mm.layout;
  if (offsetInPage(start) || start > taskSize || len > taskSize - start) return -EINVAL;
  const end = start + pageAlign(len);
  if (end === start) return -EINVAL;
  mm.unmapRange(start, end);
  return 0;
}

/** VM_DATA_DEFAULT_FLAGS for the heap brk() grows: read, write, and the may-bits. */
const BRK_FLAGS = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

/**
 * brk() with an MMU (mm/mmap.c): never an errno; the new break on success, the old one on any
 * failure (below start_brk, over RLIMIT_DATA, into the next mapping, out of memory). probe:
 * brk(0) = b; brk(b+1) = b+1; brk(b+3 pages) = b+3p; brk(0x1000) and brk(2^46) kept b+3p.
 */
function brk(task: Task, want: number): number {
  const mm = task.mm!;
  const orig = mm.brk;
  if (want < mm.startBrk) return orig;
  // check_data_rlimit(): the heap plus the data segment.
  const data = rlimit(task, RLIMIT_DATA).cur;
  if (data < 2n ** 60n && BigInt(want - mm.startBrk + (mm.endData - mm.startData)) > data) return orig;
  const newbrk = pageAlign(want), oldbrk = pageAlign(mm.brk);
  if (newbrk === oldbrk) {
    mm.brk = want;
    return want;
  }
  if (want <= mm.brk) {
    const v = mm.findVmaAbove(newbrk);
    if (!v || v.start >= oldbrk) return orig;
    mm.brk = want;
    mm.unmapRange(newbrk, oldbrk);
    return want;
  }
  const len = newbrk - oldbrk;
  if (getUnmappedArea(mm, oldbrk, len, MAP_FIXED) < 0) return orig;
  // The heap keeps a page (and a stack's guard gap) from the next mapping.
  const next = mm.findVmaAbove(oldbrk);
  if (next && newbrk + PAGE_SIZE > next.start - (next.flags & VM_GROWSDOWN ? STACK_GUARD_GAP : 0)) return orig;
  // do_brk_flags()
  const flags = BRK_FLAGS | VM_ACCOUNT;
  if (!mayExpandVm(task, mm, flags, len / PAGE_SIZE) || mm.vmas.length > MAX_MAP_COUNT) return orig;
  if (vmEnoughMemory(task, len / PAGE_SIZE) < 0) return orig;
  mm.insertVma({ start: oldbrk, end: newbrk, flags, name: "[heap]", shm: null, pgoff: oldbrk / PAGE_SIZE });
  mm.brk = want;
  return want;
}

export const sys_brk: SyscallHandler = (task, a0) => brk(task, ulong(a0));
export const sys_munmap: SyscallHandler = (task, a0, a1) => doMunmap(task.mm!, ulong(a0), ulong(a1));
