/*
 * PTRACE_SINGLESTEP runs exactly one instruction: over a straight run of instructions of
 * different lengths (1, 3, 5 and 10 bytes), each step stops the tracee with SIGTRAP and
 * advances rip by the length of the instruction it ran; the stop's siginfo is TRAP_TRACE
 * with si_addr = the new rip.
 * probe (x86_64): a step over a nop: status 0x57f, rip + 1, si_signo 5, si_code 2 (TRAP_TRACE),
 * si_addr = rip.
 */
import {
  defineTest, PTRACE_KILL, PTRACE_SINGLESTEP, SAFE_GETREGS, SAFE_PTRACE, SAFE_WAITPID, SIGTRAP, tst_checks, tst_fork_tracee,
  tst_getsiginfo, tst_load_code, tst_ptrace_resume, TST_RAISE_SIGSTOP, tst_strstatus, TRAP_TRACE,
  type LoadedCode, W_STOPCODE,
} from "../../../../src/ltp/index.js";

/** label -> the label of the instruction after it. */
const STEPS = [["i0", "i1"], ["i1", "i2"], ["i2", "i3"], ["i3", "i4"], ["i4", "i5"], ["i5", "done"]] as const;

let code: LoadedCode;

export default defineTest({
  forks_child: true,
  needs_single_step: true,
  async setup() {
    code = await tst_load_code(`
        ${TST_RAISE_SIGSTOP}
    i0: nop                      ; 1 byte
    i1: add rax, rbx             ; 3 bytes
    i2: mov eax, 0x12345678      ; 5 bytes
    i3: mov rbx, 0x1122334455667788 ; 10 bytes
    i4: push rbx                 ; 1 byte
    i5: pop rcx                  ; 1 byte
  done:
        int3`);
  },
  async test_all() {
    const pid = await tst_fork_tracee(code.addr);
    const { check, pass } = tst_checks();
    for (const [from, to] of STEPS) {
      const status = await tst_ptrace_resume(pid, PTRACE_SINGLESTEP);
      const rip = Number((await SAFE_GETREGS(pid)).rip);
      const info = await tst_getsiginfo(pid);
      const len = code.labels[to]! - code.labels[from]!;
      check(status === W_STOPCODE(SIGTRAP) && rip === code.labels[to] && info.code === TRAP_TRACE && info.addr === rip,
        `step over ${from} (${len} bytes): tracee ${tst_strstatus(status)}, rip +${rip - code.labels[from]!}, si_code ${info.code}, si_addr 0x${info.addr.toString(16)}`);
    }
    pass(`${STEPS.length} single-steps advanced rip by each instruction's length (1, 3, 5, 10, 1, 1), SIGTRAP TRAP_TRACE each`);
    await SAFE_PTRACE(PTRACE_KILL, pid);
    await SAFE_WAITPID(pid);
  },
});
