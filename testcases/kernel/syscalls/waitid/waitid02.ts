/*
 * waitid() and the state of the child:
 * 1) WNOHANG while the child runs: 0, with si_pid and si_signo 0;
 * 2) WNOWAIT reports the zombie and leaves it to be waited for again;
 * 3) no WEXITED (nor WSTOPPED, WCONTINUED), an unknown idtype, P_PID 0: EINVAL;
 * 4) no child: ECHILD;
 * 5) an unwritable infop: EFAULT, and the child is reaped all the same.
 * A probe on the real kernel gave each of these.
 * (LTP's waitid02..11 test these one by one.)
 */
import {
  defineTest, ECHILD, EFAULT, EINVAL, getppid, P_ALL, P_PID, SAFE_FORK, SAFE_KILL, SIGKILL, syscall, TST_EXP_EXPR,
  TST_EXP_FAIL, waitid, WEXITED, WNOHANG, WNOWAIT,
} from "../../../../src/ltp/index.js";

export default defineTest({
  forks_child: true,
  async test_all() {
    let pid = await SAFE_FORK(async () => { for (;;) await getppid(); });
    const running = await waitid(P_PID, pid, WEXITED | WNOHANG);
    TST_EXP_EXPR(running.ret === 0 && running.info.si_pid === 0 && running.info.si_signo === 0, "WNOHANG with the child running: 0, no siginfo");
    await SAFE_KILL(pid, SIGKILL);
    const peek = await waitid(P_PID, pid, WEXITED | WNOWAIT);
    TST_EXP_EXPR(peek.ret === 0 && peek.info.si_pid === pid, "WNOWAIT reports the zombie");
    const reap = await waitid(P_PID, pid, WEXITED);
    TST_EXP_EXPR(reap.ret === 0 && reap.info.si_pid === pid, "...which can be waited for again");

    await TST_EXP_FAIL(syscall("waitid", P_ALL, 0, 0, WNOHANG, 0), EINVAL, "waitid() without WEXITED");
    await TST_EXP_FAIL(syscall("waitid", 7, 0, 0, WEXITED, 0), EINVAL, "waitid() with idtype 7");
    await TST_EXP_FAIL(syscall("waitid", P_PID, 0, 0, WEXITED, 0), EINVAL, "waitid(P_PID, 0)");
    await TST_EXP_FAIL(syscall("waitid", P_ALL, 0, 0, WEXITED, 0), ECHILD, "waitid() with no children");

    pid = await SAFE_FORK(() => 0);
    await TST_EXP_FAIL(syscall("waitid", P_PID, pid, 8, WEXITED, 0), EFAULT, "waitid() with infop at 0x8");
    await TST_EXP_FAIL(syscall("waitid", P_PID, pid, 0, WEXITED | WNOHANG, 0), ECHILD, "waitid() for the same child again (it was reaped)");
  },
});
