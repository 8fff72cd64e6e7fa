/*
 * PTRACE_PEEKUSER of each slot of struct user's regs (struct user_regs_struct) reads the same
 * value as that field of PTRACE_GETREGS, all 64 bits of it, at two stops:
 * 0) the signal-delivery-stop of the tracee's kill(getpid(), SIGSTOP), just after a system
 *    call (orig_rax is its number);
 * 1) the int3 after the tracee's code has loaded a distinct value into each general-purpose
 *    register (the values are checked too, so that the comparison is not of zeros).
 * x86-64 only (struct user and GETREGS are x86's; the tracee is machine code).
 * probe (x86_64): PEEKUSER of every user_regs_struct slot equals the same field of
 * PTRACE_GETREGS.
 */
import {
  defineTest, offsetof_regs, PTRACE_CONT, PTRACE_KILL, PTRACE_PEEKUSER, ptrace_peek, SAFE_GETREGS, SAFE_PTRACE,
  SAFE_WAITPID, SIGTRAP, TFAIL, TPASS, TERRNO, tst_fork_tracee, tst_load_code, tst_ptrace_resume, TST_RAISE_SIGSTOP,
  tst_res, tst_strstatus, USER_REGS_SIZE, type LoadedCode, type UserRegsField, tst_strword,
} from "../../../../src/ltp/index.js";

/** The values the code loads, by register. */
const VALUES: Partial<Record<UserRegsField, bigint>> = {
  rax: 0x0a0a0a0a0a0a0a0an, rbx: 0x1111111111111111n, rcx: 0xcccccccccccccccdn, rdx: 0x3333333333333333n,
  rsi: 0x4444444444444444n, rdi: 0x5555555555555555n, rbp: 0x6666666666666666n, r8: 0x8888888888888888n,
  r9: 0x9999999999999999n, r10: 0x1010101010101010n, r11: 0x1111111111110011n, r12: 0x1212121212121212n,
  r13: 0x1313131313131313n, r14: 0x1414141414141414n, r15: 0xf15f15f15f15f15fn,
};

/** Every slot of user_regs_struct, in order (offsetof_regs() gives each one's offset). */
const FIELDS: readonly UserRegsField[] = [
  "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi", "rdi",
  "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs",
];

let code: LoadedCode;

export default defineTest({
  forks_child: true,
  supported_archs: ["x86_64"],
  tcnt: 2,
  async setup() {
    const movs = Object.entries(VALUES).map(([r, v]) => `movabs ${r}, 0x${v!.toString(16)}`).join("\n");
    code = await tst_load_code(`
        ${TST_RAISE_SIGSTOP}
        ${movs}
        int3
    after:
        nop`);
  },
  async test(n) {
    if (FIELDS.length * 8 !== USER_REGS_SIZE) tst_res(TFAIL, `user_regs_struct has ${USER_REGS_SIZE / 8} slots, the test knows ${FIELDS.length}`);
    const pid = await tst_fork_tracee(code.addr);
    let where = "the SIGSTOP stop";
    if (n === 1) {
      where = "the int3 stop";
      const status = await tst_ptrace_resume(pid, PTRACE_CONT);
      if (status !== ((SIGTRAP << 8) | 0x7f)) {
        tst_res(TFAIL, `the tracee ${tst_strstatus(status)}, expected stopped by SIGTRAP (0x57f)`);
        await SAFE_PTRACE(PTRACE_KILL, pid);
        await SAFE_WAITPID(pid);
        return;
      }
    }

    const regs = await SAFE_GETREGS(pid);
    let ok = true;
    for (const f of FIELDS) {
      const off = offsetof_regs(f);
      const v = await ptrace_peek(PTRACE_PEEKUSER, pid, off);
      if (v === null) {
        ok = false;
        tst_res(TFAIL | TERRNO, `PTRACE_PEEKUSER of ${f} (offset ${off}) failed`);
      } else if (v !== regs[f]) {
        ok = false;
        tst_res(TFAIL, `at ${where}: PTRACE_PEEKUSER of ${f} (offset ${off}) read ${tst_strword(v)}, PTRACE_GETREGS ${tst_strword(regs[f])}`);
      }
    }
    if (ok) tst_res(TPASS, `at ${where}: PTRACE_PEEKUSER of each of the ${FIELDS.length} user_regs_struct slots read what PTRACE_GETREGS did`);

    if (n === 0) {
      // After kill(2) (syscall 62), which returned 0.
      if (regs.orig_rax === 62n && regs.rax === 0n) tst_res(TPASS, "orig_rax is kill's number (62), rax its result (0)");
      else tst_res(TFAIL, `orig_rax ${tst_strword(regs.orig_rax)}, rax ${tst_strword(regs.rax)}, expected 62 and 0`);
    } else {
      const wrong = Object.entries(VALUES).filter(([r, v]) => regs[r as UserRegsField] !== v);
      for (const [r, v] of wrong) tst_res(TFAIL, `${r} is ${tst_strword(regs[r as UserRegsField])}, the code loaded ${tst_strword(v!)}`);
      if (regs.rip !== BigInt(code.labels.after!)) tst_res(TFAIL, `rip is ${tst_strword(regs.rip)}, expected the address after the int3 (0x${code.labels.after!.toString(16)})`);
      if (!wrong.length && regs.rip === BigInt(code.labels.after!)) {
        tst_res(TPASS, `the ${Object.keys(VALUES).length} registers hold the values the code loaded, rip is just after the int3`);
      }
    }
    await SAFE_PTRACE(PTRACE_KILL, pid);
    await SAFE_WAITPID(pid);
  },
});
