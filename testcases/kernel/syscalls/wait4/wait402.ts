/*
 * wait4() fails with:
 * 1) ECHILD when the caller has no children (with and without WNOHANG);
 * 2) EINVAL for an unknown option bit and for WNOWAIT (waitid() only), even with no children;
 * 3) EFAULT when the status pointer is unwritable: the guard page after a buffer, or address 8
 *    — and the child is reaped all the same: waiting for it again is ECHILD.
 * A probe on the real kernel: ECHILD, ECHILD; EINVAL, EINVAL; EFAULT then ECHILD.
 * (LTP's wait402 checks 1); the rest is wait4()'s behaviour LTP's wait tests depend on.)
 */
import {
  defineTest, ECHILD, EFAULT, EINVAL, SAFE_FORK, tst_alloc, TST_EXP_FAIL, wait4, WNOHANG, WNOWAIT,
} from "../../../../src/ltp/index.js";

export default defineTest({
  forks_child: true,
  async test_all() {
    const status = await tst_alloc(4);
    await TST_EXP_FAIL(wait4(-1, status, 0, 0), ECHILD, "wait4() with no children");
    await TST_EXP_FAIL(wait4(-1, status, WNOHANG, 0), ECHILD, "wait4(WNOHANG) with no children");
    await TST_EXP_FAIL(wait4(-1, status, 0x10, 0), EINVAL, "wait4() with option 0x10");
    await TST_EXP_FAIL(wait4(-1, status, WNOWAIT, 0), EINVAL, "wait4() with WNOWAIT");
    for (const bad of [status + 4, 8]) {
      const pid = await SAFE_FORK(() => 0);
      await TST_EXP_FAIL(wait4(pid, bad, 0, 0), EFAULT, `wait4() with status at 0x${bad.toString(16)}`);
      await TST_EXP_FAIL(wait4(pid, status, WNOHANG, 0), ECHILD, "wait4() for the same child again (it was reaped)");
    }
  },
});
