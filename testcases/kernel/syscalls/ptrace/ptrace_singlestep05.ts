/*
 * A single-step over the syscall instruction stops right after it, with the call made
 * (getpid's result in rax, orig_rax the syscall number); the trap is reported from the
 * syscall exit as TRAP_BRKPT, not TRAP_TRACE, and does not set DR6.
 * probe (x86_64): step over `mov eax, 39; syscall`: 0x57f, rip after the syscall, rax = the
 * child's pid, orig_rax 39, si_code 1 (TRAP_BRKPT), DR6 still 0 when cleared before.
 */
import {
  defineTest, offsetof_debugreg, PTRACE_KILL, PTRACE_PEEKUSER, PTRACE_POKEUSER, PTRACE_SINGLESTEP, SAFE_GETREGS,
  SAFE_PTRACE, SAFE_WAITPID, SIGTRAP, tst_fork_tracee, tst_getsiginfo, tst_load_code, tst_ptrace_resume,
  TST_RAISE_SIGSTOP, tst_strstatus, TRAP_BRKPT, type LoadedCode, W_STOPCODE, tst_checks,
} from "../../../../src/ltp/index.js";

const DR6 = offsetof_debugreg(6);
const TRAPPED = W_STOPCODE(SIGTRAP);
const NR_getpid = 39;

let code: LoadedCode;

export default defineTest({
  forks_child: true,
  needs_single_step: true,
  async setup() {
    code = await tst_load_code(`
        ${TST_RAISE_SIGSTOP}
        mov eax, ${NR_getpid}
    sc: syscall
  after:
        nop
        int3`);
  },
  async test_all() {
    const pid = await tst_fork_tracee(code.addr);
    const { check, pass } = tst_checks();

    let status = await tst_ptrace_resume(pid, PTRACE_SINGLESTEP);
    let regs = await SAFE_GETREGS(pid);
    check(status === TRAPPED && Number(regs.rip) === code.labels.sc, `step over mov: tracee ${tst_strstatus(status)}, rip 0x${regs.rip.toString(16)}, expected sc`);

    // Cleared, so that a BS here could only come from the step over syscall.
    await SAFE_PTRACE(PTRACE_POKEUSER, pid, DR6, 0);
    status = await tst_ptrace_resume(pid, PTRACE_SINGLESTEP);
    regs = await SAFE_GETREGS(pid);
    const info = await tst_getsiginfo(pid);
    const dr6 = await SAFE_PTRACE(PTRACE_PEEKUSER, pid, DR6);
    check(status === TRAPPED, `step over syscall: tracee ${tst_strstatus(status)}, expected stopped by SIGTRAP (0x57f)`);
    check(Number(regs.rip) === code.labels.after, `step over syscall: rip 0x${regs.rip.toString(16)}, expected the next instruction 0x${code.labels.after!.toString(16)}`);
    check(Number(regs.rax) === pid && Number(regs.orig_rax) === NR_getpid, `step over syscall: rax ${regs.rax}, orig_rax ${regs.orig_rax}, expected getpid() = ${pid} and ${NR_getpid}`);
    check(info.signo === SIGTRAP && info.code === TRAP_BRKPT, `step over syscall: si_signo ${info.signo}, si_code ${info.code}, expected SIGTRAP TRAP_BRKPT (${TRAP_BRKPT})`);
    check(dr6 === 0, `step over syscall: DR6 0x${dr6.toString(16)}, expected 0 (left as cleared)`);

    pass("step over syscall (getpid) stopped after it with rax = pid, orig_rax 39, SIGTRAP TRAP_BRKPT, DR6 untouched");
    await SAFE_PTRACE(PTRACE_KILL, pid);
    await SAFE_WAITPID(pid);
  },
});
