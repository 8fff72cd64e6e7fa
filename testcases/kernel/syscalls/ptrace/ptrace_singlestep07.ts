/*
 * PTRACE_SINGLESTEP with a signal stops at the first instruction of the signal's handler,
 * before it runs (the stop of the signal's delivery, si_code SIGTRAP), with the debugger's TF
 * cleared for the handler and the signal number in rdi. Steps go on inside the handler
 * (TRAP_TRACE), and after PTRACE_CONT the handler returns through its restorer
 * (rt_sigreturn) to where the signal came in.
 * probe (x86_64): SINGLESTEP with data = SIGUSR1 and a SIGUSR1 handler: 0x57f at rip = the
 * handler, si_code 5, eflags without TF, rdi 10; the next step si_code 2; after PTRACE_CONT
 * the handler returns through rt_sigreturn to where the signal came in.
 */
import {
  defineTest, malloc, pokeU64, PTRACE_CONT, PTRACE_KILL, PTRACE_SINGLESTEP, SA_RESTORER, SAFE_GETREGS, SAFE_PTRACE,
  SAFE_WAITPID, SIGTRAP, SIGUSR1, syscall, TBROK, TERRNO, tst_brk, tst_fork_tracee, tst_getsiginfo,
  tst_load_code, tst_ptrace_resume, TST_RAISE_SIGSTOP, tst_strstatus, TRAP_TRACE, type LoadedCode, W_STOPCODE, tst_checks,
} from "../../../../src/ltp/index.js";

const X86_EFLAGS_TF = 0x100;
const TRAPPED = W_STOPCODE(SIGTRAP);

let code: LoadedCode;

/** rt_sigaction(SIGUSR1) with the kernel's struct sigaction: handler, flags, restorer, mask. */
async function install_handler(): Promise<void> {
  const act = malloc(32);
  pokeU64(act, code.labels.handler!);
  pokeU64(act + 8, SA_RESTORER);
  pokeU64(act + 16, code.labels.restorer!);
  pokeU64(act + 24, 0);
  if (await syscall("rt_sigaction", SIGUSR1, act, 0, 8) !== 0) tst_brk(TBROK | TERRNO, "rt_sigaction(SIGUSR1)");
}

export default defineTest({
  forks_child: true,
  needs_single_step: true,
  async setup() {
    code = await tst_load_code(`
        ${TST_RAISE_SIGSTOP}
        nop                      ; SIGUSR1 comes in here
  done: int3
handler:
        mov eax, 1
    h1: ret                      ; to the restorer
restorer:
        mov eax, 15              ; rt_sigreturn
        syscall`);
  },
  async test_all() {
    const pid = await tst_fork_tracee(code.addr, install_handler);
    const handler = code.labels.handler!;
    const { check, pass } = tst_checks();

    let status = await tst_ptrace_resume(pid, PTRACE_SINGLESTEP, SIGUSR1);
    let regs = await SAFE_GETREGS(pid);
    let info = await tst_getsiginfo(pid);
    check(status === TRAPPED && Number(regs.rip) === handler,
      `SINGLESTEP with SIGUSR1: tracee ${tst_strstatus(status)}, rip 0x${regs.rip.toString(16)}, expected the handler 0x${handler.toString(16)}`);
    check(info.code === SIGTRAP, `SINGLESTEP with SIGUSR1: si_code ${info.code}, expected ${SIGTRAP} (the delivery's report)`);
    check(!(Number(regs.eflags) & X86_EFLAGS_TF) && Number(regs.rdi) === SIGUSR1,
      `at the handler: eflags 0x${regs.eflags.toString(16)}, rdi ${regs.rdi}, expected no TF and rdi ${SIGUSR1}`);

    status = await tst_ptrace_resume(pid, PTRACE_SINGLESTEP);
    regs = await SAFE_GETREGS(pid);
    info = await tst_getsiginfo(pid);
    check(status === TRAPPED && Number(regs.rip) === code.labels.h1 && info.code === TRAP_TRACE,
      `step in the handler: tracee ${tst_strstatus(status)}, rip handler+${Number(regs.rip) - handler}, si_code ${info.code}, expected handler+5 and TRAP_TRACE`);

    status = await tst_ptrace_resume(pid, PTRACE_CONT);
    regs = await SAFE_GETREGS(pid);
    check(status === TRAPPED && Number(regs.rip) === code.labels.done! + 1,
      `PTRACE_CONT from the handler: tracee ${tst_strstatus(status)}, rip 0x${regs.rip.toString(16)}, expected the int3 after the signal's return 0x${(code.labels.done! + 1).toString(16)}`);

    pass("SINGLESTEP with SIGUSR1 stopped at the handler (si_code 5, no TF, rdi 10), stepped in it (TRAP_TRACE), and CONT returned through rt_sigreturn to the int3");
    await SAFE_PTRACE(PTRACE_KILL, pid);
    await SAFE_WAITPID(pid);
  },
});
