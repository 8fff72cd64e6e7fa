/**
 * What an instruction works on: the registers of the task the CPU is running (int32 halves, see
 * regs.ts), RFLAGS, and user memory through a TLB, with the exceptions of a CPL-3 access
 * (4-level paging: 48-bit canonical addresses).
 *
 * Addresses travel as int32 halves too (lo, hi), never as one number: values at or above 2^31
 * passed to a function that V8 does not inline would be boxed, and user addresses are mostly
 * there. A user process maps only the lower canonical half, [0, 2^47) (hi in [0, 0x8000)); an
 * access elsewhere faults: #GP (#SS through the stack) when non-canonical, #PF in the kernel's
 * upper half.
 *
 * Loads and stores check everything before they change anything, so a faulting instruction that
 * makes its loads and its one store before it writes a register has no effect at all, as on the
 * real CPU. An access that crosses a page boundary checks both pages first; the fault address is
 * the first byte that failed (the CR2 Linux reports as si_addr).
 */
import { big, Reg, type X86Regs } from "./regs.js";
import { Page, Prot, type CpuMemory, type CpuPage } from "./memory.js";
import {
  CpuFault, fault, ILL_ILLOPN, SEGV_ACCERR, SEGV_MAPERR, SI_KERNEL, X86_TRAP_GP, X86_TRAP_PF, X86_TRAP_SS, X86_TRAP_UD,
  type FaultReason,
} from "./results.js";

/**
 * What running an instruction (its handler, insn.fn) returns: where execution goes on, or why it
 * stops. Small integers, so that V8 never boxes them. A handler that faults throws (a CpuFault)
 * before it changes any register.
 */
export const enum X {
  /** Completed; the next instruction follows (rip = insn.next). */
  NEXT = 0,
  /** Completed; a relative branch was taken (rip = insn.target). */
  TAKEN = 1,
  /** Completed; an indirect branch (rip = the CPU's jumpTo). */
  JUMP = 2,
  /** Completed, and rip (in the registers, exactly) is outside the lower half: the fetch there faults. */
  FAR = 3,
  /** Completed instructions that need the caller; rip = insn.next. */
  SYSCALL = 4, INT3 = 5, INT1 = 6,
}

/** A memory operand as the decoder leaves it (an Insn): base and index registers (-1: none), scale, displacement. */
export interface MemoryOperand {
  readonly base: number;
  readonly index: number;
  /** log2 of the scale. */
  readonly scale: number;
  /** The displacement as a 64-bit constant, in int32 halves. */
  readonly dispLo: number;
  readonly dispHi: number;
}

/** Address arithmetic constants. */
export const enum Addr {
  TWO32 = 4294967296,
  /** The end of the lower canonical half: user addresses are below it. */
  LOW_END = 0x800000000000,
  /** Bits 63:32 (unsigned) of the lower half's addresses are below this. */
  LOW_HI_END = 0x8000,
  /** Bits 63:32 (unsigned) of the upper (kernel) canonical half's addresses are at least this. */
  HIGH_HI_START = 0xffff8000,
  /** Pages per 2^32 bytes: pfn = hi * PAGES_PER_HI + (lo >>> 12). */
  PAGES_PER_HI = 1048576,
}

const enum Tlb { SIZE = 256, MASK = 255 }
const NO_VIEW = new DataView(new ArrayBuffer(0));
const NO_DATA = new Uint8Array(0);

export class CpuCore {
  /** The registers being run, and their halves (rip is kept by the run loop until it stops). */
  regs!: X86Regs;
  lo = new Int32Array(0);
  hi = new Int32Array(0);
  /** RFLAGS while running. */
  flags = 0;
  /** The value of the last load, as int32 halves (hi 0 below 64 bits; 16 bits zero-extended). */
  vlo = 0;
  vhi = 0;
  /** The last effective address (ea()), as int32 halves, modulo 2^64. */
  eaLo = 0;
  eaHi = 0;
  /** Where an indirect branch goes (its handler returns X.JUMP). */
  jumpTo = 0;
  /** In a compiled block: the index of the instruction that may fault next (block.ts). */
  pos = 0;

  /* Direct-mapped TLBs of page number -> bytes, for loads and for stores. */
  private readonly rTag = new Float64Array(Tlb.SIZE).fill(-1);
  private readonly rView: DataView[] = new Array<DataView>(Tlb.SIZE).fill(NO_VIEW);
  private readonly wTag = new Float64Array(Tlb.SIZE).fill(-1);
  private readonly wView: DataView[] = new Array<DataView>(Tlb.SIZE).fill(NO_VIEW);
  /** The stored-to page is executable: stores there invalidate decoded instructions. */
  private readonly wExec = new Uint8Array(Tlb.SIZE);
  private readonly wData: Uint8Array[] = new Array<Uint8Array>(Tlb.SIZE).fill(NO_DATA);
  /** The memory's generations this CPU's caches reflect. */
  protected tlbSeen: number;
  protected codeSeen: number;

  constructor(readonly mem: CpuMemory) {
    this.tlbSeen = mem.tlbGeneration;
    this.codeSeen = mem.codeGeneration;
  }

  /** A store into executable page pfn (now holding `data`): the subclass drops the decoded instructions it overlaps. */
  protected codeStored(_pfn: number, _data: Uint8Array, _off: number, _len: number): void {}
  /** The memory's bytes changed under the decoded instructions. */
  protected codeChanged(): void {}

  /** Takes over `regs` for a run, and catches up with changes to the memory made meanwhile. */
  protected enter(regs: X86Regs): void {
    this.regs = regs;
    this.lo = regs.lo;
    this.hi = regs.hi;
    this.flags = regs.rflags;
    const mem = this.mem;
    if (mem.tlbGeneration !== this.tlbSeen) this.flushTlb();
    if (mem.codeGeneration !== this.codeSeen) {
      this.codeSeen = mem.codeGeneration;
      this.codeChanged();
    }
  }

  private flushTlb(): void {
    this.rTag.fill(-1);
    this.wTag.fill(-1);
    this.tlbSeen = this.mem.tlbGeneration;
  }

  /** mem.translate(), flushing the TLB when the walk changed translations (a COW break). */
  protected translate(pfn: number, write: boolean): CpuPage | null {
    const mem = this.mem;
    const g = mem.tlbGeneration;
    const page = mem.translate(pfn, write);
    if (mem.tlbGeneration !== g) this.flushTlb();
    return page;
  }

  /* ---- addresses ---- */

  /** The effective address of memory operand `i` (base + index * scale + disp, modulo 2^64), into eaLo/eaHi. */
  ea(i: MemoryOperand): void {
    let lo = i.dispLo >>> 0;
    let hi = i.dispHi;
    const lr = this.lo, hr = this.hi;
    const b = i.base;
    if (b >= 0) {
      lo += lr[b]! >>> 0;
      hi += hr[b]!;
    }
    const x = i.index;
    if (x >= 0) {
      const m = 1 << i.scale;
      lo += (lr[x]! >>> 0) * m;
      hi += hr[x]! * m;
    }
    this.eaLo = lo | 0;
    this.eaHi = (hi + Math.floor(lo / Addr.TWO32)) | 0;
  }

  /* ---- loads and stores of 16/32/64 bits at (lo, hi); `ss`: addressed through the stack segment ---- */

  load(lo: number, hi: number, size: number, ss: boolean): void {
    if (hi >>> 0 >= Addr.LOW_HI_END) throw this.badAddress(lo, hi, ss, "read");
    const off = lo & Page.MASK;
    if (off > Page.SIZE - (size >> 3)) return this.loadSplit(lo, hi, size, ss);
    const pn = lo >>> Page.SHIFT;
    const pfn = hi * Addr.PAGES_PER_HI + pn;
    const t = pn & Tlb.MASK;
    const v = this.rTag[t] === pfn ? this.rView[t]! : this.fillRead(pfn, lo, hi);
    if (size === 64) {
      this.vlo = v.getInt32(off, true);
      this.vhi = v.getInt32(off + 4, true);
    } else {
      this.vlo = size === 32 ? v.getInt32(off, true) : v.getUint16(off, true);
      this.vhi = 0;
    }
  }

  store(lo: number, hi: number, size: number, ss: boolean, vlo: number, vhi: number): void {
    if (hi >>> 0 >= Addr.LOW_HI_END) throw this.badAddress(lo, hi, ss, "write");
    const off = lo & Page.MASK;
    if (off > Page.SIZE - (size >> 3)) return this.storeSplit(lo, hi, size, ss, vlo, vhi);
    const pn = lo >>> Page.SHIFT;
    const pfn = hi * Addr.PAGES_PER_HI + pn;
    const t = pn & Tlb.MASK;
    const v = this.wTag[t] === pfn ? this.wView[t]! : this.fillWrite(pfn, lo, hi);
    if (size === 64) {
      v.setInt32(off, vlo, true);
      v.setInt32(off + 4, vhi, true);
    } else if (size === 32) {
      v.setInt32(off, vlo, true);
    } else {
      v.setUint16(off, vlo, true);
    }
    if (this.wExec[t]) this.codeStored(pfn, this.wData[t]!, off, size >> 3);
  }

  /* The slow paths work on the address as one number (exact: it is below 2^47). */

  /** A load whose bytes lie on two pages: both are checked, then read byte by byte. */
  private loadSplit(lo: number, hi: number, size: number, ss: boolean): void {
    const n = size >> 3;
    const a = hi * Addr.TWO32 + (lo >>> 0);
    if (a + n > Addr.LOW_END) throw this.nonCanonical(ss, a);
    let vlo = 0;
    let vhi = 0;
    for (let k = 0; k < n; k++) {
      const b = this.byteView(a + k, false).getUint8((a + k) % Page.SIZE);
      if (k < 4) vlo |= b << (8 * k);
      else vhi |= b << (8 * (k - 4));
    }
    this.vlo = vlo;
    this.vhi = vhi;
  }

  private storeSplit(lo: number, hi: number, size: number, ss: boolean, vlo: number, vhi: number): void {
    const n = size >> 3;
    const a = hi * Addr.TWO32 + (lo >>> 0);
    if (a + n > Addr.LOW_END) throw this.nonCanonical(ss, a);
    this.byteView(a, true);
    this.byteView(a - (a % Page.SIZE) + Page.SIZE, true); // both pages writable before any byte changes
    for (let k = 0; k < n; k++) {
      const at = a + k;
      this.byteView(at, true).setUint8(at % Page.SIZE, (k < 4 ? vlo >>> (8 * k) : vhi >>> (8 * (k - 4))) & 0xff);
      const pfn = Math.floor(at / Page.SIZE);
      const t = pfn & Tlb.MASK;
      if (this.wExec[t]) this.codeStored(pfn, this.wData[t]!, at % Page.SIZE, 1);
    }
  }

  /** The TLB's view of the page holding address `a`, for reading or writing. */
  private byteView(a: number, write: boolean): DataView {
    const pfn = Math.floor(a / Page.SIZE);
    const t = pfn & Tlb.MASK;
    const lo = a % Addr.TWO32 | 0, hi = Math.floor(a / Addr.TWO32);
    if (write) return this.wTag[t] === pfn ? this.wView[t]! : this.fillWrite(pfn, lo, hi);
    return this.rTag[t] === pfn ? this.rView[t]! : this.fillRead(pfn, lo, hi);
  }

  /**
   * The page for an access at address `at` of page pfn, or the page fault: SEGV_MAPERR where
   * nothing is mapped, SEGV_ACCERR where the mapping does not allow the access.
   */
  protected pageFor(pfn: number, access: "fetch" | "read" | "write", at: number): CpuPage {
    const page = this.translate(pfn, access === "write");
    const need = access === "write" ? Prot.WRITE : access === "read" ? Prot.READ : Prot.EXEC;
    if (page === null || !(page.prot & need)) throw this.pageFault(at, access, page === null ? SEGV_MAPERR : SEGV_ACCERR);
    return page;
  }

  private fillRead(pfn: number, lo: number, hi: number): DataView {
    const v = viewOf(this.pageFor(pfn, "read", hi * Addr.TWO32 + (lo >>> 0)).data);
    const t = pfn & Tlb.MASK;
    this.rTag[t] = pfn;
    this.rView[t] = v;
    return v;
  }

  private fillWrite(pfn: number, lo: number, hi: number): DataView {
    const page = this.pageFor(pfn, "write", hi * Addr.TWO32 + (lo >>> 0));
    const v = viewOf(page.data);
    const t = pfn & Tlb.MASK;
    this.wTag[t] = pfn;
    this.wView[t] = v;
    this.wExec[t] = page.prot & Prot.EXEC ? 1 : 0;
    this.wData[t] = page.data;
    if (page.prot & Prot.READ) {
      // loads must see these bytes from now on (the read translation may have been a zero page)
      this.rTag[t] = pfn;
      this.rView[t] = v;
    }
    return v;
  }

  /* ---- faults (each returns the CpuFault for the caller to throw) ---- */

  pageFault(a: number | bigint, access: "fetch" | "read" | "write", code: number): CpuFault {
    return new CpuFault(fault("SIGSEGV", code, BigInt(a), "pagefault", X86_TRAP_PF, undefined, access));
  }

  /** #GP: SIGSEGV SI_KERNEL, si_addr 0. */
  gp(detail: string, reason: FaultReason = "gp"): CpuFault {
    return new CpuFault(fault("SIGSEGV", SI_KERNEL, 0n, reason, X86_TRAP_GP, detail));
  }

  /** #SS or #GP for a non-canonical data address (SDM vol. 1 3.7.4: rsp/rbp bases use SS). */
  nonCanonical(ss: boolean, a: bigint | number): CpuFault {
    const what = `non-canonical ${ss ? "stack " : ""}address 0x${a.toString(16)}`;
    if (!ss) return this.gp(what);
    return new CpuFault(fault("SIGBUS", SI_KERNEL, 0n, "ss", X86_TRAP_SS, what));
  }

  /**
   * An access outside the lower half: #GP/#SS when non-canonical, else a page fault (the upper
   * half is the kernel's; Linux reports SEGV_MAPERR there).
   */
  private badAddress(lo: number, hi: number, ss: boolean, access: "read" | "write"): CpuFault {
    if (hi >>> 0 < Addr.HIGH_HI_START) return this.nonCanonical(ss, big(lo, hi));
    return this.pageFault(big(lo, hi), access, SEGV_MAPERR);
  }

  /** The fault of a fetch from rip (a number, or -1 for the exact value in regs) outside the lower half. */
  fetchFault(ip: number): CpuFault {
    if (ip >= 0) return this.gp(`non-canonical rip 0x${ip.toString(16)}`);
    const hi = this.regs.hi[Reg.RIP]!;
    const rip = big(this.regs.lo[Reg.RIP]!, hi);
    if (hi >>> 0 < Addr.HIGH_HI_START) return this.gp(`non-canonical rip 0x${rip.toString(16)}`);
    return this.pageFault(rip, "fetch", SEGV_MAPERR);
  }

  /** #UD: SIGILL ILL_ILLOPN at the instruction. */
  illegal(addr: number, reason: FaultReason, detail?: string): CpuFault {
    return new CpuFault(fault("SIGILL", ILL_ILLOPN, BigInt(addr), reason, X86_TRAP_UD, detail));
  }

  /** Completes a branch to an upper-half address, which rip keeps exactly (the fetch there faults). */
  farRip(lo: number, hi: number): number {
    this.regs.lo[Reg.RIP] = lo;
    this.regs.hi[Reg.RIP] = hi;
    return X.FAR;
  }
}

/** A DataView of a page's bytes. */
function viewOf(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, Page.SIZE);
}
