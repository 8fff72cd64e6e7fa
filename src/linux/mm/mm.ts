import { EFAULT } from "../include/uapi/errno.js";
import { PROT_NONE, PROT_READ, PROT_WRITE, PROT_EXEC } from "../include/uapi/mman.js";
import type { CpuPage } from "../arch/x86/cpu/memory.js";
import type * as mm_types from "../include/linux/mm_types.js";
import { type MmLayout, type Vma } from "../include/linux/mm_types.js";

export { PROT_NONE, PROT_READ, PROT_WRITE, PROT_EXEC };

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

/** vm_flags, include/linux/mm.h (the low three are the PROT_ bits, as calc_vm_prot_bits() relies on). */
export const VM_READ = 0x1, VM_WRITE = 0x2, VM_EXEC = 0x4, VM_SHARED = 0x8;
export const VM_MAYREAD = 0x10, VM_MAYWRITE = 0x20, VM_MAYEXEC = 0x40, VM_MAYSHARE = 0x80;
export const VM_GROWSDOWN = 0x100, VM_LOCKED = 0x2000, VM_ACCOUNT = 0x100000, VM_NORESERVE = 0x200000;
/** MAP_DROPPABLE memory (64-bit only): not copied to a fork child, which reads zeros there. */
export const VM_WIPEONFORK = 0x02000000, VM_DROPPABLE = 0x40000000;
export const VM_ACCESS_FLAGS = VM_READ | VM_WRITE | VM_EXEC;

/**
 * What the MMU lets user space (and so copy_from_user) read: a writable page is readable too
 * (x86 and riscv have no write-only PTEs), an execute-only one is not (x86 with protection keys,
 * riscv's X-only PTEs). A probe on a PKU machine: write() from a PROT_WRITE page worked, from a
 * PROT_EXEC page gave EFAULT.
 */
const READABLE = VM_READ | VM_WRITE;

/** The shared zero page: what the CPU reads of an anonymous page nothing has written yet. */
const ZERO_PAGE = new Uint8Array(PAGE_SIZE);

/** What the MMU lets user mode do in an area (memory.ts CpuPage.prot), after the READABLE rule. */
function userProt(flags: number): number {
  return (flags & READABLE ? PROT_READ : 0) | (flags & VM_WRITE ? PROT_WRITE : 0) | (flags & VM_EXEC ? PROT_EXEC : 0);
}

/** PAGE_ALIGN(): rounds up to a page boundary (plain arithmetic: addresses pass 2^32). */
export function pageAlign(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

export function offsetInPage(n: number): number {
  return n % PAGE_SIZE;
}

/** A private anonymous page; `refs` counts the page tables holding it (shared copy-on-write). */
interface Page {
  data: Uint8Array;
  refs: number;
}

/**
 * The private pages of an address space by page number. fork() shares the whole table with
 * the child (`users` counts the mms using it) and copies it only when one of them writes while
 * the other still uses it: a child that exits without writing, as most fork children of a
 * test do, costs no copy at all.
 */
class PageTable {
  users = 1;
  constructor(readonly map: Map<number, Page> = new Map()) {}
}

/**
 * The memory of a machine without an MMU: one physical address space. Every process reaches
 * every region (nothing translates or protects addresses); an address outside all of them is
 * not memory and faults. Regions live in their owners' mms, as mm/nommu.c keeps them in the
 * global region tree.
 */
export class NommuMemory implements mm_types.NommuMemory {
  readonly pages = new PageTable();
  readonly mms = new Set<MmStruct>();

  findRegion(addr: number): Vma | undefined {
    for (const mm of this.mms) {
      const v = mm.findOwnVma(addr);
      if (v) return v;
    }
    return undefined;
  }
}

/**
 * An address space (struct mm_struct): its areas (sorted, never overlapping) and the pages
 * behind them. Anonymous pages are materialised on first write (zero-filled until then).
 * fork() duplicates it copy-on-write (dup_mmap); CLONE_VM shares it. Without an MMU the
 * pages are the machine's single memory and protections are not enforced.
 *
 * It is also the memory the CPU interpreter runs user code on (CpuMemory, the contract of
 * arch/x86/cpu/memory.ts): translate() is the page walk and fault handler, tlbGeneration moves
 * whenever a translation handed out may have gone stale, codeGeneration whenever the kernel
 * changes bytes of executable memory.
 */
export class MmStruct implements mm_types.MmStruct {
  vmas: Vma[] = [];
  private table: PageTable;
  /** mm_users: the tasks that use this address space. */
  users = 1;
  startData = 0;
  endData = 0;
  startBrk = 0;
  brk = 0;
  startStack = 0;
  argStart = 0;
  argEnd = 0;
  envStart = 0;
  envEnd = 0;
  /** flush_tlb_mm(): moves when a translation handed out by translate() may no longer hold. */
  tlbGeneration = 0;
  /** Moves when bytes of executable memory change other than by the CPU's own stores. */
  codeGeneration = 0;
  /** The last area an access found (the old vmacache): accesses cluster. */
  private lastVma: Vma | null = null;

  constructor(
    readonly id: number,
    readonly layout: MmLayout,
    /** Set on a kernel without an MMU: the machine's memory, shared by every mm. */
    readonly nommu: NommuMemory | null = null,
  ) {
    this.table = nommu ? nommu.pages : new PageTable();
    nommu?.mms.add(this);
  }

  findOwnVma(addr: number): Vma | undefined {
    const i = this.indexAfter(addr);
    const v = this.vmas[i];
    return v && v.start <= addr ? v : undefined;
  }

  findVmaAbove(addr: number): Vma | undefined {
    return this.vmas[this.indexAfter(addr)];
  }

  findVmaIntersection(start: number, end: number): Vma | undefined {
    const v = this.vmas[this.indexAfter(start)];
    return v && v.start < end ? v : undefined;
  }

  /** The index of the first area whose end is above addr (binary search). */
  private indexAfter(addr: number): number {
    let lo = 0, hi = this.vmas.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.vmas[mid]!.end <= addr) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The area an access to `addr` goes through: this mm's, or with no MMU anybody's. */
  private vmaAt(addr: number): Vma | undefined {
    const last = this.lastVma;
    if (last && addr >= last.start && addr < last.end) return last;
    if (this.nommu) return this.nommu.findRegion(addr);
    const v = this.findOwnVma(addr);
    if (v) this.lastVma = v;
    return v;
  }

  private allows(v: Vma, prot: number): boolean {
    if (this.nommu) return true;
    if (prot & PROT_WRITE && !(v.flags & VM_WRITE)) return false;
    return !(prot & PROT_READ) || (v.flags & READABLE) !== 0;
  }

  accessibleLength(addr: number, len: number, prot: number): number {
    if (!Number.isSafeInteger(addr) || addr < 0 || len <= 0) return 0;
    let a = addr;
    const end = addr + len;
    while (a < end) {
      const v = this.vmaAt(a);
      if (!v || !this.allows(v, prot)) break;
      a = v.end;
    }
    return Math.min(a, end) - addr;
  }

  accessOk(addr: number, len: number, prot: number): boolean {
    if (len === 0) return Number.isSafeInteger(addr) && addr >= 0;
    return this.accessibleLength(addr, len, prot) === len;
  }

  /** The page table for changing: this mm's own, copied first if a fork relative shares it. */
  private ownPages(): Map<number, Page> {
    const t = this.table;
    if (t.users > 1 && !this.nommu) {
      t.users--;
      for (const p of t.map.values()) p.refs++;
      this.table = new PageTable(new Map(t.map));
    }
    return this.table.map;
  }

  /** The page holding page number `pfn` of area `v` for reading; null reads as zeros. */
  private pageForRead(v: Vma, pfn: number): Uint8Array | null {
    if (v.shm) return v.shm.pages.get(v.pgoff + pfn - v.start / PAGE_SIZE) ?? null;
    return this.table.map.get(pfn)?.data ?? null;
  }

  /** The page for writing: materialised, and copied first when another mm shares it (COW). */
  private pageForWrite(v: Vma, pfn: number): Uint8Array {
    if (v.shm) {
      const key = v.pgoff + pfn - v.start / PAGE_SIZE;
      let d = v.shm.pages.get(key);
      if (!d) {
        v.shm.pages.set(key, (d = new Uint8Array(PAGE_SIZE)));
        this.tlbGeneration++;
      }
      return d;
    }
    const pages = this.ownPages();
    let p = pages.get(pfn);
    if (!p) {
      p = { data: new Uint8Array(PAGE_SIZE), refs: 1 };
      pages.set(pfn, p);
      this.tlbGeneration++; // the CPU may have read it as the zero page
    } else if (p.refs > 1) {
      p.refs--;
      p = { data: p.data.slice(), refs: 1 };
      pages.set(pfn, p);
      this.tlbGeneration++; // a COW break: the old bytes are another mm's now
    }
    return p.data;
  }

  /** A kernel store into area `v`: decoded instructions of executable memory are stale. */
  private stored(v: Vma): void {
    if (this.nommu || v.flags & VM_EXEC) this.codeGeneration++;
  }

  /**
   * The page walk for the CPU (CpuMemory.translate): the area's protection and the page's
   * bytes, materialised and COW-broken for a write the area allows; for a read, a page
   * nothing wrote yet is the shared zero page.
   */
  translate(pfn: number, write: boolean): CpuPage | null {
    const v = this.vmaAt(pfn * PAGE_SIZE);
    if (!v) return null;
    const prot = this.nommu ? PROT_READ | PROT_WRITE | PROT_EXEC : userProt(v.flags);
    if (write && prot & PROT_WRITE) return { prot, data: this.pageForWrite(v, pfn) };
    return { prot, data: this.pageForRead(v, pfn) ?? ZERO_PAGE };
  }

  /** The CPU stored into executable page `pfn` (self-modifying code): other CPUs drop what they decoded. */
  codeWritten(_pfn: number): void {
    this.codeGeneration++;
  }

  protectionChanged(): void {
    this.tlbGeneration++;
    this.codeGeneration++;
  }

  private copyOut(addr: number, out: Uint8Array): void {
    for (let done = 0; done < out.length; ) {
      const a = addr + done;
      const off = a % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - off, out.length - done);
      const pfn = (a - off) / PAGE_SIZE;
      const p = this.pageForRead(this.vmaAt(a)!, pfn);
      if (p) out.set(p.subarray(off, off + n), done);
      done += n;
    }
  }

  private copyIn(addr: number, data: Uint8Array): void {
    for (let done = 0; done < data.length; ) {
      const a = addr + done;
      const off = a % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - off, data.length - done);
      const pfn = (a - off) / PAGE_SIZE;
      const v = this.vmaAt(a)!;
      this.pageForWrite(v, pfn).set(data.subarray(done, done + n), off);
      this.stored(v);
      done += n;
    }
  }

  read(addr: number, len: number): Uint8Array | null {
    if (!this.accessOk(addr, len, PROT_READ)) return null;
    const out = new Uint8Array(len);
    this.copyOut(addr, out);
    return out;
  }

  write(addr: number, data: Uint8Array): boolean {
    if (!this.accessOk(addr, data.length, PROT_WRITE)) return false;
    this.copyIn(addr, data);
    return true;
  }

  readPartial(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(this.accessibleLength(addr, len, PROT_READ));
    this.copyOut(addr, out);
    return out;
  }

  writePartial(addr: number, data: Uint8Array): number {
    const n = this.accessibleLength(addr, data.length, PROT_WRITE);
    this.copyIn(addr, n === data.length ? data : data.subarray(0, n));
    return n;
  }

  accessVm(addr: number, buf: Uint8Array, write: boolean): number {
    const n = this.accessibleLength(addr, buf.length, PROT_NONE);
    if (write) this.copyIn(addr, n === buf.length ? buf : buf.subarray(0, n));
    else this.copyOut(addr, n === buf.length ? buf : buf.subarray(0, n));
    return n;
  }

  getInt32(addr: number): number | null {
    const off = addr % PAGE_SIZE;
    if (off > PAGE_SIZE - 4 || !this.accessOk(addr, 4, PROT_READ)) {
      const b = this.read(addr, 4);
      return b ? new DataView(b.buffer).getInt32(0, true) : null;
    }
    const p = this.pageForRead(this.vmaAt(addr)!, (addr - off) / PAGE_SIZE);
    return p ? p[off]! | (p[off + 1]! << 8) | (p[off + 2]! << 16) | (p[off + 3]! << 24) : 0;
  }

  putInt32(addr: number, value: number): boolean {
    const off = addr % PAGE_SIZE;
    if (!this.accessOk(addr, 4, PROT_WRITE)) return false;
    if (off > PAGE_SIZE - 4) {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setInt32(0, value, true);
      this.copyIn(addr, b);
      return true;
    }
    const v = this.vmaAt(addr)!;
    const p = this.pageForWrite(v, (addr - off) / PAGE_SIZE);
    this.stored(v);
    p[off] = value;
    p[off + 1] = value >> 8;
    p[off + 2] = value >> 16;
    p[off + 3] = value >> 24;
    return true;
  }

  /** Pages mapped in all (total_vm), and in private writable non-stack areas (data_vm). */
  get totalVm(): number {
    let n = 0;
    for (const v of this.vmas) n += (v.end - v.start) / PAGE_SIZE;
    return n;
  }

  get dataVm(): number {
    let n = 0;
    for (const v of this.vmas) if (isDataMapping(v.flags)) n += (v.end - v.start) / PAGE_SIZE;
    return n;
  }

  insertVma(vma: Vma): Vma {
    this.lastVma = null;
    const i = this.indexAfter(vma.start);
    this.vmas.splice(i, 0, vma);
    let at = i;
    const prev = this.vmas[at - 1];
    if (prev && canMerge(prev, vma)) {
      prev.end = vma.end;
      this.vmas.splice(at, 1);
      at--;
    }
    const cur = this.vmas[at]!;
    const next = this.vmas[at + 1];
    if (next && canMerge(cur, next)) {
      cur.end = next.end;
      this.vmas.splice(at + 1, 1);
    }
    return cur;
  }

  splitAt(addr: number): void {
    const v = this.findOwnVma(addr);
    if (!v || v.start === addr) return;
    this.lastVma = null;
    const tail: Vma = { ...v, start: addr, pgoff: v.pgoff + (addr - v.start) / PAGE_SIZE };
    v.end = addr;
    this.vmas.splice(this.vmas.indexOf(v) + 1, 0, tail);
  }

  mergeAround(start: number, end: number): void {
    this.lastVma = null;
    for (let i = Math.max(0, this.indexAfter(start) - 1); i + 1 < this.vmas.length; ) {
      const a = this.vmas[i]!, b = this.vmas[i + 1]!;
      if (a.start > end) break;
      if (canMerge(a, b)) {
        a.end = b.end;
        this.vmas.splice(i + 1, 1);
      } else {
        i++;
      }
    }
  }

  unmapRange(start: number, end: number): void {
    this.splitAt(start);
    this.splitAt(end);
    this.lastVma = null;
    this.tlbGeneration++;
    const i = this.indexAfter(start);
    let j = i;
    while (j < this.vmas.length && this.vmas[j]!.start < end) j++;
    for (const v of this.vmas.splice(i, j - i)) if (!v.shm) this.dropPages(v.start, v.end);
  }

  /** Frees the private pages of [start, end) (zap_page_range()). */
  private dropPages(start: number, end: number): void {
    const first = start / PAGE_SIZE, last = end / PAGE_SIZE;
    const pages = this.ownPages();
    if (pages.size < last - first) {
      for (const [pfn, p] of pages) if (pfn >= first && pfn < last) { p.refs--; pages.delete(pfn); }
    } else {
      for (let pfn = first; pfn < last; pfn++) {
        const p = pages.get(pfn);
        if (p) { p.refs--; pages.delete(pfn); }
      }
    }
  }

  dup(id: number): MmStruct {
    const mm = new MmStruct(id, this.layout, this.nommu);
    mm.startData = this.startData;
    mm.endData = this.endData;
    mm.startBrk = this.startBrk;
    mm.brk = this.brk;
    mm.startStack = this.startStack;
    mm.argStart = this.argStart;
    mm.argEnd = this.argEnd;
    mm.envStart = this.envStart;
    mm.envEnd = this.envEnd;
    if (this.nommu) return mm;
    mm.vmas = this.vmas.map((v) => ({ ...v }));
    mm.table = this.table;
    this.table.users++;
    // The parent's private pages are copy-on-write now: its next store must come back through translate().
    this.tlbGeneration++;
    for (const v of mm.vmas) if (v.flags & VM_WIPEONFORK) mm.dropPages(v.start, v.end);
    return mm;
  }

  release(): void {
    if (--this.users > 0) return;
    this.lastVma = null;
    this.tlbGeneration++;
    if (this.nommu) {
      for (const v of this.vmas) if (!v.shm) this.dropPages(v.start, v.end);
      this.nommu.mms.delete(this);
    } else if (--this.table.users === 0) {
      for (const p of this.table.map.values()) p.refs--;
      this.table.map.clear();
    }
    this.vmas = [];
  }
}

/** is_data_mapping(): private, writable, not a stack: what RLIMIT_DATA limits. */
export function isDataMapping(flags: number): boolean {
  return (flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) === VM_WRITE;
}

function canMerge(a: Vma, b: Vma): boolean {
  if (a.end !== b.start || a.flags !== b.flags || a.name !== b.name || a.shm !== b.shm) return false;
  return !a.shm || a.pgoff + (a.end - a.start) / PAGE_SIZE === b.pgoff;
}

/** put_user() of a C int: false (nothing written) where the address is not writable. */
export function putUserInt(mm: mm_types.MmStruct, addr: number, value: number): boolean {
  return mm.putInt32(addr, value);
}

/** put_user() of an unsigned long (all 64 bits): false where the address is not writable. */
export function putUserLong(mm: mm_types.MmStruct, addr: number, value: bigint): boolean {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  return mm.write(addr, b);
}

/**
 * strncpy_from_user for path names: the NUL-terminated string at addr, at most max bytes
 * including the NUL, as a string of one char per byte (latin1). Returns -EFAULT for an
 * unreadable byte, or null when no NUL came within max (the caller's ENAMETOOLONG).
 */
export function strncpyFromUser(mm: mm_types.MmStruct, addr: number, max: number): string | number | null {
  const bytes: number[] = [];
  for (let a = addr; bytes.length < max; ) {
    const n = mm.accessibleLength(a, Math.min(max - bytes.length, PAGE_SIZE - (a % PAGE_SIZE)), PROT_READ);
    if (n === 0) return -EFAULT;
    const chunk = mm.read(a, n)!;
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      for (let i = 0; i < nul; i++) bytes.push(chunk[i]!);
      // One char per byte (latin1): names are byte strings, so NAME_MAX counts bytes and
      // bytes that are not UTF-8 stay distinct (probes: a name of 128 two-byte characters
      // gave ENAMETOOLONG; /tmp/\xfe was not /tmp/\xff).
      return Buffer.from(bytes).toString("latin1");
    }
    for (const b of chunk) bytes.push(b);
    a += chunk.length;
  }
  return null;
}
