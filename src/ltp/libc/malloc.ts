/**
 * malloc() and friends: a bump allocator whose break lives in the process's own memory, so
 * fork copies it and CLONE_VM shares it, as with a real heap.
 */
import { job } from "../context.js";
import { BRK_SLOT, HEAP_START, heapEnd } from "./data_segment.js";
import { peekU64, pokeU64 } from "./memory.js";

/** malloc(): `size` bytes, 16-byte aligned; 0 when the segment is full. */
export function malloc(size: number): number {
  const p = job().target.current();
  const base = p.heap.start;
  const used = peekU64(base + BRK_SLOT) || HEAP_START;
  const start = (used + 15) & ~15;
  if (start + size > heapEnd(p)) return 0;
  pokeU64(base + BRK_SLOT, start + size);
  return base + start;
}

/** free(): the bump allocator never reuses memory, so nothing to do. */
export function free(_addr: number): void {}

/** memalign(): size bytes at a multiple of alignment (a power of two), from the heap; 0 when it is full. */
export function memalign(alignment: number, size: number): number {
  const raw = malloc(size + alignment);
  return raw ? Math.ceil(raw / alignment) * alignment : 0;
}
