/*
 * A child that asked to be traced (PTRACE_TRACEME) stops at every signal it is sent, and
 * its tracer decides what becomes of the signal (LTP's ptrace01):
 * 0) PTRACE_CONT with data 0: the signal is suppressed, the child's SIGUSR2 handler does not run;
 * 1) PTRACE_CONT with data SIGUSR2: the signal is delivered, the handler runs.
 * The child raises SIGUSR2 itself; its exit status says whether its handler ran.
 * probe (x86_64): PTRACE_TRACEME then raise(SIGSTOP) in the child: the parent's waitpid()
 * gives 0x137f; a SIGUSR2 sent to the traced child stops it with status 0xc7f (WSTOPSIG =
 * SIGUSR2 = 12); PTRACE_GETSIGINFO there: si_signo 12, si_code -6 (SI_TKILL: raise() is
 * tgkill()); PTRACE_CONT with data 0 suppresses it (the handler does not run), with data
 * SIGUSR2 delivers it.
 */
import {
  defineTest, PTRACE_CONT, PTRACE_TRACEME, raise, SAFE_FORK, SI_TKILL, SAFE_PTRACE, SAFE_SIGACTION, SAFE_WAITPID, SIGUSR2,
  TFAIL, TPASS, tst_getsiginfo, tst_res, tst_strstatus, WEXITSTATUS, WIFEXITED, WIFSTOPPED, WSTOPSIG, _exit,
} from "../../../../src/ltp/index.js";

/** The child's exit codes. */
const HANDLER_RAN = 3, HANDLER_DID_NOT_RUN = 4;

const tcases = [
  { data: 0, handlerRuns: false, desc: "PTRACE_CONT with data 0" },
  { data: SIGUSR2, handlerRuns: true, desc: "PTRACE_CONT with data SIGUSR2" },
] as const;

export default defineTest({
  forks_child: true,
  tcnt: tcases.length,
  async test(n) {
    const tc = tcases[n]!;
    const pid = await SAFE_FORK(async () => {
      let ran = false;
      await SAFE_PTRACE(PTRACE_TRACEME, 0);
      await SAFE_SIGACTION(SIGUSR2, { handler: () => { ran = true; } });
      await raise(SIGUSR2);
      await _exit(ran ? HANDLER_RAN : HANDLER_DID_NOT_RUN);
    });

    const stop = (await SAFE_WAITPID(pid)).status;
    if (!WIFSTOPPED(stop) || WSTOPSIG(stop) !== SIGUSR2) {
      tst_res(TFAIL, `the traced child ${tst_strstatus(stop)}, expected stopped by SIGUSR2 (0x${((SIGUSR2 << 8) | 0x7f).toString(16)})`);
      return;
    }
    const info = await tst_getsiginfo(pid);
    if (info.signo !== SIGUSR2 || info.code !== SI_TKILL) {
      tst_res(TFAIL, `PTRACE_GETSIGINFO at the stop: si_signo ${info.signo}, si_code ${info.code}, expected ${SIGUSR2} and ${SI_TKILL} (SI_TKILL)`);
    } else {
      tst_res(TPASS, `the traced child stopped by SIGUSR2 (0x${stop.toString(16)}), si_signo ${info.signo}, si_code SI_TKILL`);
    }

    await SAFE_PTRACE(PTRACE_CONT, pid, 0, tc.data);
    const { status } = await SAFE_WAITPID(pid);
    const expected = tc.handlerRuns ? HANDLER_RAN : HANDLER_DID_NOT_RUN;
    if (!WIFEXITED(status)) {
      tst_res(TFAIL, `after ${tc.desc} the child ${tst_strstatus(status)}, expected an exit`);
    } else if (WEXITSTATUS(status) === expected) {
      tst_res(TPASS, `${tc.desc}: the SIGUSR2 handler ${tc.handlerRuns ? "ran" : "did not run"}`);
    } else if (WEXITSTATUS(status) === HANDLER_RAN || WEXITSTATUS(status) === HANDLER_DID_NOT_RUN) {
      tst_res(TFAIL, `${tc.desc}: the SIGUSR2 handler ${tc.handlerRuns ? "did not run" : "ran"}`);
    } else {
      tst_res(TFAIL, `after ${tc.desc} the child ${tst_strstatus(status)}`);
    }
  },
});
