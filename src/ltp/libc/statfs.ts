/** <sys/statfs.h> (<sys/vfs.h>): statfs() and fstatfs(), and struct statfs read back. */
import { type Kstatfs, SIZEOF_STATFS, unpackStatfs } from "../../linux/include/uapi/stat.js";
import { peekBytes } from "./memory.js";
import { cstring } from "./string.js";
import { intSyscall, type SysResult } from "./syscall.js";

export const statfs = (path: string, buf: number): SysResult => intSyscall("statfs", cstring(path), buf);
export const fstatfs = (fd: number, buf: number): SysResult => intSyscall("fstatfs", fd, buf);

/** The struct statfs at `buf`. */
export function readStatfs(buf: number): Kstatfs {
  return unpackStatfs(peekBytes(buf, SIZEOF_STATFS));
}
