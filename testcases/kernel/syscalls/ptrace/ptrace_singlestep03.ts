/*
 * The trap flag a tracer forces to single-step is hidden from it (GETREGS and PEEKUSER
 * eflags), but a TF the tracee sets itself with popf is the tracee's own: visible after the
 * step over popf, kept by PTRACE_CONT, which then stops after every instruction (TRAP_TRACE).
 * probe (x86_64): eflags after a forced step over a nop 0x246 / 0x202 (no TF); code
 * `pushfq; or qword ptr [rsp], 0x100; popfq; nop; nop` stepped: after the step over popfq
 * eflags 0x346 (TF), then each PTRACE_CONT stops after one instruction with 0x57f, si_code 2,
 * TF still visible.
 */
import {
  defineTest, offsetof_regs, PTRACE_CONT, PTRACE_KILL, PTRACE_PEEKUSER, PTRACE_SINGLESTEP, SAFE_GETREGS, SAFE_PTRACE,
  SAFE_WAITPID, SIGTRAP, tst_fork_tracee, tst_getsiginfo, tst_load_code, tst_ptrace_resume, TST_RAISE_SIGSTOP,
  tst_strstatus, TRAP_TRACE, type LoadedCode, W_STOPCODE, tst_checks,
} from "../../../../src/ltp/index.js";

const X86_EFLAGS_TF = 0x100;
const TRAPPED = W_STOPCODE(SIGTRAP);

let code: LoadedCode;

export default defineTest({
  forks_child: true,
  needs_single_step: true,
  async setup() {
    code = await tst_load_code(`
        ${TST_RAISE_SIGSTOP}
        nop
        nop
        pushfq
        or qword ptr [rsp], 0x100
        popfq
    t0: nop
    t1: nop
    t2: nop
        int3`);
  },
  async test_all() {
    const pid = await tst_fork_tracee(code.addr);
    const { check, pass } = tst_checks();

    // The two nops, pushfq and or: the debugger's TF must not show.
    for (let i = 0; i < 4; i++) {
      const status = await tst_ptrace_resume(pid, PTRACE_SINGLESTEP);
      const flags = Number((await SAFE_GETREGS(pid)).eflags);
      const peeked = Number(await SAFE_PTRACE(PTRACE_PEEKUSER, pid, offsetof_regs("eflags")));
      check(status === TRAPPED && !(flags & X86_EFLAGS_TF) && !(peeked & X86_EFLAGS_TF),
        `forced step ${i + 1}: tracee ${tst_strstatus(status)}, GETREGS eflags 0x${flags.toString(16)}, PEEKUSER eflags 0x${peeked.toString(16)}, expected no TF`);
    }

    let status = await tst_ptrace_resume(pid, PTRACE_SINGLESTEP);
    let regs = await SAFE_GETREGS(pid);
    check(status === TRAPPED && Number(regs.rip) === code.labels.t0 && (Number(regs.eflags) & X86_EFLAGS_TF) !== 0,
      `step over popfq: tracee ${tst_strstatus(status)}, rip 0x${regs.rip.toString(16)}, eflags 0x${regs.eflags.toString(16)}, expected the tracee's TF`);

    // The tracee's TF is not the debugger's to take away on PTRACE_CONT.
    for (const to of ["t1", "t2"] as const) {
      status = await tst_ptrace_resume(pid, PTRACE_CONT);
      regs = await SAFE_GETREGS(pid);
      const info = await tst_getsiginfo(pid);
      check(status === TRAPPED && Number(regs.rip) === code.labels[to] && info.code === TRAP_TRACE && (Number(regs.eflags) & X86_EFLAGS_TF) !== 0,
        `PTRACE_CONT with the tracee's TF: tracee ${tst_strstatus(status)}, rip 0x${regs.rip.toString(16)} (expected ${to} 0x${code.labels[to]!.toString(16)}), si_code ${info.code}, eflags 0x${regs.eflags.toString(16)}`);
    }

    pass("forced TF hidden from GETREGS/PEEKUSER; the tracee's own TF (popfq) is visible and makes PTRACE_CONT stop after each instruction with TRAP_TRACE");
    await SAFE_PTRACE(PTRACE_KILL, pid);
    await SAFE_WAITPID(pid);
  },
});
