/**
 * What the CPU needs of an address space, as an interface the kernel's mm (or a test's page map)
 * implements. It is the page-table walk and the TLB-shootdown contract of a real MMU:
 *
 *  - translate(pfn, write) is the page walk: the page's protection and bytes. The CPU keeps what
 *    it got in its TLB and reads and writes the bytes directly, so an implementation must hand
 *    out the page's own storage (for a write: materialised, copy-on-write already broken).
 *  - tlbGeneration is flush_tlb_mm(): whatever makes a translation handed out earlier wrong must
 *    change it: munmap, mprotect, mmap or mremap over a range, fork (the parent's private pages
 *    turn copy-on-write, so its next store must come back through translate()), replacing a page
 *    (a COW break, materialising one that was handed out as a shared zero page), exec.
 *  - codeGeneration tells the CPU that instruction bytes changed under its decoded-instruction
 *    cache: it must change whenever bytes of an executable page change other than through the
 *    CPU's own stores: ptrace(POKETEXT/POKEDATA), process_vm_writev, copy_to_user (read() into
 *    an executable buffer), a loader writing code. Bumping it on every write of the kernel into
 *    memory would be correct too, just slower for programs that make many system calls.
 *  - codeWritten(pfn): the CPU reports its own stores into executable pages (self-modifying code)
 *    so that other CPUs sharing the memory (threads) drop what they decoded: the memory bumps
 *    codeGeneration.
 *
 * The CPU looks at both generations when step() or run() starts, and after each translate() it
 * makes (a translation may replace a page: COW). JS runs one task at a time, so nothing else
 * changes the memory while an instruction runs.
 */

/** Page size (x86-64 4-level paging, 4 KiB pages), as compile-time constants. */
export const enum Page { SHIFT = 12, SIZE = 4096, MASK = 4095 }
export const PAGE_SHIFT: number = Page.SHIFT;
export const PAGE_SIZE: number = Page.SIZE;

/** Access rights of a user page, as the MMU enforces them (same values as PROT_READ/WRITE/EXEC). */
export const enum Prot { READ = 1, WRITE = 2, EXEC = 4 }
export const PROT_READ: number = Prot.READ, PROT_WRITE: number = Prot.WRITE, PROT_EXEC: number = Prot.EXEC;

export interface CpuPage {
  /**
   * What user mode may do with the page: PROT_READ | PROT_WRITE | PROT_EXEC, after the x86 rules
   * (a writable page is readable; with protection keys an execute-only page is not). 0 for a
   * PROT_NONE mapping. A denied access is SIGSEGV SEGV_ACCERR.
   */
  readonly prot: number;
  /**
   * The page's PAGE_SIZE bytes. When translate() was asked for a write and `prot` has PROT_WRITE,
   * these are the page's own bytes, and stores into them are the stores of the program. Otherwise
   * the CPU only reads them (they may be a shared zero page).
   */
  readonly data: Uint8Array;
}

export interface CpuMemory {
  /**
   * The page at user address pfn * PAGE_SIZE (pfn < 2^35), or null when nothing is mapped there
   * (SIGSEGV SEGV_MAPERR). It may do what the fault handler would: grow a stack area, materialise
   * a page, break copy-on-write (and then move tlbGeneration).
   */
  translate(pfn: number, write: boolean): CpuPage | null;
  /** Changes whenever a translation handed out earlier may no longer hold (see above). */
  readonly tlbGeneration: number;
  /** Changes whenever bytes of an executable page change other than by this CPU's stores (see above). */
  readonly codeGeneration: number;
  /** A CPU stored into executable page `pfn`: move codeGeneration for the other CPUs. */
  codeWritten(pfn: number): void;
}

/** Instruction bytes for the disassembler (decode()): a simpler view than CpuMemory. */
export interface FetchMemory {
  /** `len` bytes at `addr`, or null when any of them is not mapped executable. */
  fetch(addr: bigint, len: number): Uint8Array | null;
}
