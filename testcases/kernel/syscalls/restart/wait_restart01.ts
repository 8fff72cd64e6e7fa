/*
 * A parent blocked in waitpid() takes a signal with a handler while its child still runs:
 * with SA_RESTART the wait is restarted transparently and reaps the child when it exits;
 * without it, waitpid() fails with EINTR (the sleep in do_wait() returns -ERESTARTSYS).
 * probe (x86_64): no SA_RESTART: -1 EINTR; SA_RESTART: the child's pid, status 0x300.
 */
import {
  defineTest, EINTR, getpid, nanosleep, SA_RESTART, SAFE_FORK, SAFE_SIGACTION, SAFE_WAITPID, SIGUSR1, TFAIL, TPASS,
  TST_EXP_FAIL, tst_kill_after, tst_res, waitpid, _exit, WEXITSTATUS, WIFEXITED,
} from "../../../../src/ltp/index.js";

let caught = 0;
const CASES = [
  { flags: SA_RESTART, desc: "with SA_RESTART" },
  { flags: 0, desc: "without SA_RESTART" },
];

export default defineTest({
  forks_child: true,
  tcnt: CASES.length,
  async test(n) {
    const tc = CASES[n]!;
    caught = 0;
    await SAFE_SIGACTION(SIGUSR1, { handler: () => { caught++; }, flags: tc.flags });
    // The child outlives the signal: it exits 200 ms after the signal comes at 100 ms.
    const child = await SAFE_FORK(async () => {
      await nanosleep({ sec: 0, nsec: 300e6 });
      await _exit(3);
    });
    const killer = await tst_kill_after(100, await getpid(), SIGUSR1);
    if (tc.flags & SA_RESTART) {
      const r = await waitpid(child);
      if (r.pid === child && WIFEXITED(r.status) && WEXITSTATUS(r.status) === 3 && caught === 1) {
        tst_res(TPASS, `waitpid() ${tc.desc} was restarted after the handler and reaped the child`);
      } else {
        tst_res(TFAIL, `waitpid() ${tc.desc} returned ${r.pid} status 0x${r.status.toString(16)}, handler ran ${caught} times`);
      }
    } else {
      await TST_EXP_FAIL(waitpid(child).then((r) => r.pid), EINTR, `waitpid() ${tc.desc}`);
      await SAFE_WAITPID(child);
    }
    await SAFE_WAITPID(killer);
  },
});
