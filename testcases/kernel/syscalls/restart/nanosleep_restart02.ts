/*
 * A nanosleep() stopped by SIGSTOP and continued by SIGCONT, with no handler involved, goes
 * on sleeping to its original expiry: the interrupted call returned -ERESTART_RESTARTBLOCK,
 * and the kernel resumes it through restart_syscall() with the time left. The caller sees 0
 * and the full time elapsed; the parent sees the stop (WUNTRACED) and the continue
 * (WCONTINUED).
 * probe (x86_64): nanosleep(0.5 s) across a stop and a continue: 0 after 0.50 s; the parent's
 * waitpid(WUNTRACED) 0x137f, waitpid(WCONTINUED) 0xffff.
 */
import {
  CLOCK_MONOTONIC, clock_gettime, defineTest, nanosleep, SAFE_FORK, SAFE_KILL, SAFE_WAITPID, SIGCONT, SIGSTOP, TFAIL,
  TPASS, tst_brk, TBROK, tst_res, timespecNs, WCONTINUED, WEXITSTATUS, WIFCONTINUED, WIFEXITED, WIFSTOPPED, WSTOPSIG,
  WUNTRACED, _exit,
} from "../../../../src/ltp/index.js";

const SLEEP_NS = 500e6;

export default defineTest({
  forks_child: true,
  async test_all() {
    const child = await SAFE_FORK(async () => {
      const t0 = await clock_gettime(CLOCK_MONOTONIC);
      const { ret } = await nanosleep({ sec: 0, nsec: SLEEP_NS });
      const t1 = await clock_gettime(CLOCK_MONOTONIC);
      if (t0 === -1 || t1 === -1) tst_brk(TBROK, "clock_gettime(CLOCK_MONOTONIC) failed");
      const slept = timespecNs(t1) - timespecNs(t0);
      await _exit(ret === 0 && slept >= SLEEP_NS ? 0 : 1);
    });
    await nanosleep({ sec: 0, nsec: 100e6 });
    await SAFE_KILL(child, SIGSTOP);
    const stopped = await SAFE_WAITPID(child, WUNTRACED);
    if (WIFSTOPPED(stopped.status) && WSTOPSIG(stopped.status) === SIGSTOP) tst_res(TPASS, "the sleeping child stopped on SIGSTOP");
    else tst_res(TFAIL, `waitpid(WUNTRACED) status 0x${stopped.status.toString(16)}, expected stopped by SIGSTOP`);
    await nanosleep({ sec: 0, nsec: 100e6 });
    await SAFE_KILL(child, SIGCONT);
    const continued = await SAFE_WAITPID(child, WCONTINUED);
    if (WIFCONTINUED(continued.status)) tst_res(TPASS, "the child was continued by SIGCONT");
    else tst_res(TFAIL, `waitpid(WCONTINUED) status 0x${continued.status.toString(16)}, expected continued`);
    const done = await SAFE_WAITPID(child);
    if (WIFEXITED(done.status) && WEXITSTATUS(done.status) === 0) tst_res(TPASS, "nanosleep() resumed after SIGCONT and slept its full time");
    else tst_res(TFAIL, "nanosleep() returned early or with an error after the stop");
  },
});
