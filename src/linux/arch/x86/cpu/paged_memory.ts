/**
 * A CpuMemory over a map of pages, with no kernel behind it: for the CPU's tests, benchmarks and
 * tools that run machine code on their own. It also shows the contract of memory.ts in the
 * small: map/unmap/protect move tlbGeneration, poke (a loader's or debugger's write) moves
 * codeGeneration.
 */
import { PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, type CpuMemory, type CpuPage, type FetchMemory } from "./memory.js";

interface Page extends CpuPage {
  prot: number;
}

/** "rwx"-style protection text (any of r, w, x; "-" for none) or PROT_* bits. */
export type ProtSpec = number | string;

function protBits(p: ProtSpec): number {
  if (typeof p === "number") return p;
  return (p.includes("r") ? PROT_READ : 0) | (p.includes("w") ? PROT_WRITE : 0) | (p.includes("x") ? PROT_EXEC : 0);
}

function pageRange(addr: bigint | number, len: number): [number, number] {
  const a = Number(addr);
  return [Math.floor(a / PAGE_SIZE), Math.ceil((a + Math.max(len, 1)) / PAGE_SIZE)];
}

export class PagedMemory implements CpuMemory, FetchMemory {
  tlbGeneration = 0;
  codeGeneration = 0;
  private readonly pages = new Map<number, Page>();

  /** Maps fresh zeroed pages over [addr, addr+len) (at least one page), replacing what was there. */
  map(addr: bigint | number, len: number, prot: ProtSpec): void {
    const [first, end] = pageRange(addr, len);
    for (let p = first; p < end; p++) this.pages.set(p, { prot: protBits(prot), data: new Uint8Array(PAGE_SIZE) });
    this.tlbGeneration++;
  }

  unmap(addr: bigint | number, len: number): void {
    const [first, end] = pageRange(addr, len);
    for (let p = first; p < end; p++) this.pages.delete(p);
    this.tlbGeneration++;
  }

  protect(addr: bigint | number, len: number, prot: ProtSpec): void {
    const [first, end] = pageRange(addr, len);
    for (let p = first; p < end; p++) {
      const pg = this.pages.get(p);
      if (pg) pg.prot = protBits(prot);
    }
    this.tlbGeneration++;
  }

  /** The page holding `a`, which must be mapped (poke and peek are the loader's, not the program's). */
  private at(a: number): Page {
    const pg = this.pages.get(Math.floor(a / PAGE_SIZE));
    if (!pg) throw new RangeError(`PagedMemory: 0x${a.toString(16)} is not mapped`);
    return pg;
  }

  /** Copies bytes in whatever the protection (a loader's or ptrace's write). */
  poke(addr: bigint | number, bytes: Uint8Array): void {
    const a = Number(addr);
    for (let i = 0; i < bytes.length; i++) this.at(a + i).data[(a + i) % PAGE_SIZE] = bytes[i]!;
    this.codeGeneration++;
  }

  peek(addr: bigint | number, len: number): Uint8Array {
    const a = Number(addr);
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = this.at(a + i).data[(a + i) % PAGE_SIZE]!;
    return out;
  }

  translate(pfn: number, _write: boolean): CpuPage | null {
    return this.pages.get(pfn) ?? null;
  }

  codeWritten(_pfn: number): void {
    this.codeGeneration++;
  }

  fetch(addr: bigint, len: number): Uint8Array | null {
    if (addr < 0n || addr + BigInt(len) > 1n << 47n) return null;
    const a = Number(addr);
    for (let p = Math.floor(a / PAGE_SIZE); p * PAGE_SIZE < a + len; p++) {
      const pg = this.pages.get(p);
      if (!pg || !(pg.prot & PROT_EXEC)) return null;
    }
    return this.peek(a, len);
  }
}
