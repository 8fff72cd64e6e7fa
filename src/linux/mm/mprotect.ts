import type { Task } from "../include/linux/sched.js";
import { EACCES, EINVAL, ENOMEM } from "../include/uapi/errno.js";
import { PROT_EXEC, PROT_GROWSDOWN, PROT_GROWSUP, PROT_READ, PROT_SEM, PROT_WRITE } from "../include/uapi/mman.js";
import { type SyscallHandler, uint, ulong } from "../include/linux/syscalls.js";
import type { Word } from "../include/uapi/word.js";
import {
  PAGE_SIZE, pageAlign, VM_ACCESS_FLAGS, VM_ACCOUNT, VM_GROWSDOWN, VM_NORESERVE, VM_SHARED, VM_WRITE,
} from "./mm.js";
import { vmEnoughMemory } from "./util.js";

/**
 * do_mprotect_pkey(), in its order: both PROT_GROWS bits, alignment, a zero length (0, even
 * with bad bits), wrap-around, unknown PROT_ bits, then the areas. Areas before a hole keep
 * their new protection and the call fails with ENOMEM. Making private memory writable charges
 * it (mprotect_fixup()). probe: unaligned: EINVAL; len 0 with prot 0x10: 0; prot 0x10: EINVAL;
 * PROT_SEM: 0; over a hole: ENOMEM and the first page was read-only after; unmapped start,
 * start above TASK_SIZE, a range wrapping past 2^64: ENOMEM; GROWSDOWN|GROWSUP: EINVAL.
 */
function mprotect(task: Task, startWord: Word, len: number, prot: number): number {
  const mm = task.mm!;
  const grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
  prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
  if (grows === (PROT_GROWSDOWN | PROT_GROWSUP)) return -EINVAL;
  // The alignment is in the low bits, which uint() has exactly (ulong() rounds past 2^53).
  if (uint(startWord) % PAGE_SIZE) return -EINVAL;
  let start = ulong(startWord);
  if (!len) return 0;
  let end = start + pageAlign(len);
  if (end >= 2 ** 64) return -ENOMEM;
  // arch_validate_prot(): only R, W, X and SEM.
  if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) return -EINVAL;
  let vma = mm.findVmaAbove(start);
  if (!vma || vma.start >= end) return -ENOMEM;
  if (grows & PROT_GROWSDOWN) {
    start = vma.start;
    if (!(vma.flags & VM_GROWSDOWN)) return -EINVAL;
  } else {
    if (vma.start > start) return -ENOMEM;
    // No area grows up on x86_64 or riscv64.
    if (grows & PROT_GROWSUP) return -EINVAL;
  }
  mm.splitAt(start);
  mm.splitAt(end);
  let error = 0;
  let tmp = start;
  for (vma = mm.findVmaAbove(start); vma && vma.start < end; vma = mm.findVmaAbove(vma.end)) {
    if (vma.start !== tmp) { error = -ENOMEM; break; }
    let newflags = (prot & VM_ACCESS_FLAGS) | (vma.flags & ~VM_ACCESS_FLAGS);
    // The VM_MAY* bits (4 above) must allow what is asked.
    if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) { error = -EACCES; break; }
    if (newflags & VM_WRITE && !(vma.flags & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE))) {
      if (vmEnoughMemory(task, (vma.end - vma.start) / PAGE_SIZE) < 0) { error = -ENOMEM; break; }
      newflags |= VM_ACCOUNT;
    }
    vma.flags = newflags;
    tmp = vma.end;
  }
  mm.mergeAround(start, end);
  mm.protectionChanged();
  if (!error && tmp < end) error = -ENOMEM;
  return error;
}

export const sys_mprotect: SyscallHandler = (task, a0, a1, a2) => mprotect(task, a0, ulong(a1), uint(a2));
