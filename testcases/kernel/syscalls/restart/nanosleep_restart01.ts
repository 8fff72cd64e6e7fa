/*
 * nanosleep() interrupted by a handled signal returns -1 with EINTR and stores the time that
 * was left in rem, even with SA_RESTART: the call returns -ERESTART_RESTARTBLOCK, which a
 * handler always turns into EINTR (LTP's nanosleep02 checks the same with SIGINT).
 * probe (x86_64): nanosleep(2 s) with an SA_RESTART handler, signalled after 0.1 s: -1 EINTR,
 * rem 1.899684763. The remaining time is checked against how long the call really slept:
 * CLOCK_MONOTONIC before the call and in the handler (which runs as the call returns), not
 * against when the signal was meant to come, since on a loaded machine the real kernel may
 * start the sleep late. The handler's clock is read a little after the interruption, so rem is
 * at least what that reading leaves, and at most that plus the latency of a call and a handler.
 */
import {
  clock_gettime, CLOCK_MONOTONIC, defineTest, EINTR, errno, getpid, nanosleep, SA_RESTART, SAFE_SIGACTION, SAFE_WAITPID,
  SIGINT, TBROK, TFAIL, TPASS, tst_brk, tst_kill_after, tst_res, timespecNs,
} from "../../../../src/ltp/index.js";

/** How long the sleep is asked to be, when the signal comes, and how late a handler may run (ms). */
const SLEEP_MS = 2000, SIGNAL_MS = 300, LATENCY_MS = 100;

/** When the handler ran (CLOCK_MONOTONIC, ms). */
let handledAt = 0;

async function monotonicMs(): Promise<number> {
  const now = await clock_gettime(CLOCK_MONOTONIC);
  if (now === -1) tst_brk(TBROK, "clock_gettime(CLOCK_MONOTONIC) failed");
  return timespecNs(now) / 1e6;
}

export default defineTest({
  forks_child: true,
  async setup() {
    handledAt = 0;
    await SAFE_SIGACTION(SIGINT, { handler: async () => { handledAt = await monotonicMs(); }, flags: SA_RESTART });
  },
  async test_all() {
    const child = await tst_kill_after(SIGNAL_MS, await getpid(), SIGINT);
    const start = await monotonicMs();
    const { ret, rem } = await nanosleep({ sec: SLEEP_MS / 1000, nsec: 0 });
    await SAFE_WAITPID(child);
    if (ret !== -1 || errno() !== EINTR) {
      tst_res(TFAIL, `nanosleep() returned ${ret} (errno ${errno()}), expected -1 EINTR`);
      return;
    }
    tst_res(TPASS, "nanosleep() was interrupted with EINTR");
    // What is left is what was asked less what was slept until the signal.
    const leftMs = timespecNs(rem) / 1e6, atLeastMs = SLEEP_MS - (handledAt - start);
    if (leftMs >= atLeastMs && leftMs < atLeastMs + LATENCY_MS) tst_res(TPASS, `remaining sleep time is about ${Math.round(leftMs)} ms`);
    else tst_res(TFAIL, `remaining sleep time is ${leftMs} ms, expected between ${atLeastMs} and ${atLeastMs + LATENCY_MS} ms`);
  },
});
