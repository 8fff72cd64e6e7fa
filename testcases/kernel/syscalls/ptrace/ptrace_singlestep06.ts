/*
 * PTRACE_CONT after single-steps takes the debugger's trap flag away: the tracee runs freely
 * to the next int3 and stops there once, with the instructions in between all run and no TF
 * left in eflags.
 * probe (x86_64): several single-steps then PTRACE_CONT: the next stop is the int3's (0x57f,
 * rip = int3 + 1, si_code 0x80 SI_KERNEL, si_addr 0), eflags without TF.
 */
import {
  defineTest, PTRACE_CONT, PTRACE_KILL, PTRACE_SINGLESTEP, SAFE_GETREGS, SAFE_PTRACE, SAFE_WAITPID, SI_KERNEL, SIGTRAP,
  tst_fork_tracee, tst_getsiginfo, tst_load_code, tst_ptrace_resume, TST_RAISE_SIGSTOP, tst_strstatus,
  type LoadedCode, W_STOPCODE, tst_checks,
} from "../../../../src/ltp/index.js";

const X86_EFLAGS_TF = 0x100;
const TRAPPED = W_STOPCODE(SIGTRAP);
const STEPS = 3, INCS = 6;

let code: LoadedCode;

export default defineTest({
  forks_child: true,
  needs_single_step: true,
  async setup() {
    code = await tst_load_code(`
        ${TST_RAISE_SIGSTOP}
        xor ebx, ebx
        ${"inc rbx\n".repeat(INCS)}
  bkpt: int3
        inc rbx
        int3`);
  },
  async test_all() {
    const pid = await tst_fork_tracee(code.addr);
    const { check, pass } = tst_checks();

    for (let i = 0; i < STEPS; i++) {
      const status = await tst_ptrace_resume(pid, PTRACE_SINGLESTEP);
      check(status === TRAPPED, `step ${i + 1}: tracee ${tst_strstatus(status)}`);
    }
    const before = (await SAFE_GETREGS(pid)).rbx;

    // Had the forced TF survived, this stop would be a step inside the incs (TRAP_TRACE).
    const status = await tst_ptrace_resume(pid, PTRACE_CONT);
    const regs = await SAFE_GETREGS(pid);
    const info = await tst_getsiginfo(pid);
    check(status === TRAPPED, `PTRACE_CONT: tracee ${tst_strstatus(status)}, expected stopped by SIGTRAP (0x57f)`);
    check(Number(regs.rip) === code.labels.bkpt! + 1 && info.code === SI_KERNEL && info.addr === 0,
      `PTRACE_CONT stopped at rip 0x${regs.rip.toString(16)} with si_code 0x${info.code.toString(16)}, si_addr 0x${info.addr.toString(16)}, expected the int3's stop at bp+1 (SI_KERNEL, 0)`);
    check(regs.rbx === BigInt(INCS), `rbx ${regs.rbx} at the int3 (${before} after the steps), expected all ${INCS} incs run`);
    check(!(Number(regs.eflags) & X86_EFLAGS_TF), `eflags at the int3 0x${regs.eflags.toString(16)}, expected no TF`);

    pass(`${STEPS} steps then PTRACE_CONT: one stop, at the int3 (SI_KERNEL), all ${INCS} incs run, no TF`);
    await SAFE_PTRACE(PTRACE_KILL, pid);
    await SAFE_WAITPID(pid);
  },
});
