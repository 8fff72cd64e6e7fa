/**
 * The C library the testcases' code calls: glibc's wrappers over the raw system call
 * (-1 and errno on failure), on whichever process is running. Pointers are addresses in the
 * process's emulated memory; strings are copied there the way a C program would hold them.
 */
import { ENOSYS } from "../linux/include/uapi/errno.js";
import { SIGCHLD } from "../linux/include/uapi/signal.js";
import { job, sysno } from "./context.js";
import type { UserProcess } from "./target.js";

const errnos = new WeakMap<UserProcess, number>();

/** errno of the running process. */
export function errno(): number {
  return errnos.get(job().target.current()) ?? 0;
}

export function setErrno(e: number): void {
  errnos.set(job().target.current(), e);
}

/** Linux returns -4095..-1 for errors (IS_ERR_VALUE); glibc turns them into -1 and errno. */
function settle(p: UserProcess, r: number): number {
  if (r < 0 && r >= -4095) {
    errnos.set(p, -r);
    return -1;
  }
  return r;
}

/** A C-visible result: the value, possibly after the task had to block. */
export type SysResult = number | Promise<number>;

/**
 * syscall(2) by name: the raw call with glibc's error convention. A name the arch's table
 * lacks answers -1 with ENOSYS, as LTP's __LTP__NR_INVALID_SYSCALL does.
 */
export function syscall(name: string, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): SysResult {
  const ctx = job();
  const p = ctx.target.current();
  const nr = ctx.numbers.get(name) ?? sysno(name);
  if (nr === undefined) {
    errnos.set(p, ENOSYS);
    return -1;
  }
  const r = p.syscall(nr, a0, a1, a2, a3, a4, a5);
  return typeof r === "number" ? settle(p, r) : r.then((v) => settle(p, v));
}

/* Layout of the data segment: the libc's statics first, then the heap. */
const BRK_SLOT = 0;
const SCRATCH = 64;
const PATH_BUF = 4096;
const HEAP_START = 8192;
const PATH_MAX = 4096;

function heapBase(p: UserProcess): number {
  return p.heap.start;
}

/** A 4-byte scratch word in the data segment, for out-parameters like wait4's status. */
export function scratchWord(): number {
  return heapBase(job().target.current()) + SCRATCH;
}

/**
 * malloc(): a bump allocator whose break lives in the process's own memory, so fork copies
 * it and CLONE_VM shares it, as with a real heap. Returns 0 when the segment is full.
 */
export function malloc(size: number): number {
  const p = job().target.current();
  const base = heapBase(p);
  const slot = p.memory.read(base + BRK_SLOT, 8)!;
  const view = new DataView(slot.buffer);
  const used = Number(view.getBigUint64(0, true)) || HEAP_START;
  const start = (used + 15) & ~15;
  if (start + size > p.heap.size) return 0;
  view.setBigUint64(0, BigInt(start + size), true);
  p.memory.write(base + BRK_SLOT, slot);
  return base + start;
}

/** Copies a string into the path buffer (as a C string literal would sit in memory). */
function cstring(s: string): number {
  const p = job().target.current();
  const bytes = Buffer.from(s + "\0", "utf8");
  // A name longer than PATH_MAX still goes to the kernel, which answers ENAMETOOLONG.
  const addr = bytes.length <= PATH_MAX ? heapBase(p) + PATH_BUF : malloc(bytes.length);
  p.memory.write(addr, bytes);
  return addr;
}

export function peekInt(addr: number): number {
  const b = job().target.current().memory.read(addr, 4);
  if (!b) throw new Error(`segmentation fault reading ${addr.toString(16)}`);
  return new DataView(b.buffer).getInt32(0, true);
}

export function pokeInt(addr: number, v: number): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  if (!job().target.current().memory.write(addr, b)) throw new Error(`segmentation fault writing ${addr.toString(16)}`);
}

export const getpid = (): SysResult => syscall("getpid");
export const getppid = (): SysResult => syscall("getppid");
export const gettid = (): SysResult => syscall("gettid");
export const getuid = (): SysResult => syscall("getuid");
/** pause(2). riscv64 has no pause syscall (glibc uses rt_sigsuspend there, which is not emulated yet). */
export const pause = (): SysResult => syscall("pause");

/** The body of a child process: what runs after fork() returns 0 in C. */
export type ChildBody = () => Promise<number | void> | number | void;

/**
 * clone(flags) whose child runs `entry`: the code a C child would continue with after the
 * call returns 0 in it.
 */
export function cloneProcess(flags: number, entry: () => Promise<void>): SysResult {
  job().target.current().setChildEntry(entry);
  return syscall("clone", flags, 0, 0, 0, 0);
}

/** exit_group(): never returns. */
export function _exit(status: number): Promise<never> {
  return syscall("exit_group", status) as Promise<never>;
}

export const open = (path: string, flags: number, mode = 0): SysResult => syscall("openat", -100, cstring(path), flags, mode);
export const close = (fd: number): SysResult => syscall("close", fd);
export const dup = (fd: number): SysResult => syscall("dup", fd);
export const dup2 = (oldfd: number, newfd: number): SysResult =>
  sysno("dup2") === undefined ? (oldfd === newfd ? fcntlCheck(oldfd) : syscall("dup3", oldfd, newfd, 0)) : syscall("dup2", oldfd, newfd);
export const dup3 = (oldfd: number, newfd: number, flags: number): SysResult => syscall("dup3", oldfd, newfd, flags);
export const mkdir = (path: string, mode: number): SysResult => syscall("mkdirat", -100, cstring(path), mode);
export const chdir = (path: string): SysResult => syscall("chdir", cstring(path));

/** glibc's dup2(fd, fd) where there is no dup2 syscall: it checks fd is open (with fcntl F_GETFL; here dup3 semantics differ, so a close-free probe). */
function fcntlCheck(fd: number): SysResult {
  const r = syscall("dup", fd);
  const settleProbe = (v: number): number | Promise<number> => {
    if (v < 0) return -1;
    const c = close(v);
    return typeof c === "number" ? fd : c.then(() => fd);
  };
  return typeof r === "number" ? settleProbe(r) : r.then(settleProbe);
}

/** wait4(pid, &status, options, NULL), returning the pid (or -1) and the status word. */
export async function waitpid(pid: number, options = 0): Promise<{ pid: number; status: number }> {
  const addr = scratchWord();
  const r = await syscall("wait4", pid, addr, options, 0);
  return { pid: r, status: r > 0 ? peekInt(addr) : 0 };
}

/** glibc's fork(): clone(SIGCHLD) on every arch, as glibc's arch_fork does. */
export const FORK_FLAGS = SIGCHLD;
