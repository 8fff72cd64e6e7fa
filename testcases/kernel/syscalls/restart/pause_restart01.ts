/*
 * pause() returns -1 with EINTR once a handler has run, whatever the signal and even when the
 * handler was installed with SA_RESTART: pause() returns -ERESTARTNOHAND, which is never
 * restarted after a handler (LTP's pause01 checks SIGINT; here several signals).
 * probe (x86_64): pause() with an SA_RESTART SIGUSR1 handler: -1 EINTR, the handler ran once.
 */
import {
  defineTest, getpid, pause, SA_RESTART, SAFE_SIGACTION, SAFE_WAITPID, SIGALRM, SIGHUP, SIGINT, SIGTERM, SIGUSR1,
  SIGUSR2, signalName, TFAIL, TPASS, TST_EXP_FAIL, tst_kill_after, tst_res, EINTR,
} from "../../../../src/ltp/index.js";

const SIGNALS = [SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM];
let caught = 0;

export default defineTest({
  forks_child: true,
  tcnt: SIGNALS.length,
  async setup() {
    for (const sig of SIGNALS) await SAFE_SIGACTION(sig, { handler: (s) => { caught = s; }, flags: SA_RESTART });
  },
  async test(n) {
    const sig = SIGNALS[n]!;
    caught = 0;
    const child = await tst_kill_after(100, await getpid(), sig);
    await TST_EXP_FAIL(pause(), EINTR, `pause() interrupted by ${signalName(sig)}`);
    if (caught === sig) tst_res(TPASS, `the ${signalName(sig)} handler ran before pause() returned`);
    else tst_res(TFAIL, `the handler saw ${caught ? signalName(caught) : "nothing"}, expected ${signalName(sig)}`);
    await SAFE_WAITPID(child);
  },
});
