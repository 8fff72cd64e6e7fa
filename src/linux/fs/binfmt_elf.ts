import type { Arch } from "../arch/arch.js";
import type { MmStruct } from "../include/linux/mm_types.js";
import {
  PAGE_SIZE, VM_ACCOUNT, VM_GROWSDOWN, VM_MAYEXEC, VM_MAYREAD, VM_MAYWRITE, VM_READ, VM_WRITE,
} from "../mm/mm.js";

/** What execve() is given: the argument vector and the environment. */
export interface ProgramImage {
  readonly argv: readonly string[];
  readonly envp: readonly string[];
}

/** The stack exec sets up: 128 KiB (it grows on demand in Linux; not here). */
const STACK_SIZE = 128 << 10;
/** Auxiliary vector keys, include/uapi/linux/auxvec.h. */
const AT_NULL = 0, AT_PAGESZ = 6, AT_RANDOM = 25, AT_EXECFN = 31;

const DATA_FLAGS = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT;

/**
 * What load_elf_binary() leaves in a fresh mm: the data segment (with the heap's break right
 * after it) and a stack whose top holds, from high to low, the executable's name, the
 * environment and argument strings, 16 random bytes, then (16-byte aligned, at the initial
 * stack pointer mm->start_stack) argc, argv[], NULL, envp[], NULL and the auxiliary vector,
 * as create_elf_tables() writes them. arg_start..arg_end and env_start..env_end bracket the
 * strings (what /proc/PID/cmdline and environ read).
 */
export function setupProgramImage(mm: MmStruct, arch: Arch, image: ProgramImage, dataStart: number, dataSize: number): void {
  mm.insertVma({ start: dataStart, end: dataStart + dataSize, flags: DATA_FLAGS, name: "[data]", shm: null, pgoff: dataStart / PAGE_SIZE });
  mm.startData = dataStart;
  mm.endData = dataStart + dataSize;
  mm.startBrk = mm.brk = mm.endData;

  const top = arch.stackTop;
  const base = top - STACK_SIZE;
  mm.insertVma({ start: base, end: top, flags: DATA_FLAGS | VM_GROWSDOWN, name: "[stack]", shm: null, pgoff: base / PAGE_SIZE });
  const bytes = (s: string) => Buffer.from(s + "\0", "utf8");
  const argv = image.argv.map(bytes);
  const envp = image.envp.map(bytes);
  const execfn = bytes(image.argv[0] ?? "");
  // bprm->p starts one pointer below the top; copy_strings() fills downwards.
  let p = top - 8 - execfn.length;
  mm.write(p, execfn);
  const execfnAt = p;
  const place = (list: Buffer[]): number[] => {
    const total = list.reduce((n, b) => n + b.length, 0);
    p -= total;
    const at: number[] = [];
    let q = p;
    for (const b of list) { mm.write(q, b); at.push(q); q += b.length; }
    return at;
  };
  const envAt = place(envp);
  mm.envStart = envAt[0] ?? p;
  mm.envEnd = execfnAt;
  const argAt = place(argv);
  mm.argStart = argAt[0] ?? p;
  mm.argEnd = mm.envStart;
  p -= p % 16;
  p -= 16;
  const random = p;
  mm.write(random, new Uint8Array(16).map((_, i) => (i * 167 + 13) & 0xff));
  const auxv = [AT_PAGESZ, PAGE_SIZE, AT_RANDOM, random, AT_EXECFN, execfnAt, AT_NULL, 0];
  const words = [argv.length, ...argAt, 0, ...envAt, 0, ...auxv];
  let sp = p - words.length * 8;
  sp -= sp % 16;
  const table = new Uint8Array(words.length * 8);
  const view = new DataView(table.buffer);
  words.forEach((w, i) => view.setBigUint64(i * 8, BigInt(w), true));
  mm.write(sp, table);
  mm.startStack = sp;
}
