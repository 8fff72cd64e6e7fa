/**
 * LTP's guarded buffers (tst_buffers.h): a buffer placed so that it ends where a PROT_NONE
 * page begins, so a read or write past its end faults at once (the process dies of SIGSEGV)
 * instead of silently touching other data.
 */
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_NONE, PROT_READ, PROT_WRITE } from "../../linux/include/uapi/mman.js";
import { job } from "../context.js";
import { pokeString } from "../libc/memory.js";
import { mmap, mprotect } from "../libc/mman.js";
import { TBROK, TERRNO, TINFO, tst_brk, tst_res } from "./tst_res.js";

const PAGE_SIZE = 4096;
const announced = new WeakSet<object>();

/**
 * tst_alloc(): size bytes ending at a guard page. Without an MMU nothing can be protected
 * (there is no mprotect()), and the buffer is a plain one.
 */
export async function tst_alloc(size: number): Promise<number> {
  const ctx = job();
  if (!announced.has(ctx)) {
    announced.add(ctx);
    tst_res(TINFO, "Test is using guarded buffers");
  }
  const pages = Math.ceil(size / PAGE_SIZE) + 1;
  const area = await mmap(0, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (area === -1) tst_brk(TBROK | TERRNO, `mmap(${pages * PAGE_SIZE}) failed`);
  const guard = area + (pages - 1) * PAGE_SIZE;
  if (ctx.target.kconfig("MMU") === "y" && (await mprotect(guard, PAGE_SIZE, PROT_NONE)) === -1) {
    tst_brk(TBROK | TERRNO, "mprotect() of the guard page failed");
  }
  return guard - size;
}

/** tst_strdup(): the string in a guarded buffer, NUL included. */
export async function tst_strdup(s: string): Promise<number> {
  const addr = await tst_alloc(Buffer.byteLength(s) + 1);
  pokeString(addr, s);
  return addr;
}
