/*
 * A single-step sets DR6.BS, and only the tracer clears it: the int3 a tracer continues to
 * does not touch DR6, so a tracer that clears DR6 before resuming sees 0 at the int3 stop,
 * and one that does not still sees the BS of its last step.
 * probe (x86_64): DR6 reads 0xffff0ff0 at first and 0xffff4ff0 after a step (BS = 0x4000);
 * POKEUSER DR6 = 0 reads back 0; an int3 stop after PTRACE_CONT leaves DR6 as it was (0 when
 * cleared, the stale 0xffff4ff0 when not).
 */
import {
  defineTest, offsetof_debugreg, PTRACE_CONT, PTRACE_KILL, PTRACE_PEEKUSER, PTRACE_POKEUSER, PTRACE_SINGLESTEP,
  SAFE_GETREGS, SAFE_PTRACE, SAFE_WAITPID, SIGTRAP, tst_fork_tracee, tst_load_code, tst_ptrace_resume,
  TST_RAISE_SIGSTOP, tst_strstatus, type LoadedCode, W_STOPCODE, tst_checks,
} from "../../../../src/ltp/index.js";

const DR6 = offsetof_debugreg(6);
const DR6_INIT = 0xffff0ff0, DR6_STEPPED = 0xffff4ff0;
const TRAPPED = W_STOPCODE(SIGTRAP);

let code: LoadedCode;

export default defineTest({
  forks_child: true,
  needs_single_step: true,
  async setup() {
    code = await tst_load_code(`
        ${TST_RAISE_SIGSTOP}
        nop
    bp1: int3
        nop
    bp2: int3`);
  },
  async test_all() {
    const pid = await tst_fork_tracee(code.addr);
    const dr6 = async (): Promise<number> => Number(await SAFE_PTRACE(PTRACE_PEEKUSER, pid, DR6));
    const { check, pass } = tst_checks();
    // Continues to the int3 at `bp` and returns DR6 there.
    const contToInt3 = async (bp: string): Promise<number> => {
      const status = await tst_ptrace_resume(pid, PTRACE_CONT);
      const rip = Number((await SAFE_GETREGS(pid)).rip);
      check(status === TRAPPED && rip === code.labels[bp]! + 1, `PTRACE_CONT to ${bp}: tracee ${tst_strstatus(status)}, rip 0x${rip.toString(16)}`);
      return dr6();
    };

    let v = await dr6();
    check(v === DR6_INIT, `DR6 before any step reads 0x${v.toString(16)}, expected 0x${DR6_INIT.toString(16)}`);
    const status = await tst_ptrace_resume(pid, PTRACE_SINGLESTEP);
    v = await dr6();
    check(status === TRAPPED && v === DR6_STEPPED, `after a step: tracee ${tst_strstatus(status)}, DR6 0x${v.toString(16)}, expected 0x${DR6_STEPPED.toString(16)}`);

    // A debugger that forgets to clear DR6 sees the step's BS at the breakpoint.
    v = await contToInt3("bp1");
    check(v === DR6_STEPPED, `int3 stop without clearing DR6: DR6 0x${v.toString(16)}, expected the stale 0x${DR6_STEPPED.toString(16)}`);

    await tst_ptrace_resume(pid, PTRACE_SINGLESTEP);
    await SAFE_PTRACE(PTRACE_POKEUSER, pid, DR6, 0);
    v = await dr6();
    check(v === 0, `POKEUSER DR6 = 0 reads back 0x${v.toString(16)}`);
    v = await contToInt3("bp2");
    check(v === 0, `int3 stop after clearing DR6: DR6 0x${v.toString(16)}, expected 0 (int3 does not set DR6)`);

    pass("a step sets DR6.BS (0xffff4ff0); int3 leaves DR6 alone: 0 when the tracer cleared it, the stale BS when not");
    await SAFE_PTRACE(PTRACE_KILL, pid);
    await SAFE_WAITPID(pid);
  },
});
