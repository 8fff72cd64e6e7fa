import { EFAULT } from "../include/uapi/errno.js";

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

/** Page protections, include/uapi/asm-generic/mman-common.h. */
export const PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;

/** A mapped range: [start, end) with protections; the vm_area_struct of this emulator. */
export interface Vma {
  start: number;
  end: number;
  prot: number;
  readonly name: string;
}

/**
 * An address space (struct mm_struct): mappings and the pages behind them. Pages are
 * materialised on first touch (zero-filled), as anonymous memory is. fork() copies it
 * (dup_mmap); CLONE_VM shares it.
 */
export class MmStruct {
  readonly vmas: Vma[] = [];
  private readonly pages = new Map<number, Uint8Array>();
  /** mm_users: the tasks that use this address space. */
  users = 1;

  constructor(readonly id: number) {}

  findVma(addr: number): Vma | undefined {
    for (const v of this.vmas) if (addr >= v.start && addr < v.end) return v;
    return undefined;
  }

  /** Maps [start, start+len) (page aligned); the caller checks for overlaps. */
  map(start: number, len: number, prot: number, name: string): Vma {
    const vma = { start, end: start + Math.ceil(len / PAGE_SIZE) * PAGE_SIZE, prot, name };
    this.vmas.push(vma);
    this.vmas.sort((a, b) => a.start - b.start);
    return vma;
  }

  private page(pfn: number): Uint8Array {
    let p = this.pages.get(pfn);
    if (!p) this.pages.set(pfn, (p = new Uint8Array(PAGE_SIZE)));
    return p;
  }

  /** True when every byte of [addr, addr+len) is mapped with `prot`. */
  accessOk(addr: number, len: number, prot: number): boolean {
    if (!Number.isSafeInteger(addr) || addr < 0 || len < 0) return false;
    let a = addr;
    const end = addr + len;
    while (a < end) {
      const v = this.findVma(a);
      if (!v || (v.prot & prot) !== prot) return false;
      a = v.end;
    }
    return true;
  }

  /** copy_from_user: the bytes, or null where any of them is not readable (EFAULT). */
  read(addr: number, len: number): Uint8Array | null {
    if (!this.accessOk(addr, len, PROT_READ)) return null;
    const out = new Uint8Array(len);
    for (let done = 0; done < len; ) {
      const a = addr + done;
      const off = a % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - off, len - done);
      const p = this.pages.get(Math.floor(a / PAGE_SIZE));
      if (p) out.set(p.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }

  /** copy_to_user: false where any byte is not writable (EFAULT); nothing is written then. */
  write(addr: number, data: Uint8Array): boolean {
    if (!this.accessOk(addr, data.length, PROT_WRITE)) return false;
    for (let done = 0; done < data.length; ) {
      const a = addr + done;
      const off = a % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - off, data.length - done);
      this.page(Math.floor(a / PAGE_SIZE)).set(data.subarray(done, done + n), off);
      done += n;
    }
    return true;
  }

  /** dup_mmap: a private copy of every mapping and page, for fork(). */
  dup(id: number): MmStruct {
    const mm = new MmStruct(id);
    for (const v of this.vmas) mm.vmas.push({ ...v });
    for (const [pfn, p] of this.pages) mm.pages.set(pfn, p.slice());
    return mm;
  }
}

/** put_user() of a C int: false (nothing written) where the address is not writable. */
export function putUserInt(mm: MmStruct, addr: number, value: number): boolean {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, value, true);
  return mm.write(addr, b);
}

/**
 * strncpy_from_user for path names: the NUL-terminated string at addr, at most max bytes
 * including the NUL, as a string of one char per byte (latin1). Returns -EFAULT for an
 * unreadable byte, or null when no NUL came within max (the caller's ENAMETOOLONG).
 */
export function strncpyFromUser(mm: MmStruct, addr: number, max: number): string | number | null {
  const bytes: number[] = [];
  for (let a = addr; bytes.length < max; ) {
    const v = mm.findVma(a);
    if (!v || (v.prot & PROT_READ) === 0 || !Number.isSafeInteger(a) || a < 0) return -EFAULT;
    const chunk = mm.read(a, Math.min(v.end - a, max - bytes.length, PAGE_SIZE - (a % PAGE_SIZE)))!;
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
