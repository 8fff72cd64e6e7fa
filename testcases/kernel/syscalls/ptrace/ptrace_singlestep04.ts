/*
 * After a stop with rip = X+1 a debugger cannot tell from rip whether an int3 at X trapped or
 * a 1-byte instruction at X was single-stepped; DR6.BS tells them apart, provided the debugger
 * clears DR6 before resuming. Here a breakpoint is hit, its original byte (a nop) put back
 * with POKETEXT and rip set back to it, as a debugger does, and the nop is stepped: both stops
 * have rip - 1 == bp, only the second has BS.
 * probe (x86_64): int3 stop after PTRACE_CONT: 0x57f, rip = int3 + 1, si_code 0x80, DR6
 * untouched (0 after POKEUSER DR6 = 0); a step over a nop: 0x57f, rip + 1, si_code 2, DR6
 * 0xffff4ff0 (BS = 0x4000).
 */
import {
  defineTest, offsetof_debugreg, offsetof_regs, PTRACE_CONT, PTRACE_KILL, PTRACE_PEEKTEXT, PTRACE_PEEKUSER,
  PTRACE_POKETEXT, PTRACE_POKEUSER, PTRACE_SINGLESTEP, SAFE_GETREGS, SAFE_PTRACE, SAFE_WAITPID, SIGTRAP,
  tst_fork_tracee, tst_load_code, tst_ptrace_resume, TST_RAISE_SIGSTOP, tst_res,
  tst_strstatus, type LoadedCode, W_STOPCODE, tst_checks,
} from "../../../../src/ltp/index.js";

const DR6 = offsetof_debugreg(6);
const DR6_BS = 0x4000;
const TRAPPED = W_STOPCODE(SIGTRAP);

let code: LoadedCode;

export default defineTest({
  forks_child: true,
  needs_single_step: true,
  async setup() {
    // The bytes after the jmp (never run) make the word at bp use all 64 bits (0x88443322_1105ebcc,
    // a bigint): POKETEXT must put it back whole.
    code = await tst_load_code(`
        ${TST_RAISE_SIGSTOP}
  bkpt: int3                     ; the debugger's breakpoint over a nop
        jmp done
        db 0x11, 0x22, 0x33, 0x44, 0x88
  done:
        int3`);
  },
  async test_all() {
    const pid = await tst_fork_tracee(code.addr);
    const bp = code.labels.bkpt!;
    const { check, pass } = tst_checks();
    // Resumes with DR6 cleared; the stop's rip and whether DR6.BS says it was a step.
    const resume = async (request: number, what: string): Promise<{ rip: number; bs: boolean }> => {
      await SAFE_PTRACE(PTRACE_POKEUSER, pid, DR6, 0);
      const status = await tst_ptrace_resume(pid, request);
      const rip = Number((await SAFE_GETREGS(pid)).rip);
      const dr6 = Number(await SAFE_PTRACE(PTRACE_PEEKUSER, pid, DR6));
      check(status === TRAPPED, `${what}: tracee ${tst_strstatus(status)}, expected stopped by SIGTRAP (0x57f)`);
      return { rip, bs: (dr6 & DR6_BS) !== 0 };
    };

    const hit = await resume(PTRACE_CONT, "PTRACE_CONT to the breakpoint");
    check(hit.rip === bp + 1 && !hit.bs, `breakpoint stop: rip bp+${hit.rip - bp}, DR6.BS ${hit.bs ? "set" : "clear"}, expected bp+1 with BS clear`);

    const word = BigInt(await SAFE_PTRACE(PTRACE_PEEKTEXT, pid, bp));
    await SAFE_PTRACE(PTRACE_POKETEXT, pid, bp, (word & ~0xffn) | 0x90n);
    await SAFE_PTRACE(PTRACE_POKEUSER, pid, offsetof_regs("rip"), bp);

    const step = await resume(PTRACE_SINGLESTEP, "step over the restored nop");
    check(step.rip === bp + 1 && step.bs, `step stop: rip bp+${step.rip - bp}, DR6.BS ${step.bs ? "set" : "clear"}, expected bp+1 with BS set`);

    // The restored code runs on: the jmp takes it to the next breakpoint.
    const end = await resume(PTRACE_CONT, "PTRACE_CONT after the nop");
    check(end.rip === code.labels.done! + 1, `PTRACE_CONT ran to rip 0x${end.rip.toString(16)}, expected done+1 0x${(code.labels.done! + 1).toString(16)}`);

    pass("breakpoint and step stops both had rip - 1 == bp; DR6.BS was clear at the breakpoint and set after the step");
    await SAFE_PTRACE(PTRACE_KILL, pid);
    await SAFE_WAITPID(pid);
  },
});
