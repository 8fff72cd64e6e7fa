/** lapi/syscalls.h: tst_syscall(), the raw call for the syscalls a libc has no wrapper for. */
import { ENOSYS } from "../../linux/include/uapi/errno.js";
import type { Word } from "../../linux/include/uapi/word.js";
import { enosysVerdict } from "../lib/tst_enosys.js";
import { tst_brk } from "../lib/tst_res.js";
import { errno } from "../libc/errno.js";
import { syscall } from "../libc/syscall.js";

/**
 * tst_syscall(): the raw call, except that ENOSYS ends the test, with the target's reason
 * (lib/tst_enosys.ts): TCONF where the config leaves the call out, TFAIL where it builds it in.
 */
export async function tst_syscall(name: string, a0: Word = 0, a1: Word = 0, a2: Word = 0, a3: Word = 0, a4: Word = 0, a5: Word = 0): Promise<Word> {
  const ret = await syscall(name, a0, a1, a2, a3, a4, a5);
  if (ret === -1 && errno() === ENOSYS) {
    const verdict = enosysVerdict(name);
    tst_brk(verdict.type, verdict.message, verdict.category);
  }
  return ret;
}
