import type { CpuMemory } from "../../arch/x86/cpu/memory.js";

/** The object behind a MAP_SHARED anonymous mapping (shmem_zero_setup's "/dev/zero (deleted)"): fork shares it. */
export class ShmemObject {
  readonly pages = new Map<number, Uint8Array>();
}

/** struct vm_area_struct: [start, end) with its vm_flags; shm and pgoff for shared anonymous memory. */
export interface Vma {
  start: number;
  end: number;
  flags: number;
  readonly name: string;
  readonly shm: ShmemObject | null;
  /** The page of `shm` that `start` maps. */
  pgoff: number;
}

/** Where an address space's areas go, fixed by the arch at exec time. */
export interface MmLayout {
  /** TASK_SIZE: the first address user space cannot map. */
  readonly taskSize: number;
  /** mm->mmap_base: top-down mmap() allocations start below it. */
  readonly mmapBase: number;
  /** mmap_min_addr: nothing is mapped below it without MAP_FIXED. */
  readonly mmapMinAddr: number;
}

/**
 * The memory of a machine without an MMU: one physical address space that every process
 * reaches. Regions live in their owners' mms, as mm/nommu.c keeps them in the global region
 * tree.
 */
export interface NommuMemory {
  /** Every address space, whose areas together are the machine's regions. */
  readonly mms: ReadonlySet<MmStruct>;
  /** The region holding `addr`, whoever owns it. */
  findRegion(addr: number): Vma | undefined;
}

/**
 * An address space (struct mm_struct): its areas (sorted, never overlapping) and the pages
 * behind them (mm/mm.ts). fork() duplicates it copy-on-write (dup_mmap); CLONE_VM shares it.
 * It is also the memory the CPU interpreter runs user code on (CpuMemory).
 */
export interface MmStruct extends CpuMemory {
  readonly id: number;
  readonly layout: MmLayout;
  /** Set on a kernel without an MMU: the machine's memory, shared by every mm. */
  readonly nommu: NommuMemory | null;
  vmas: Vma[];
  /** mm_users: the tasks that use this address space. */
  users: number;
  startData: number;
  endData: number;
  startBrk: number;
  brk: number;
  startStack: number;
  argStart: number;
  argEnd: number;
  envStart: number;
  envEnd: number;
  /** Pages mapped in all (total_vm), and in private writable non-stack areas (data_vm). */
  readonly totalVm: number;
  readonly dataVm: number;

  /** The area of this mm holding `addr`. */
  findOwnVma(addr: number): Vma | undefined;
  /** The first area ending above `addr` (find_vma()). */
  findVmaAbove(addr: number): Vma | undefined;
  /** The first area that overlaps [start, end) (find_vma_intersection()). */
  findVmaIntersection(start: number, end: number): Vma | undefined;
  /** How many bytes from addr (at most len) can be accessed with `prot` before the first fault. */
  accessibleLength(addr: number, len: number, prot: number): number;
  /** access_ok() plus the page walk: every byte of [addr, addr+len) may be accessed with `prot`. */
  accessOk(addr: number, len: number, prot: number): boolean;
  /** mprotect() changed areas' flags: translations are stale, and code written while not executable may run now. */
  protectionChanged(): void;
  /** copy_from_user of a whole object: the bytes, or null where any is unreadable (EFAULT). */
  read(addr: number, len: number): Uint8Array | null;
  /** copy_to_user of a whole object: false (nothing stored) where any byte is unwritable. */
  write(addr: number, data: Uint8Array): boolean;
  /** copy_from_user() as read paths use it: the bytes before the first fault (maybe none). */
  readPartial(addr: number, len: number): Uint8Array;
  /** copy_to_user() as write paths use it: stores up to the first fault, returns the count. */
  writePartial(addr: number, data: Uint8Array): number;
  /**
   * access_remote_vm() with FOLL_FORCE, as ptrace and /proc/pid/mem use it: the protections
   * of the areas do not matter (a write to read-only private text breaks copy-on-write), only
   * that something is mapped. Returns the bytes moved before the first unmapped one.
   */
  accessVm(addr: number, buf: Uint8Array, write: boolean): number;
  /** get_user() of a C int, without allocating; null where unreadable. */
  getInt32(addr: number): number | null;
  /** put_user() of a C int, without allocating; false (nothing stored) where unwritable. */
  putInt32(addr: number, value: number): boolean;
  /**
   * Inserts an area over a range nothing maps, merging it with a neighbour it continues
   * (vma_merge(): same flags and name, both private, or the same shared object at the next page).
   */
  insertVma(vma: Vma): Vma;
  /** Makes `addr` an area boundary (split_vma()) if an area straddles it. */
  splitAt(addr: number): void;
  /** Merges every pair of neighbours that can be one area again (after mprotect()). */
  mergeAround(start: number, end: number): void;
  /** Removes [start, end) from the address space (do_vmi_align_munmap()): areas and their pages. */
  unmapRange(start: number, end: number): void;
  /**
   * dup_mmap(): the child's copy. With an MMU, every area, and the private pages shared
   * copy-on-write (shared areas keep their object). Without one, dup_mmap() copies nothing
   * (kernel/fork.c, !CONFIG_MMU): the child's mm starts with no areas at all.
   */
  dup(id: number): MmStruct;
  /** mmput(): the last user is gone; the pages go back (a shared COW page loses a reference). */
  release(): void;
}
