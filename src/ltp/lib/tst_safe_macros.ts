/**
 * The SAFE_ macros of LTP's tst_safe_macros.h and safe_macros.c: the libc call, and TBROK
 * with LTP's message (and errno) when it fails.
 */
import { MAP_FAILED } from "../../linux/include/uapi/mman.js";
import { signalName } from "../../linux/include/uapi/signal.js";
import type { Word } from "../../linux/include/uapi/word.js";
import { outBuffer } from "../libc/data_segment.js";
import { creat, fcntl, open } from "../libc/fcntl.js";
import { fork, hasMmu } from "../libc/fork.js";
import { malloc, memalign } from "../libc/malloc.js";
import { peekInt } from "../libc/memory.js";
import { mmap, mprotect, munmap } from "../libc/mman.js";
import { getrlimit, type Rlimit, setrlimit } from "../libc/resource.js";
import type { ChildBody } from "../libc/sched.js";
import { kill } from "../libc/signal.js";
import { fstat, mkfifo, mknod, readStat, stat, type Stat } from "../libc/stat.js";
import { setenv } from "../libc/stdlib.js";
import { close, dup, lseek, pipe, pipe2, pread, pwrite, read, rmdir, unlink, write } from "../libc/unistd.js";
import { wait, waitpid } from "../libc/wait.js";
import { TBROK, TCONF, TERRNO, tst_brk } from "./tst_res.js";

/**
 * SAFE_FORK(): the child runs `body`; the parent gets the pid. Without an MMU there is no
 * fork to call (only vfork), so a test that needs one ends with TCONF saying why.
 */
export async function SAFE_FORK(body: ChildBody): Promise<number> {
  if (!hasMmu()) {
    tst_brk(TCONF, "fork() is not supported: CONFIG_MMU is not set (without an MMU a child cannot get its own copy of the address space; the C library has only vfork())", "not-configured");
  }
  const pid = await fork(body);
  if (pid === -1) tst_brk(TBROK | TERRNO, "fork() failed");
  return pid;
}

export async function SAFE_OPEN(path: string, flags: number, mode = 0): Promise<number> {
  const fd = await open(path, flags, mode);
  if (fd === -1) tst_brk(TBROK | TERRNO, `open(${path},${flags},0${mode.toString(8)}) failed`);
  return fd;
}

export async function SAFE_CREAT(path: string, mode: number): Promise<number> {
  const fd = await creat(path, mode);
  if (fd === -1) tst_brk(TBROK | TERRNO, `creat(${path},0${mode.toString(8)}) failed`);
  return fd;
}

export async function SAFE_CLOSE(fd: number): Promise<void> {
  if ((await close(fd)) === -1) tst_brk(TBROK | TERRNO, `close(${fd}) failed`);
}

export async function SAFE_DUP(fd: number): Promise<number> {
  const r = await dup(fd);
  if (r === -1) tst_brk(TBROK | TERRNO, `dup(${fd}) failed`);
  return r;
}

/** SAFE_READ(len_strict, fd, buf, count): with len_strict, a short read is TBROK too. */
export async function SAFE_READ(lenStrict: boolean | number, fd: number, buf: number, count: number): Promise<number> {
  const r = await read(fd, buf, count);
  if (r === -1 || (lenStrict && r !== count)) tst_brk(TBROK | TERRNO, `read(${fd},${buf},${count}) failed, returned ${r}`);
  return r;
}

export async function SAFE_WRITE(lenStrict: boolean | number, fd: number, buf: number, count: number): Promise<number> {
  const r = await write(fd, buf, count);
  if (r === -1 || (lenStrict && r !== count)) tst_brk(TBROK | TERRNO, `write(${fd},${buf},${count}) failed`);
  return r;
}

export async function SAFE_LSEEK(fd: number, offset: Word, whence: number): Promise<Word> {
  const r = await lseek(fd, offset, whence);
  if (r === -1) tst_brk(TBROK | TERRNO, `lseek(${fd},${offset},${whence}) failed`);
  return r;
}

export async function SAFE_FCNTL(fd: number, cmd: number, arg = 0): Promise<number> {
  const r = await fcntl(fd, cmd, arg);
  if (r === -1) tst_brk(TBROK | TERRNO, `fcntl(${fd},${cmd},${arg}) failed`);
  return r;
}

export function SAFE_MALLOC(size: number): number {
  const p = malloc(size);
  if (p === 0) tst_brk(TBROK, `malloc(${size}) failed`);
  return p;
}

export async function SAFE_MMAP(addr: number, len: number, prot: number, flags: number, fd: number, offset: number): Promise<number> {
  const r = await mmap(addr, len, prot, flags, fd, offset);
  if (r === MAP_FAILED) tst_brk(TBROK | TERRNO, `mmap(${addr},${len},${prot},${flags},${fd},${offset}) failed`);
  return r;
}

export async function SAFE_MUNMAP(addr: number, len: number): Promise<void> {
  if ((await munmap(addr, len)) === -1) tst_brk(TBROK | TERRNO, `munmap(${addr},${len}) failed`);
}

export async function SAFE_MPROTECT(addr: number, len: number, prot: number): Promise<void> {
  if ((await mprotect(addr, len, prot)) === -1) tst_brk(TBROK | TERRNO, `mprotect(${addr},${len},${prot}) failed`);
}

export async function SAFE_GETRLIMIT(resource: number): Promise<Rlimit> {
  const r = await getrlimit(resource);
  if (r === -1) tst_brk(TBROK | TERRNO, `getrlimit(${resource}) failed`);
  return r;
}

export async function SAFE_SETRLIMIT(resource: number, limit: Rlimit): Promise<void> {
  if ((await setrlimit(resource, limit)) === -1) tst_brk(TBROK | TERRNO, `setrlimit(${resource},{${limit.rlim_cur},${limit.rlim_max}}) failed`);
}

export async function SAFE_KILL(pid: number, sig: number): Promise<void> {
  if ((await kill(pid, sig)) === -1) tst_brk(TBROK | TERRNO, `kill(${pid},${signalName(sig)}) failed`);
}

export function SAFE_SETENV(name: string, value: string, overwrite: boolean | number): void {
  if (setenv(name, value, overwrite) === -1) tst_brk(TBROK | TERRNO, `setenv(${name},${value},${Number(overwrite)}) failed`);
}

export async function SAFE_WAITPID(pid: number, options = 0): Promise<{ pid: number; status: number }> {
  const r = await waitpid(pid, options);
  if (r.pid === -1) tst_brk(TBROK | TERRNO, `waitpid(${pid}) failed`);
  return r;
}

export async function SAFE_WAIT(): Promise<{ pid: number; status: number }> {
  const r = await wait();
  if (r.pid === -1) tst_brk(TBROK | TERRNO, "wait() failed");
  return r;
}

/** %p as glibc prints it. */
const ptr = (p: number) => `0x${p.toString(16)}`;

/** The two ints a pipe() call filled in (whatever was there if it failed). */
const fdPair = (fildes: number): [number, number] => [peekInt(fildes), peekInt(fildes + 4)];

/** SAFE_PIPE(fildes): `fildes` points at int[2]; the two descriptors are also returned. */
export async function SAFE_PIPE(fildes: number): Promise<[number, number]> {
  if ((await pipe(fildes)) === -1) {
    const [r, w] = fdPair(fildes);
    tst_brk(TBROK | TERRNO, `pipe({${r},${w}}) failed`);
  }
  return fdPair(fildes);
}

export async function SAFE_PIPE2(fildes: number, flags: number): Promise<[number, number]> {
  if ((await pipe2(fildes, flags)) === -1) {
    const [r, w] = fdPair(fildes);
    tst_brk(TBROK | TERRNO, `pipe2({${r},${w}}) failed with flag(${flags})`);
  }
  return fdPair(fildes);
}

export async function SAFE_PREAD(lenStrict: boolean | number, fd: number, buf: number, count: number, offset: number): Promise<number> {
  const r = await pread(fd, buf, count, offset);
  if (r === -1 || (lenStrict && r !== count)) tst_brk(TBROK | TERRNO, `pread(${fd},${ptr(buf)},${count},${offset}) failed`);
  return r;
}

export async function SAFE_PWRITE(lenStrict: boolean | number, fd: number, buf: number, count: number, offset: number): Promise<number> {
  const r = await pwrite(fd, buf, count, offset);
  if (r === -1 || (lenStrict && r !== count)) tst_brk(TBROK | TERRNO, `pwrite(${fd},${ptr(buf)},${count},${offset}) failed`);
  return r;
}

export async function SAFE_MKFIFO(path: string, mode: number): Promise<void> {
  if ((await mkfifo(path, mode)) === -1) tst_brk(TBROK | TERRNO, `mkfifo(${path}, ${mode.toString(8).padStart(4, "0")}) failed`);
}

export async function SAFE_MKNOD(path: string, mode: number, dev: number): Promise<void> {
  if ((await mknod(path, mode, dev)) === -1) tst_brk(TBROK | TERRNO, "mknod() failed");
}

export async function SAFE_UNLINK(path: string): Promise<void> {
  if ((await unlink(path)) === -1) tst_brk(TBROK | TERRNO, `unlink(${path}) failed`);
}

export async function SAFE_RMDIR(path: string): Promise<void> {
  if ((await rmdir(path)) === -1) tst_brk(TBROK | TERRNO, `rmdir(${path}) failed`);
}

/** SAFE_STAT(path, buf): buf defaults to the libc's scratch buffer; the fields are returned. */
export async function SAFE_STAT(path: string, buf = outBuffer()): Promise<Stat> {
  if ((await stat(path, buf)) === -1) tst_brk(TBROK | TERRNO, `stat(${path},${ptr(buf)}) failed`);
  return readStat(buf);
}

export async function SAFE_FSTAT(fd: number, buf = outBuffer()): Promise<Stat> {
  if ((await fstat(fd, buf)) === -1) tst_brk(TBROK | TERRNO, `fstat(${fd},${ptr(buf)}) failed`);
  return readStat(buf);
}

export function SAFE_MEMALIGN(alignment: number, size: number): number {
  const p = memalign(alignment, size);
  if (p === 0) tst_brk(TBROK | TERRNO, "memalign() failed");
  return p;
}
