/*
 * SA_RESETHAND: the handler runs for the first signal and the disposition goes back to
 * SIG_DFL as it is delivered (the flags stay as set), so a second SIGUSR1 kills the process.
 * probe (x86_64): after the first raise(SIGUSR1) sigaction() read SIG_DFL with flags
 * 0x84000000 (SA_RESETHAND|SA_RESTORER); the second killed the child (status 0xa).
 */
import {
  defineTest, raise, SA_RESETHAND, SAFE_FORK, SAFE_SIGACTION, SAFE_WAITPID, SIG_DFL, SIGUSR1, TFAIL, TPASS, tst_res,
  WIFSIGNALED, WTERMSIG, _exit,
} from "../../../../src/ltp/index.js";

export default defineTest({
  forks_child: true,
  async test_all() {
    const child = await SAFE_FORK(async () => {
      let caught = 0;
      await SAFE_SIGACTION(SIGUSR1, { handler: () => { caught++; }, flags: SA_RESETHAND });
      await raise(SIGUSR1);
      const after = await SAFE_SIGACTION(SIGUSR1, null);
      if (caught === 1 && after.handler === SIG_DFL && (after.flags! & SA_RESETHAND)) tst_res(TPASS, "the handler ran once and SIGUSR1 is back to SIG_DFL");
      else tst_res(TFAIL, `handler ran ${caught} times; disposition now ${String(after.handler)}, flags 0x${after.flags!.toString(16)}`);
      await raise(SIGUSR1);
      await _exit(0);
    });
    const { status } = await SAFE_WAITPID(child);
    if (WIFSIGNALED(status) && WTERMSIG(status) === SIGUSR1) tst_res(TPASS, "the second SIGUSR1 took the default action");
    else tst_res(TFAIL, `the child ended with status 0x${status.toString(16)}, expected killed by SIGUSR1`);
  },
});
