import { closeSync, openSync, readSync, writeSync, constants } from "node:fs";
import type { UserMemory } from "../target.js";

/** The user half of the x86-64 and riscv64 (sv48) address spaces: nothing above is a user address. */
const USER_ADDRESS_LIMIT = 2 ** 47;
const MAPS_CHUNK = 64 * 1024;

/** One line of /proc/<tid>/maps: [start, end) and whether it may be read, written. */
interface Vma {
  readonly start: number;
  readonly end: number;
  readonly read: boolean;
  readonly write: boolean;
}

function parseMaps(text: string): Vma[] {
  const vmas: Vma[] = [];
  for (const line of text.split("\n")) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) ([r-])([w-])/.exec(line);
    if (m) vmas.push({ start: parseInt(m[1]!, 16), end: parseInt(m[2]!, 16), read: m[3] === "r", write: m[4] === "w" });
  }
  return vmas;
}

/**
 * A process's memory as its own code sees it, read and written from outside through
 * /proc/<tid>/mem: the process need not run (it may be stopped by a signal or a tracer) for
 * the runner to touch it. /proc/<tid>/mem ignores protections (FOLL_FORCE: PROT_NONE pages
 * read, read-only ones take writes), so each access is first checked against the mappings'
 * permissions in /proc/<tid>/maps, as the MMU would check a load or a store. The maps are
 * read again after anything may have changed them: `generation` moves on with every message
 * from any task of the job (a system call ran).
 */
export class ProcessMemory implements UserMemory {
  private readonly memFd: number = -1;
  private readonly mapsFd: number = -1;
  private vmas: Vma[] = [];
  private vmasGeneration = -1;
  private closed = false;
  /** Where the last refused access would have faulted first (what a fault's si_addr says). */
  lastFault: { readonly addr: number; readonly at: number } | null = null;

  /** A process already gone (killed before the runner heard from it) has no memory to open: every access fails. */
  constructor(procDir: string, private readonly generation: () => number) {
    try {
      this.memFd = openSync(`${procDir}/mem`, constants.O_RDWR);
      this.mapsFd = openSync(`${procDir}/maps`, constants.O_RDONLY);
    } catch {
      this.close();
    }
  }

  /** The process is gone: every access fails from now on (the descriptors' numbers go to others). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fd of [this.memFd, this.mapsFd]) if (fd >= 0) closeSync(fd);
  }

  read(addr: number, len: number): Uint8Array | null {
    if (this.closed || !this.allowed(addr, len, "read")) return null;
    const b = Buffer.alloc(len);
    return this.transfer(() => readSync(this.memFd, b, 0, len, addr), len) ? new Uint8Array(b.buffer, b.byteOffset, len) : null;
  }

  write(addr: number, data: Uint8Array): boolean {
    if (this.closed || !this.allowed(addr, data.length, "write")) return false;
    return this.transfer(() => writeSync(this.memFd, data, 0, data.length, addr), data.length);
  }

  getInt32(addr: number): number | null {
    const b = this.read(addr, 4);
    return b ? new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true) : null;
  }

  putInt32(addr: number, value: number): boolean {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, value | 0, true);
    return this.write(addr, b);
  }

  /** The whole length moved, or nothing usable (the process is gone, or a page went away). */
  private transfer(io: () => number, len: number): boolean {
    if (len === 0) return true;
    try {
      return io() === len;
    } catch {
      return false;
    }
  }

  /** Every byte of [addr, addr+len) is in mappings that allow the access; else lastFault is set. */
  private allowed(addr: number, len: number, access: "read" | "write"): boolean {
    if (len === 0) return true;
    if (!Number.isSafeInteger(addr) || addr < 0 || addr + len > USER_ADDRESS_LIMIT) {
      this.lastFault = { addr, at: addr };
      return false;
    }
    const vmas = this.mappings();
    let at = addr;
    for (const v of vmas) {
      if (v.end <= at) continue;
      if (v.start > at || !v[access]) break;
      at = v.end;
      if (at >= addr + len) return true;
    }
    this.lastFault = { addr, at };
    return false;
  }

  private mappings(): Vma[] {
    const g = this.generation();
    if (g !== this.vmasGeneration) {
      this.vmas = parseMaps(this.readMaps());
      this.vmasGeneration = g;
    }
    return this.vmas;
  }

  /** /proc/<tid>/maps from its start: a seq_file makes it anew for a read at offset 0. */
  private readMaps(): string {
    const chunks: Buffer[] = [];
    let pos = 0;
    try {
      for (;;) {
        const b = Buffer.alloc(MAPS_CHUNK);
        const n = readSync(this.mapsFd, b, 0, b.length, pos);
        if (n <= 0) break;
        chunks.push(b.subarray(0, n));
        pos += n;
      }
    } catch {
      return "";
    }
    return Buffer.concat(chunks).toString("latin1");
  }
}
