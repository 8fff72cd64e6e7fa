/*
 * A hardware execution breakpoint set through the debug registers stops the tracee before
 * the instruction at its address runs (LTP's ptrace10):
 * 0) DR0 = the address of the 3rd instruction after the tracee's stop, DR7 = 1: PTRACE_CONT
 *    stops it with SIGTRAP there, RF set in eflags (so that resuming runs the instruction),
 *    DR6 saying breakpoint 0 hit, siginfo TRAP_HWBKPT with si_addr = the address; the next
 *    PTRACE_CONT runs past it to the int3 that follows;
 * 1) LTP's order: DR0 = 1, DR7 = 1 (enabled), then DR0 = the address: moving an enabled
 *    breakpoint takes effect (the regression of "perf/hw_breakpoint: Modify breakpoint even
 *    if the new attr has disabled set");
 * 2) DR7 = 1 then DR7 = 0: the disabled breakpoint does not fire, PTRACE_CONT reaches the int3;
 * 3) DR7 = 1 first (breakpoint 0 enabled at address 0), then DR0 = the address: it fires.
 * x86-64 only (the debug registers are x86's; the tracee is machine code).
 * probe (x86_64): DR0 = the address of the 3rd instruction of the tracee's code, DR7 = 1,
 * PTRACE_CONT: stop 0x57f with rip == DR0, eflags has RF (0x10000), DR6 reads 0xffff0ff1,
 * GETSIGINFO si_code 4 (TRAP_HWBKPT), si_addr == DR0; the next PTRACE_CONT goes past it to
 * the following int3. DR0 = 1, DR7 = 1, DR0 = the address: each POKEUSER 0, the same stop at
 * the address (eflags 0x10246, DR6 0xffff0ff1), then the int3. DR0 = the address, DR7 = 1,
 * DR7 = 0: PTRACE_CONT stops only at the int3 (0x57f), DR6 0xffff0ff0. DR7 = 1, then DR0 =
 * the address: both 0, the stop at the address, then the int3.
 */
import {
  defineTest, offsetof_debugreg, PTRACE_CONT, PTRACE_KILL, PTRACE_PEEKUSER, PTRACE_POKEUSER, ptrace, ptrace_peek,
  SAFE_GETREGS, SAFE_PTRACE, SAFE_WAITPID, SIGTRAP, TERRNO, TFAIL, TPASS, TRAP_HWBKPT, tst_fork_tracee, tst_getsiginfo,
  tst_load_code, tst_ptrace_resume, TST_RAISE_SIGSTOP, tst_res, tst_strstatus, WIFSTOPPED, type LoadedCode,
} from "../../../../src/ltp/index.js";

const STOPPED_BY_SIGTRAP = (SIGTRAP << 8) | 0x7f;
const RF = 0x10000n;
/** DR6 after a hit of breakpoint 0: B0 and the bits that read as 1. */
const DR6_B0 = 0xffff0ff1n;
/** DR6 when no breakpoint was hit: the bits that read as 1. */
const DR6_NONE = 0xffff0ff0n;

/** POKEUSER writes, [debug register, value ("bp": the breakpoint's address)], and whether it fires. */
const tcases = [
  { writes: [[0, "bp"], [7, 1]], hits: true, desc: "DR0 = the address, DR7 = 1" },
  { writes: [[0, 1], [7, 1], [0, "bp"]], hits: true, desc: "DR0 = 1, DR7 = 1, DR0 = the address" },
  { writes: [[0, "bp"], [7, 1], [7, 0]], hits: false, desc: "DR0 = the address, DR7 = 1, DR7 = 0" },
  { writes: [[7, 1], [0, "bp"]], hits: true, desc: "DR7 = 1, DR0 = the address" },
] as const;

let code: LoadedCode;

export default defineTest({
  forks_child: true,
  supported_archs: ["x86_64"],
  tcnt: tcases.length,
  async setup() {
    code = await tst_load_code(`
        ${TST_RAISE_SIGSTOP}
        nop
        nop
    hwbp:
        mov eax, 1
        nop
        int3
    after:
        nop`);
  },
  async test(n) {
    const tc = tcases[n]!;
    const bp = code.labels.hwbp!, after = code.labels.after!;
    const pid = await tst_fork_tracee(code.addr);
    for (const [dr, v] of tc.writes) {
      const value = v === "bp" ? bp : v;
      if (await ptrace(PTRACE_POKEUSER, pid, offsetof_debugreg(dr), value) === -1) {
        tst_res(TFAIL | TERRNO, `${tc.desc}: PTRACE_POKEUSER DR${dr} = 0x${value.toString(16)} failed`);
        await SAFE_PTRACE(PTRACE_KILL, pid);
        await SAFE_WAITPID(pid);
        return;
      }
    }

    let status = await tst_ptrace_resume(pid, PTRACE_CONT);
    let regs = WIFSTOPPED(status) ? await SAFE_GETREGS(pid) : null;
    if (tc.hits) {
      const rip = regs ? Number(regs.rip) : -1;
      if (!regs || status !== STOPPED_BY_SIGTRAP || rip !== bp) {
        tst_res(TFAIL, `${tc.desc}: the tracee ${tst_strstatus(status)} at rip 0x${rip.toString(16)}, expected stopped by SIGTRAP at the breakpoint 0x${bp.toString(16)}`);
        await SAFE_PTRACE(PTRACE_KILL, pid);
        await SAFE_WAITPID(pid);
        return;
      }
      tst_res(TPASS, `${tc.desc}: the tracee stopped by SIGTRAP at the breakpoint`);
      const dr6 = await ptrace_peek(PTRACE_PEEKUSER, pid, offsetof_debugreg(6));
      const info = await tst_getsiginfo(pid);
      const problems: string[] = [];
      if (!(regs.eflags & RF)) problems.push(`eflags 0x${regs.eflags.toString(16)} without RF`);
      if (dr6 !== DR6_B0) problems.push(`DR6 0x${dr6?.toString(16) ?? "error"}, expected 0x${DR6_B0.toString(16)}`);
      if (info.signo !== SIGTRAP || info.code !== TRAP_HWBKPT || info.addr !== bp) {
        problems.push(`siginfo signo ${info.signo} code ${info.code} addr 0x${info.addr.toString(16)}, expected ${SIGTRAP}, ${TRAP_HWBKPT} (TRAP_HWBKPT), 0x${bp.toString(16)}`);
      }
      if (problems.length) tst_res(TFAIL, `at the breakpoint: ${problems.join("; ")}`);
      else tst_res(TPASS, "at the breakpoint: RF set, DR6 0xffff0ff1 (B0), siginfo TRAP_HWBKPT with si_addr the breakpoint");
      status = await tst_ptrace_resume(pid, PTRACE_CONT);
      regs = WIFSTOPPED(status) ? await SAFE_GETREGS(pid) : null;
    }
    const rip = regs ? Number(regs.rip) : -1;
    if (!tc.hits && regs) {
      const dr6 = await ptrace_peek(PTRACE_PEEKUSER, pid, offsetof_debugreg(6));
      if (dr6 !== DR6_NONE) tst_res(TFAIL, `DR6 reads 0x${dr6?.toString(16) ?? "error"} with no breakpoint hit, expected 0x${DR6_NONE.toString(16)}`);
    }
    if (status === STOPPED_BY_SIGTRAP && rip === after) {
      tst_res(TPASS, `PTRACE_CONT ${tc.hits ? "went on from the breakpoint" : "ran past the disabled breakpoint"} to the int3`);
    } else {
      tst_res(TFAIL, `after PTRACE_CONT the tracee ${tst_strstatus(status)} at rip 0x${rip.toString(16)}, expected stopped by SIGTRAP after the int3 (0x${after.toString(16)})`);
    }
    await SAFE_PTRACE(PTRACE_KILL, pid);
    await SAFE_WAITPID(pid);
  },
});
