/*
 * nanosleep() interrupted by a handled signal returns -1 with EINTR and stores the time that
 * was left in rem, even with SA_RESTART: the call returns -ERESTART_RESTARTBLOCK, which a
 * handler always turns into EINTR (LTP's nanosleep02 checks the same with SIGINT).
 * probe (x86_64): nanosleep(2 s) with an SA_RESTART handler, signalled after 0.1 s: -1 EINTR,
 * rem 1.899684763.
 */
import {
  defineTest, EINTR, errno, getpid, nanosleep, SA_RESTART, SAFE_SIGACTION, SAFE_WAITPID, SIGINT, TFAIL, TPASS,
  tst_kill_after, tst_res, timespecNs,
} from "../../../../src/ltp/index.js";

/** How long the sleep is asked to be, and when the signal comes (ms). */
const SLEEP_MS = 2000, SIGNAL_MS = 100;

export default defineTest({
  forks_child: true,
  async setup() {
    await SAFE_SIGACTION(SIGINT, { handler: () => {}, flags: SA_RESTART });
  },
  async test_all() {
    const child = await tst_kill_after(SIGNAL_MS, await getpid(), SIGINT);
    const { ret, rem } = await nanosleep({ sec: SLEEP_MS / 1000, nsec: 0 });
    await SAFE_WAITPID(child);
    if (ret !== -1 || errno() !== EINTR) {
      tst_res(TFAIL, `nanosleep() returned ${ret} (errno ${errno()}), expected -1 EINTR`);
      return;
    }
    tst_res(TPASS, "nanosleep() was interrupted with EINTR");
    // The signal came SIGNAL_MS in; what is left must be less than the rest, but not much less.
    const leftMs = timespecNs(rem) / 1e6, expectedMs = SLEEP_MS - SIGNAL_MS;
    if (leftMs <= expectedMs && leftMs > expectedMs - 50) tst_res(TPASS, `remaining sleep time is ${leftMs} ms`);
    else tst_res(TFAIL, `remaining sleep time is ${leftMs} ms, expected about ${expectedMs} ms`);
  },
});
