/** <sys/mman.h> and the break: mmap() and friends over the process's address space. */
import { ENOMEM } from "../../linux/include/uapi/errno.js";
import { MAP_FAILED } from "../../linux/include/uapi/mman.js";
import { setErrno } from "./errno.js";
import { after, intSyscall, type SysResult } from "./syscall.js";

/** mmap(): the address, or MAP_FAILED (-1) with errno. */
export const mmap = (addr: number, len: number, prot: number, flags: number, fd: number, offset: number): SysResult =>
  after(intSyscall("mmap", addr, len, prot, flags, fd, offset), (r) => (r === -1 ? MAP_FAILED : r));
export const munmap = (addr: number, len: number): SysResult => intSyscall("munmap", addr, len);
export const mprotect = (addr: number, len: number, prot: number): SysResult => intSyscall("mprotect", addr, len, prot);

/**
 * brk(addr): glibc's wrapper over a syscall that never fails outright: it returns the break
 * it ended up with, and anything short of addr is ENOMEM.
 */
export function brk(addr: number): SysResult {
  return after(intSyscall("brk", addr), (got) => {
    if (got < addr) {
      setErrno(ENOMEM);
      return -1;
    }
    return 0;
  });
}

/** sbrk(increment): the old break, or -1 (ENOMEM) when it cannot move. */
export async function sbrk(increment: number): Promise<number> {
  const cur = await intSyscall("brk", 0);
  if (increment === 0) return cur;
  const got = await intSyscall("brk", cur + increment);
  if (got !== cur + increment) {
    setErrno(ENOMEM);
    return -1;
  }
  return cur;
}
