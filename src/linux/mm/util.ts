import type { Task } from "../include/linux/sched.js";
import { ENOMEM } from "../include/uapi/errno.js";

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
