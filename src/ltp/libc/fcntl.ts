/** <fcntl.h>: opening files and fcntl(). */
import { AT_FDCWD, O_CREAT, O_TRUNC, O_WRONLY } from "../../linux/include/uapi/fcntl.js";
import { cstring } from "./string.js";
import { intSyscall, type SysResult } from "./syscall.js";

export const open = (path: string, flags: number, mode = 0): SysResult => intSyscall("openat", AT_FDCWD, cstring(path), flags, mode);
/** creat(): open(O_CREAT|O_WRONLY|O_TRUNC), which is what glibc calls where there is no creat syscall. */
export const creat = (path: string, mode: number): SysResult => open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
export const fcntl = (fd: number, cmd: number, arg = 0): SysResult => intSyscall("fcntl", fd, cmd, arg);
