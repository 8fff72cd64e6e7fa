/**
 * The C library the testcases' code calls: glibc's wrappers over the raw system call
 * (-1 and errno on failure), on whichever process is running. Pointers are addresses in the
 * process's emulated memory; strings are copied there the way a C program would hold them.
 */
import { ENOSYS } from "../../linux/include/uapi/errno.js";
import { AT_FDCWD, O_CREAT, O_TRUNC, O_WRONLY } from "../../linux/include/uapi/fcntl.js";
import { SIGCHLD } from "../../linux/include/uapi/signal.js";
import { job, sysno } from "../context.js";
import { UserFault, type UserProcess } from "../../targets/target.js";

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

/** Runs `then` on a syscall's result, synchronously when the call did not block. */
export function after(r: SysResult, then: (v: number) => number | Promise<number>): SysResult {
  return typeof r === "number" ? then(r) : r.then(then);
}

/*
 * Layout of the data segment: the libc's statics first, then the heap. Everything the libc
 * keeps lives here, in the process's memory, so fork copies it and CLONE_VM shares it.
 */
const BRK_SLOT = 0;
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
const HEAP_START = 8192;
const PATH_MAX = 4096;
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

/** The scratch area of the running code: the main program's, or its innermost handler's. */
function scratchBase(p: UserProcess): number {
  const depth = p.memory.getInt32(heapBase(p) + HANDLER_DEPTH_SLOT) ?? 0;
  return depth === 0 ? heapBase(p) : heapBase(p) + p.heap.size - depth * SCRATCH_SIZE;
}

/** A signal handler starts: the library's scratch moves below the interrupted code's. */
export function enterHandler(): void {
  const p = job().target.current();
  const slot = heapBase(p) + HANDLER_DEPTH_SLOT;
  const depth = peekInt(slot);
  if (depth >= MAX_HANDLER_DEPTH) throw new Error(`signal handlers nested deeper than ${MAX_HANDLER_DEPTH}`);
  pokeInt(slot, depth + 1);
}

/** The handler returns: the interrupted code's scratch is in use again. */
export function leaveHandler(): void {
  const slot = heapBase(job().target.current()) + HANDLER_DEPTH_SLOT;
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

/**
 * malloc(): a bump allocator whose break lives in the process's own memory, so fork copies
 * it and CLONE_VM shares it, as with a real heap. Returns 0 when the segment is full.
 */
export function malloc(size: number): number {
  const p = job().target.current();
  const base = heapBase(p);
  const used = peekU64(base + BRK_SLOT) || HEAP_START;
  const start = (used + 15) & ~15;
  if (start + size > p.heap.size - MAX_HANDLER_DEPTH * SCRATCH_SIZE) return 0;
  pokeU64(base + BRK_SLOT, start + size);
  return base + start;
}

/** free(): the bump allocator never reuses memory, so nothing to do. */
export function free(_addr: number): void {}

/** Copies a string into the path buffer (as a C string literal would sit in memory). */
export function cstring(s: string): number {
  const p = job().target.current();
  const bytes = Buffer.from(s + "\0", "utf8");
  // A name longer than PATH_MAX still goes to the kernel, which answers ENAMETOOLONG.
  const addr = bytes.length <= PATH_MAX ? scratchBase(p) + PATH_BUF : malloc(bytes.length);
  pokeBytes(addr, bytes);
  return addr;
}

/** strdup(): a NUL-terminated copy of s on the heap. */
export function strdup(s: string): number {
  const bytes = Buffer.from(s + "\0", "utf8");
  const addr = malloc(bytes.length);
  if (addr) pokeBytes(addr, bytes);
  return addr;
}

/* Loads and stores: a fault is a segmentation fault, as in C (the process dies of SIGSEGV). */

export function peekInt(addr: number): number {
  const v = job().target.current().memory.getInt32(addr);
  if (v === null) throw new UserFault(addr, "read");
  return v;
}

export function pokeInt(addr: number, v: number): void {
  if (!job().target.current().memory.putInt32(addr, v)) throw new UserFault(addr, "write");
}

export function peekBytes(addr: number, len: number): Uint8Array {
  const b = job().target.current().memory.read(addr, len);
  if (!b) throw new UserFault(addr, "read");
  return b;
}

export function pokeBytes(addr: number, bytes: Uint8Array): void {
  if (!job().target.current().memory.write(addr, bytes)) throw new UserFault(addr, "write");
}

/** An unsigned 64-bit word (pointers, size_t) as a number. */
export function peekU64(addr: number): number {
  return Number(new DataView(peekBytes(addr, 8).buffer).getBigUint64(0, true));
}

export function pokeU64(addr: number, v: number | bigint): void {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
  pokeBytes(addr, b);
}

/** The NUL-terminated string at addr (UTF-8), read in runs that never cross a page, like strlen(). */
export function peekString(addr: number): string {
  const chunks: Uint8Array[] = [];
  for (let a = addr; ; ) {
    const b = job().target.current().memory.read(a, Math.min(256, 4096 - (a % 4096)));
    if (!b) throw new UserFault(a, "read");
    const nul = b.indexOf(0);
    if (nul >= 0) {
      chunks.push(b.subarray(0, nul));
      return Buffer.concat(chunks).toString("utf8");
    }
    chunks.push(b);
    a += b.length;
  }
}

/** Copies a JS string into memory at addr, NUL-terminated (strcpy()). */
export function pokeString(addr: number, s: string): void {
  pokeBytes(addr, Buffer.from(s + "\0", "utf8"));
}

export const getpid = (): SysResult => syscall("getpid");
export const getppid = (): SysResult => syscall("getppid");
export const gettid = (): SysResult => syscall("gettid");
export const getuid = (): SysResult => syscall("getuid");
/**
 * pause(2). Where the arch has no pause syscall (riscv64), sigsuspend() with the current
 * mask, as uClibc does: the same wait, the same EINTR.
 */
export function pause(): SysResult {
  if (sysno("pause") !== undefined) return syscall("pause");
  const buf = outBuffer();
  return after(syscall("rt_sigprocmask", 0, 0, buf, 8), (r) => (r < 0 ? r : syscall("rt_sigsuspend", buf, 8)));
}

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

/** glibc's fork(): clone(SIGCHLD) on every arch, as glibc's arch_fork does. */
export const FORK_FLAGS = SIGCHLD;

/** exit_group(): never returns. */
export function _exit(status: number): Promise<never> {
  return syscall("exit_group", status) as Promise<never>;
}

/** exit(): no atexit handlers or stdio to flush here, so the same as _exit(). */
export const exit = _exit;

export const open = (path: string, flags: number, mode = 0): SysResult => syscall("openat", AT_FDCWD, cstring(path), flags, mode);
/** creat(): open(O_CREAT|O_WRONLY|O_TRUNC), which is what glibc calls where there is no creat syscall. */
export const creat = (path: string, mode: number): SysResult => open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
export const close = (fd: number): SysResult => syscall("close", fd);
export const read = (fd: number, buf: number, count: number): SysResult => syscall("read", fd, buf, count);
export const write = (fd: number, buf: number, count: number): SysResult => syscall("write", fd, buf, count);
export const lseek = (fd: number, offset: number, whence: number): SysResult => syscall("lseek", fd, offset, whence);
export const fcntl = (fd: number, cmd: number, arg = 0): SysResult => syscall("fcntl", fd, cmd, arg);
export const dup = (fd: number): SysResult => syscall("dup", fd);
export const dup2 = (oldfd: number, newfd: number): SysResult =>
  sysno("dup2") === undefined ? (oldfd === newfd ? fcntlCheck(oldfd) : syscall("dup3", oldfd, newfd, 0)) : syscall("dup2", oldfd, newfd);
export const dup3 = (oldfd: number, newfd: number, flags: number): SysResult => syscall("dup3", oldfd, newfd, flags);
export const mkdir = (path: string, mode: number): SysResult => syscall("mkdirat", AT_FDCWD, cstring(path), mode);
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

/** wait4(pid, status, options, rusage) with the caller's pointers, as glibc's wrapper passes them. */
export const wait4 = (pid: number, status: number, options: number, rusage: number): SysResult => syscall("wait4", pid, status, options, rusage);

/** wait(&status): waitpid(-1, &status, 0). */
export const wait = (): Promise<{ pid: number; status: number }> => waitpid(-1, 0);

/** What waitid() stores in its siginfo_t. */
export interface WaitidInfo {
  readonly si_signo: number;
  readonly si_code: number;
  readonly si_pid: number;
  readonly si_uid: number;
  readonly si_status: number;
}

/** waitid(idtype, id, &info, options): the result (0 or -1) and the siginfo it filled in. */
export async function waitid(idtype: number, id: number, options: number): Promise<{ ret: number; info: WaitidInfo }> {
  const buf = outBuffer();
  pokeBytes(buf, new Uint8Array(128));
  const ret = await syscall("waitid", idtype, id, buf, options, 0);
  const info = {
    si_signo: peekInt(buf), si_code: peekInt(buf + 8), si_pid: peekInt(buf + 16),
    si_uid: peekInt(buf + 20), si_status: peekInt(buf + 24),
  };
  return { ret, info };
}
