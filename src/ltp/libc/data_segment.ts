/**
 * Layout of the data segment: the libc's statics first, then the heap. Everything the libc
 * keeps lives here, in the process's memory, so fork copies it and CLONE_VM shares it.
 */
import type { UserProcess } from "../../targets/target.js";
import { job } from "../context.js";
import { peekInt, pokeInt } from "./memory.js";

/** The heap's break, for malloc(). */
export const BRK_SLOT = 0;
/** char **environ */
export const ENVIRON_SLOT = 8;
/** The argv and argc the C runtime found on the stack. */
export const ARGV_SLOT = 16;
export const ARGC_SLOT = 24;
/** How deep in nested signal handlers the process is (0 in its main code). */
const HANDLER_DEPTH_SLOT = 32;
const SCRATCH = 64;
/** Room for a siginfo_t (128 bytes) or a struct rlimit, for calls with out-parameters. */
const OUT_BUF = 256;
const PATH_BUF = 4096;
/** Where the heap begins, past the statics and the main program's scratch. */
export const HEAP_START = 8192;
export const PATH_MAX = 4096;
/**
 * The library's per-call scratch (SCRATCH up to HEAP_START) is what a C function would keep
 * on its stack. A signal handler gets its own copy, taken from the top of the data segment,
 * so it cannot clobber what the code it interrupted is about to read back; handlers nest at
 * most this deep.
 */
const SCRATCH_SIZE = HEAP_START;
const MAX_HANDLER_DEPTH = 32;

function heapBase(p: UserProcess): number {
  return p.heap.start;
}

/** The address of one of the libc's statics (BRK_SLOT, ENVIRON_SLOT...) in the running process. */
export function libcStatic(slot: number): number {
  return heapBase(job().target.current()) + slot;
}

/** Where the heap ends, as an offset in the data segment: the handlers' scratch lies above. */
export function heapEnd(p: UserProcess): number {
  return p.heap.size - MAX_HANDLER_DEPTH * SCRATCH_SIZE;
}

/** The scratch area of the running code: the main program's, or its innermost handler's. */
function scratchBase(p: UserProcess): number {
  const depth = p.memory.getInt32(heapBase(p) + HANDLER_DEPTH_SLOT) ?? 0;
  return depth === 0 ? heapBase(p) : heapBase(p) + p.heap.size - depth * SCRATCH_SIZE;
}

/** A signal handler starts: the library's scratch moves below the interrupted code's. */
export function enterHandler(): void {
  const slot = libcStatic(HANDLER_DEPTH_SLOT);
  const depth = peekInt(slot);
  if (depth >= MAX_HANDLER_DEPTH) throw new Error(`signal handlers nested deeper than ${MAX_HANDLER_DEPTH}`);
  pokeInt(slot, depth + 1);
}

/** The handler returns: the interrupted code's scratch is in use again. */
export function leaveHandler(): void {
  const slot = libcStatic(HANDLER_DEPTH_SLOT);
  pokeInt(slot, peekInt(slot) - 1);
}

/** A 4-byte scratch word in the data segment, for out-parameters like wait4's status. */
export function scratchWord(): number {
  return scratchBase(job().target.current()) + SCRATCH;
}

/** The data segment's room for a call's out-parameter (PATH_BUF - OUT_BUF bytes: siginfo_t, struct rlimit, user_regs_struct...). */
export function outBuffer(): number {
  return scratchBase(job().target.current()) + OUT_BUF;
}

/** The data segment's room for a path argument of up to PATH_MAX bytes. */
export function pathBuffer(): number {
  return scratchBase(job().target.current()) + PATH_BUF;
}
