/*
 * The x86 debug registers through PTRACE_POKEUSER (LTP's ptrace08, CVE-2018-1000199, and
 * the rest of the checks of ptrace_set_debugreg()):
 * 0) with DR0 = 1 enabled as an execute breakpoint (DR7 = 1), DR0 = a kernel address is EINVAL
 *    and DR0 does not read back the kernel address (LTP's ptrace08);
 * 1) with the same enabled breakpoint, DR0 = a user address is accepted and reads back (so
 *    that 0) fails for the address, not for any change of an enabled breakpoint);
 * 2-4) DR0 = a kernel address, TASK_SIZE_MAX (0x7ffffffff000) or the last word of the guard
 *    page above it (0x7ffffffffff8) is EINVAL: a user breakpoint must lie below TASK_SIZE_MAX;
 * 5) DR0 = 0x7fffffffefff, the last user byte, is accepted and reads back;
 * 6-7) DR4 and DR5 do not exist: EIO;
 * 8) DR6 reads back what was written;
 * 9-14) DR7 with DR0 at a user address: 0x1 (local execute breakpoint) and 0x701 (with LE, GE
 *    and a reserved bit) are accepted and read back verbatim; 0x20001 (RW=10, I/O), 0xc0001
 *    and 0x80001 (execute with length 4 or 8) are EINVAL, and DR7 keeps its value (0, or
 *    0x701 written before).
 * x86-64 only (the debug registers are x86's; the tracee is machine code).
 * probe (x86_64): POKEUSER DR0 = 0xffffffff81000000 (kernel address): EINVAL (LTP ptrace08);
 * DR0 = 0x7ffffffff000 or 0x7ffffffffff8: EINVAL; 0x7fffffffefff ok. DR4, DR5 write: EIO. DR6
 * reads back what was written. DR7 (with DR0 a user address) = 0x1 ok; 0x20001 (RW=10, I/O)
 * EINVAL; 0xc0001 and 0x80001 (execute with len 4/8) EINVAL; accepted values read back
 * verbatim (e.g. 0x701). DR0 = 1, DR7 = 1, then DR0 = 0xffffffff81000000: EINVAL, DR0 reads
 * 0x1; DR0 = a user address instead: 0, reads it back. DR0 = 0x7fffffffefff reads back;
 * DR6 = 0xffff4ff1 reads back. After an EINVAL DR7 reads what it read before (0, or 0x701).
 */
import {
  defineTest, EINVAL, EIO, offsetof_debugreg, PTRACE_KILL, PTRACE_PEEKUSER, PTRACE_POKEUSER, ptrace, ptrace_peek,
  SAFE_PTRACE, SAFE_WAITPID, TFAIL, TPASS, TERRNO, tst_fork_tracee, tst_load_code, TST_EXP_FAIL, TST_EXP_PASS,
  TST_RAISE_SIGSTOP, tst_res, type LoadedCode, tst_strword, type Word,
} from "../../../../src/ltp/index.js";

const KERNEL_ADDR = 0xffffffff81000000n;
const TASK_SIZE_MAX = 0x7ffffffff000;

interface Tcase {
  readonly dr: number;
  /** The value; "user" is the address of the tracee's code. */
  readonly value: Word | "user";
  /** The errno expected, or 0 for success. */
  readonly exp: number;
  /** POKEUSER writes done first (SAFE): [dr, value]. */
  readonly before?: readonly (readonly [number, number | "user"])[];
  readonly desc: string;
}

const tcases: readonly Tcase[] = [
  { dr: 0, value: KERNEL_ADDR, exp: EINVAL, before: [[0, 1], [7, 1]], desc: "DR0 = 0xffffffff81000000 with breakpoint 0 enabled at 1" },
  { dr: 0, value: "user", exp: 0, before: [[0, 1], [7, 1]], desc: "DR0 = a user address with breakpoint 0 enabled at 1" },
  { dr: 0, value: KERNEL_ADDR, exp: EINVAL, desc: "DR0 = 0xffffffff81000000" },
  { dr: 0, value: TASK_SIZE_MAX, exp: EINVAL, desc: "DR0 = 0x7ffffffff000 (TASK_SIZE_MAX)" },
  { dr: 0, value: 0x7ffffffffff8, exp: EINVAL, desc: "DR0 = 0x7ffffffffff8" },
  { dr: 0, value: TASK_SIZE_MAX - 1, exp: 0, desc: "DR0 = 0x7fffffffefff" },
  { dr: 4, value: 0, exp: EIO, desc: "DR4 = 0" },
  { dr: 5, value: 0, exp: EIO, desc: "DR5 = 0" },
  { dr: 6, value: 0xffff4ff1, exp: 0, desc: "DR6 = 0xffff4ff1" },
  { dr: 7, value: 0x1, exp: 0, before: [[0, "user"]], desc: "DR7 = 0x1 (L0, execute)" },
  { dr: 7, value: 0x701, exp: 0, before: [[0, "user"]], desc: "DR7 = 0x701 (L0, LE, GE, bit 10)" },
  { dr: 7, value: 0x20001, exp: EINVAL, before: [[0, "user"]], desc: "DR7 = 0x20001 (L0, RW0 = 10: I/O)" },
  { dr: 7, value: 0xc0001, exp: EINVAL, before: [[0, "user"]], desc: "DR7 = 0xc0001 (L0, execute, LEN0 = 11)" },
  { dr: 7, value: 0x80001, exp: EINVAL, before: [[0, "user"]], desc: "DR7 = 0x80001 (L0, execute, LEN0 = 10)" },
  { dr: 7, value: 0x80001, exp: EINVAL, before: [[0, "user"], [7, 0x701]], desc: "DR7 = 0x80001 after DR7 = 0x701" },
];

let code: LoadedCode;

function valueOf(v: Word | "user"): Word {
  return v === "user" ? code.addr : v;
}

/** The word PTRACE_PEEKUSER reads, as a bigint (as the data the POKEUSER had: -1 is all ones). */
function asWord(v: Word): bigint {
  return BigInt.asUintN(64, BigInt(v));
}

export default defineTest({
  forks_child: true,
  supported_archs: ["x86_64"],
  tags: [["CVE", "2018-1000199"]],
  tcnt: tcases.length,
  async setup() {
    code = await tst_load_code(`
        ${TST_RAISE_SIGSTOP}
        int3`);
  },
  async test(n) {
    const tc = tcases[n]!;
    const pid = await tst_fork_tracee(code.addr);
    for (const [dr, v] of tc.before ?? []) await SAFE_PTRACE(PTRACE_POKEUSER, pid, offsetof_debugreg(dr), valueOf(v));
    const off = offsetof_debugreg(tc.dr);
    const old = await ptrace_peek(PTRACE_PEEKUSER, pid, off);
    const value = valueOf(tc.value);
    if (tc.exp) {
      if (await TST_EXP_FAIL(ptrace(PTRACE_POKEUSER, pid, off, value), tc.exp, tc.desc) && tc.dr !== 4 && tc.dr !== 5) {
        const now = await ptrace_peek(PTRACE_PEEKUSER, pid, off);
        if (now === null) tst_res(TFAIL | TERRNO, `PTRACE_PEEKUSER DR${tc.dr} failed`);
        else if (now === asWord(value)) tst_res(TFAIL, `DR${tc.dr} reads ${tst_strword(now)}, the value refused`);
        else if (now !== old) tst_res(TFAIL, `DR${tc.dr} reads ${tst_strword(now)}, it was ${tst_strword(old)}`);
        else tst_res(TPASS, `DR${tc.dr} still reads ${tst_strword(now)}`);
      }
    } else if (await TST_EXP_PASS(ptrace(PTRACE_POKEUSER, pid, off, value), tc.desc)) {
      const now = await ptrace_peek(PTRACE_PEEKUSER, pid, off);
      if (now === asWord(value)) tst_res(TPASS, `DR${tc.dr} reads back ${tst_strword(now)}`);
      else tst_res(TFAIL | (now === null ? TERRNO : 0), `DR${tc.dr} reads back ${tst_strword(now)}, expected ${tst_strword(asWord(value))}`);
    }
    await SAFE_PTRACE(PTRACE_KILL, pid);
    await SAFE_WAITPID(pid);
  },
});
