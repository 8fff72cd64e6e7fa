/*
 * PTRACE_PEEKUSER and PTRACE_POKEUSER at offsets of struct user that are out of bounds,
 * unaligned or not writable, and POKEUSER of register values the kernel refuses (LTP's
 * ptrace06, with x86_64's struct user):
 * - unaligned or negative offsets (1, 7, -1, -8, u_debugreg[0] + 4): EIO for both;
 * - past glibc's sizeof(struct user), the kernel's error_code and fault_address (0x390,
 *   0x398) read 0 and cannot be written; 0x3a0 is past the kernel's struct user: EIO;
 * - u_fpvalid (216), DR4 and DR5 read 0; u_fpvalid cannot be written;
 * - cs and ss must be a user selector (RPL 3, not null), fs_base a user address;
 * - eflags keeps only the flags a debugger may change.
 * x86-64 only (struct user is x86's; the tracee is machine code).
 * probe (x86_64): offsets 1, 7, -1, -8 and offsetof_debugreg(0)+4: EIO (PEEKUSER and
 * POKEUSER); PEEKUSER 0x390 and 0x398: 0, no error; 0x3a0: EIO; PEEKUSER of DR4, DR5,
 * u_fpvalid (offset 216): 0. POKEUSER at 0x390, 0x398, 0x3a0, 1, 216: EIO. POKEUSER cs: 0x33
 * ok, 0x10 EIO, 0 EIO; ss 0x2b ok, 0x10 EIO; fs_base 0x7fffffffe000 ok, 0x7ffffffff000 EIO.
 * eflags: POKEUSER all ones (-1) reads back 0x54fd7 (FLAG_MASK plus the IF and bit 1 that
 * were set).
 */
import {
  defineTest, EIO, offsetof_debugreg, offsetof_regs, PTRACE_KILL, PTRACE_PEEKUSER, PTRACE_POKEUSER, ptrace,
  ptrace_peek, SAFE_PTRACE, SAFE_WAITPID, TFAIL, TPASS, TERRNO, tst_fork_tracee, tst_load_code, TST_EXP_FAIL,
  TST_EXP_PASS, TST_RAISE_SIGSTOP, tst_res, type LoadedCode, tst_strword,
} from "../../../../src/ltp/index.js";

interface Tcase {
  readonly request: typeof PTRACE_PEEKUSER | typeof PTRACE_POKEUSER;
  readonly addr: number;
  readonly data?: number;
  /** The errno expected, or 0 for success. */
  readonly exp: number;
  /** For a PEEKUSER, the word it reads; for a POKEUSER that succeeds, the word read back. */
  readonly value?: bigint;
  readonly name: string;
}

const DR0 = offsetof_debugreg(0), DR4 = offsetof_debugreg(4), DR5 = offsetof_debugreg(5);
/** u_fpvalid: the int after user_regs_struct. */
const U_FPVALID = 216;
/** glibc's sizeof(struct user); the kernel's adds error_code and fault_address. */
const GLIBC_SIZEOF_USER = 0x390;

const PEEK = PTRACE_PEEKUSER, POKE = PTRACE_POKEUSER;

const tcases: readonly Tcase[] = [
  { request: PEEK, addr: 1, exp: EIO, name: "offset 1" },
  { request: PEEK, addr: 7, exp: EIO, name: "offset 7" },
  { request: PEEK, addr: -1, exp: EIO, name: "offset -1" },
  { request: PEEK, addr: -8, exp: EIO, name: "offset -8" },
  { request: PEEK, addr: DR0 + 4, exp: EIO, name: "u_debugreg[0] + 4" },
  { request: PEEK, addr: GLIBC_SIZEOF_USER, exp: 0, value: 0n, name: "error_code (0x390)" },
  { request: PEEK, addr: GLIBC_SIZEOF_USER + 8, exp: 0, value: 0n, name: "fault_address (0x398)" },
  { request: PEEK, addr: GLIBC_SIZEOF_USER + 16, exp: EIO, name: "0x3a0, past struct user" },
  { request: PEEK, addr: DR4, exp: 0, value: 0n, name: "u_debugreg[4]" },
  { request: PEEK, addr: DR5, exp: 0, value: 0n, name: "u_debugreg[5]" },
  { request: PEEK, addr: U_FPVALID, exp: 0, value: 0n, name: "u_fpvalid (216)" },
  { request: POKE, addr: 1, exp: EIO, name: "offset 1" },
  { request: POKE, addr: 7, exp: EIO, name: "offset 7" },
  { request: POKE, addr: -1, exp: EIO, name: "offset -1" },
  { request: POKE, addr: -8, exp: EIO, name: "offset -8" },
  { request: POKE, addr: DR0 + 4, exp: EIO, name: "u_debugreg[0] + 4" },
  { request: POKE, addr: GLIBC_SIZEOF_USER, exp: EIO, name: "error_code (0x390)" },
  { request: POKE, addr: GLIBC_SIZEOF_USER + 8, exp: EIO, name: "fault_address (0x398)" },
  { request: POKE, addr: GLIBC_SIZEOF_USER + 16, exp: EIO, name: "0x3a0, past struct user" },
  { request: POKE, addr: U_FPVALID, exp: EIO, name: "u_fpvalid (216)" },
  { request: POKE, addr: offsetof_regs("cs"), data: 0x33, exp: 0, value: 0x33n, name: "cs = 0x33" },
  { request: POKE, addr: offsetof_regs("cs"), data: 0x10, exp: EIO, name: "cs = 0x10 (RPL 0)" },
  { request: POKE, addr: offsetof_regs("cs"), data: 0, exp: EIO, name: "cs = 0" },
  { request: POKE, addr: offsetof_regs("ss"), data: 0x2b, exp: 0, value: 0x2bn, name: "ss = 0x2b" },
  { request: POKE, addr: offsetof_regs("ss"), data: 0x10, exp: EIO, name: "ss = 0x10 (RPL 0)" },
  { request: POKE, addr: offsetof_regs("fs_base"), data: 0x7fffffffe000, exp: 0, name: "fs_base = 0x7fffffffe000" },
  { request: POKE, addr: offsetof_regs("fs_base"), data: 0x7ffffffff000, exp: EIO, name: "fs_base = 0x7ffffffff000 (TASK_SIZE_MAX)" },
  { request: POKE, addr: offsetof_regs("eflags"), data: -1, exp: 0, value: 0x54fd7n, name: "eflags = all ones" },
];

let code: LoadedCode;

export default defineTest({
  forks_child: true,
  supported_archs: ["x86_64"],
  tcnt: tcases.length,
  async setup() {
    code = await tst_load_code(`
        ${TST_RAISE_SIGSTOP}
        int3`);
  },
  async test(n) {
    const tc = tcases[n]!;
    const pid = await tst_fork_tracee(code.addr);
    const what = `${tc.request === PEEK ? "PTRACE_PEEKUSER" : "PTRACE_POKEUSER"} ${tc.name}`;
    if (tc.exp) {
      await TST_EXP_FAIL(ptrace(tc.request, pid, tc.addr, tc.data ?? 0), tc.exp, what);
    } else if (tc.request === PEEK) {
      const v = await ptrace_peek(PEEK, pid, tc.addr);
      if (v === null) tst_res(TFAIL | TERRNO, `${what} failed`);
      else if (v !== tc.value) tst_res(TFAIL, `${what} read ${tst_strword(v)}, expected ${tst_strword(tc.value!)}`);
      else tst_res(TPASS, `${what} read ${tst_strword(v)}`);
    } else if (await TST_EXP_PASS(ptrace(POKE, pid, tc.addr, tc.data!), what) && tc.value !== undefined) {
      const v = await ptrace_peek(PEEK, pid, tc.addr);
      if (v === tc.value) tst_res(TPASS, `it reads back ${tst_strword(v)}`);
      else tst_res(TFAIL | (v === null ? TERRNO : 0), `it reads back ${tst_strword(v)}, expected ${tst_strword(tc.value)}`);
    }
    await SAFE_PTRACE(PTRACE_KILL, pid);
    await SAFE_WAITPID(pid);
  },
});
