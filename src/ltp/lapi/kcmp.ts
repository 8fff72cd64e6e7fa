import type { Word } from "../../linux/include/uapi/word.js";
import { tst_syscall } from "./syscalls.js";
export { KCMP_EPOLL_TFD, KCMP_FILE, KCMP_FILES, KCMP_FS, KCMP_IO, KCMP_SIGHAND, KCMP_SYSVSEM, KCMP_TYPES, KCMP_VM } from "../../linux/include/uapi/kcmp.js";

/** lapi/kcmp.h: glibc has no kcmp() wrapper, so LTP calls it through tst_syscall(). */
export function kcmp(pid1: number, pid2: number, type: number, idx1: Word, idx2: Word): Promise<Word> {
  return tst_syscall("kcmp", pid1, pid2, type, idx1, idx2);
}
