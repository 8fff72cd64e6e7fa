/** lapi/syscalls.h: tst_syscall(), the raw call for the syscalls a libc has no wrapper for. */
import { ENOSYS } from "../../linux/include/uapi/errno.js";
import { job } from "../context.js";
import { TCONF, TFAIL, tst_brk } from "../lib/tst_res.js";
import { errno } from "../libc/errno.js";
import { syscall } from "../libc/syscall.js";

/**
 * tst_syscall(): the raw call, except that ENOSYS ends the test. LTP says only "not supported";
 * here the target explains why: TCONF with the resolver's category and reason when the config
 * leaves the call out, and TFAIL when the build model says it is built in (a broken table or
 * link: the regression an emulator's CI must catch).
 */
export async function tst_syscall(name: string, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): Promise<number> {
  const ret = await syscall(name, a0, a1, a2, a3, a4, a5);
  if (ret === -1 && errno() === ENOSYS) {
    const why = job().target.explainEnosys(name);
    if (why.builtIn) tst_brk(TFAIL, `${name}() returned ENOSYS but the config builds it in: ${why.reason}`);
    tst_brk(TCONF, why.reason, why.category);
  }
  return ret;
}
