/*
 * ptrace() fails as it should:
 * - ESRCH for a child the caller does not trace (GETREGS, PEEKUSER, CONT, KILL), for a pid
 *   nobody has (CONT, ATTACH), and for a tracee that is not in a ptrace-stop (GETREGS,
 *   PEEKUSER, PEEKTEXT, CONT, SINGLESTEP, DETACH, an unknown request), where PTRACE_KILL
 *   still works;
 * - EPERM to attach (ATTACH, SEIZE) to a task already traced or to oneself, and for a second
 *   PTRACE_TRACEME;
 * - ESRCH to detach twice;
 * - on a tracee in a ptrace-stop: EIO for an unknown request, PEEKTEXT, PEEKDATA and POKETEXT
 *   at address 0 or a kernel address, CONT with an invalid signal, INTERRUPT of a tracee that
 *   was not seized; EINVAL for an unknown option; EFAULT for GETREGS into a bad buffer.
 * The tracees run the test's own code (TRACEME, then raise(SIGSTOP), then pause() forever),
 * except the last cases, which need x86-64 machine code: GETREGS (an x86 request), and a
 * tracee that really runs (a `jmp` to itself) rather than sleeps.
 * probe (x86_64): ptrace on a non-traced child (GETREGS, PEEKUSER, CONT, KILL): ESRCH; on a
 * nonexistent pid: ESRCH; on a traced child that is running (not stopped): GETREGS, PEEKUSER,
 * PEEKTEXT, CONT, SINGLESTEP, DETACH, an unknown request: ESRCH; PTRACE_KILL on a running
 * tracee: 0. PTRACE_ATTACH own child: ok then its stop is 0x137f; PTRACE_ATTACH or
 * PTRACE_SEIZE it again: EPERM; ATTACH or SEIZE self (getpid()): EPERM; TRACEME twice: ok then
 * EPERM; DETACH then DETACH again: ok then ESRCH. On a stopped tracee: request 12345: EIO;
 * PEEKTEXT/PEEKDATA/POKETEXT at address 0: EIO; PEEKTEXT at 0xffffffff81000000: EIO; CONT with
 * signal 65 or 1000: EIO; SETOPTIONS 0x80000000: EINVAL; GETREGS into a bad buffer: EFAULT;
 * PTRACE_INTERRUPT on a non-seized tracee: EIO.
 */
import {
  defineTest, EFAULT, EINVAL, EIO, EPERM, ESRCH, getpid, kill, malloc, MAP_ANONYMOUS, MAP_PRIVATE, pause,
  PROT_NONE, PTRACE_ATTACH, PTRACE_CONT, PTRACE_DETACH, PTRACE_GETREGS, PTRACE_INTERRUPT, PTRACE_KILL,
  PTRACE_PEEKDATA, PTRACE_PEEKTEXT, PTRACE_PEEKUSER, PTRACE_POKETEXT, PTRACE_SEIZE, PTRACE_SETOPTIONS,
  PTRACE_SINGLESTEP, PTRACE_TRACEME, ptrace, raise, SAFE_FORK, SAFE_MMAP, SAFE_PTRACE, SAFE_WAITPID, SIGKILL,
  SIGSTOP, TBROK, TFAIL, tst_brk, tst_fork_tracee, tst_get_unused_pid, tst_load_code, tst_res, tst_strstatus,
  TST_EXP_FAIL, TST_EXP_PASS, TST_RAISE_SIGSTOP, TPASS, USER_REGS_SIZE, waitpid, WIFSIGNALED, WTERMSIG, _exit,
  type LoadedCode, type Word,
} from "../../../../src/ltp/index.js";

/**
 * Who the request is for:
 *   self         the test process itself (getpid())
 *   nobody       a pid nobody has
 *   untraced     a child that sleeps in pause(), not traced
 *   stopped      a child that did TRACEME and is in the ptrace-stop of its raise(SIGSTOP)
 *   running      that child resumed (PTRACE_CONT): traced, asleep in pause(), not stopped
 *   attached     an untraced child the test attached to (and saw stop)
 *   detached     a stopped child the test detached from
 *   code-stopped a machine-code tracee in the ptrace-stop of its kill(getpid(), SIGSTOP)
 *   code-running that tracee resumed, looping on a jmp to itself
 *   traceme      the request is made by a child, after a first PTRACE_TRACEME
 */
type Tracee = "self" | "nobody" | "untraced" | "stopped" | "running" | "attached" | "detached" | "code-stopped"
  | "code-running" | "traceme";

interface Tcase {
  readonly tracee: Tracee;
  readonly request: number;
  readonly addr?: Word;
  /** The data argument; "regs" is a buffer of USER_REGS_SIZE, "bad" a PROT_NONE page. */
  readonly data?: number | "regs" | "bad";
  /** The errno expected, or 0 for success. */
  readonly exp: number;
  readonly desc: string;
  /** After a success: what must follow (the stop of an attach, the death of a kill). */
  readonly expStatus?: number;
}

const KERNEL_ADDR = 0xffffffff81000000n;
const UNKNOWN_REQUEST = 12345;
const STOPPED_BY_SIGSTOP = (SIGSTOP << 8) | 0x7f;

const tcases: readonly Tcase[] = [
  { tracee: "untraced", request: PTRACE_GETREGS, data: "regs", exp: ESRCH, desc: "PTRACE_GETREGS of a child not traced" },
  { tracee: "untraced", request: PTRACE_PEEKUSER, exp: ESRCH, desc: "PTRACE_PEEKUSER of a child not traced" },
  { tracee: "untraced", request: PTRACE_CONT, exp: ESRCH, desc: "PTRACE_CONT of a child not traced" },
  { tracee: "untraced", request: PTRACE_KILL, exp: ESRCH, desc: "PTRACE_KILL of a child not traced" },
  { tracee: "nobody", request: PTRACE_CONT, exp: ESRCH, desc: "PTRACE_CONT of a pid nobody has" },
  { tracee: "nobody", request: PTRACE_ATTACH, exp: ESRCH, desc: "PTRACE_ATTACH to a pid nobody has" },
  { tracee: "running", request: PTRACE_GETREGS, data: "regs", exp: ESRCH, desc: "PTRACE_GETREGS of a tracee not stopped" },
  { tracee: "running", request: PTRACE_PEEKUSER, exp: ESRCH, desc: "PTRACE_PEEKUSER of a tracee not stopped" },
  { tracee: "running", request: PTRACE_PEEKTEXT, exp: ESRCH, desc: "PTRACE_PEEKTEXT of a tracee not stopped" },
  { tracee: "running", request: PTRACE_CONT, exp: ESRCH, desc: "PTRACE_CONT of a tracee not stopped" },
  { tracee: "running", request: PTRACE_SINGLESTEP, exp: ESRCH, desc: "PTRACE_SINGLESTEP of a tracee not stopped" },
  { tracee: "running", request: PTRACE_DETACH, exp: ESRCH, desc: "PTRACE_DETACH from a tracee not stopped" },
  { tracee: "running", request: UNKNOWN_REQUEST, exp: ESRCH, desc: `request ${UNKNOWN_REQUEST} on a tracee not stopped` },
  { tracee: "running", request: PTRACE_KILL, exp: 0, expStatus: SIGKILL, desc: "PTRACE_KILL of a tracee not stopped" },
  { tracee: "untraced", request: PTRACE_ATTACH, exp: 0, expStatus: STOPPED_BY_SIGSTOP, desc: "PTRACE_ATTACH to a child" },
  { tracee: "attached", request: PTRACE_ATTACH, exp: EPERM, desc: "PTRACE_ATTACH to a child already traced" },
  { tracee: "attached", request: PTRACE_SEIZE, exp: EPERM, desc: "PTRACE_SEIZE of a child already traced" },
  { tracee: "self", request: PTRACE_ATTACH, exp: EPERM, desc: "PTRACE_ATTACH to itself" },
  { tracee: "self", request: PTRACE_SEIZE, exp: EPERM, desc: "PTRACE_SEIZE of itself" },
  { tracee: "traceme", request: PTRACE_TRACEME, exp: EPERM, desc: "a second PTRACE_TRACEME" },
  { tracee: "stopped", request: PTRACE_DETACH, exp: 0, desc: "PTRACE_DETACH from a stopped tracee" },
  { tracee: "detached", request: PTRACE_DETACH, exp: ESRCH, desc: "PTRACE_DETACH again" },
  { tracee: "stopped", request: UNKNOWN_REQUEST, exp: EIO, desc: `request ${UNKNOWN_REQUEST}` },
  { tracee: "stopped", request: PTRACE_PEEKTEXT, addr: 0, exp: EIO, desc: "PTRACE_PEEKTEXT at address 0" },
  { tracee: "stopped", request: PTRACE_PEEKDATA, addr: 0, exp: EIO, desc: "PTRACE_PEEKDATA at address 0" },
  { tracee: "stopped", request: PTRACE_POKETEXT, addr: 0, data: 0, exp: EIO, desc: "PTRACE_POKETEXT at address 0" },
  { tracee: "stopped", request: PTRACE_PEEKTEXT, addr: KERNEL_ADDR, exp: EIO, desc: "PTRACE_PEEKTEXT at a kernel address" },
  { tracee: "stopped", request: PTRACE_CONT, data: 65, exp: EIO, desc: "PTRACE_CONT with signal 65" },
  { tracee: "stopped", request: PTRACE_CONT, data: 1000, exp: EIO, desc: "PTRACE_CONT with signal 1000" },
  { tracee: "stopped", request: PTRACE_SETOPTIONS, data: 0x80000000, exp: EINVAL, desc: "PTRACE_SETOPTIONS 0x80000000" },
  { tracee: "stopped", request: PTRACE_INTERRUPT, exp: EIO, desc: "PTRACE_INTERRUPT of a tracee not seized" },
  // x86-64 machine code from here on (TCONF elsewhere).
  { tracee: "code-stopped", request: PTRACE_GETREGS, data: "bad", exp: EFAULT, desc: "PTRACE_GETREGS into a PROT_NONE buffer" },
  { tracee: "code-running", request: PTRACE_GETREGS, data: "regs", exp: ESRCH, desc: "PTRACE_GETREGS of a tracee running code" },
  { tracee: "code-running", request: PTRACE_SINGLESTEP, exp: ESRCH, desc: "PTRACE_SINGLESTEP of a tracee running code" },
  { tracee: "code-running", request: PTRACE_KILL, exp: 0, expStatus: SIGKILL, desc: "PTRACE_KILL of a tracee running code" },
];

let code: LoadedCode | null = null;
let regsBuf = 0, badBuf = 0;

async function sleepForever(): Promise<never> {
  for (;;) await pause();
}

/** A child that sleeps; with `traceme`, it asks to be traced and stops itself first. */
async function forkSleeper(traceme: boolean): Promise<number> {
  const pid = await SAFE_FORK(async () => {
    if (traceme) {
      await SAFE_PTRACE(PTRACE_TRACEME, 0);
      await raise(SIGSTOP);
    }
    return sleepForever();
  });
  if (traceme) await expectStop(pid);
  return pid;
}

async function expectStop(pid: number): Promise<void> {
  const { status } = await SAFE_WAITPID(pid);
  if (status !== STOPPED_BY_SIGSTOP) tst_brk(TBROK, `child ${pid} ${tst_strstatus(status)}, expected stopped by SIGSTOP (0x137f)`);
}

/** The pid the case's request is for (0 for "traceme", done in a child). */
async function makeTracee(t: Tracee): Promise<number> {
  switch (t) {
    case "self": return getpid();
    case "nobody": return tst_get_unused_pid();
    case "untraced": return forkSleeper(false);
    case "stopped": return forkSleeper(true);
    case "running": {
      const pid = await forkSleeper(true);
      await SAFE_PTRACE(PTRACE_CONT, pid, 0, 0);
      return pid;
    }
    case "attached": {
      const pid = await forkSleeper(false);
      await SAFE_PTRACE(PTRACE_ATTACH, pid);
      await expectStop(pid);
      return pid;
    }
    case "detached": {
      const pid = await forkSleeper(true);
      await SAFE_PTRACE(PTRACE_DETACH, pid, 0, 0);
      return pid;
    }
    case "code-stopped":
    case "code-running": {
      code ??= await tst_load_code(`
          ${TST_RAISE_SIGSTOP}
      spin:
          jmp spin`);
      const pid = await tst_fork_tracee(code.addr);
      if (t === "code-running") await SAFE_PTRACE(PTRACE_CONT, pid, 0, 0);
      return pid;
    }
    case "traceme": return 0;
  }
}

function dataOf(tc: Tcase): number {
  if (tc.data === "regs") return regsBuf;
  if (tc.data === "bad") return badBuf;
  return tc.data ?? 0;
}

export default defineTest({
  forks_child: true,
  tcnt: tcases.length,
  async setup() {
    // Module state outlives a run (the next job may load this module in the same worker).
    code = null;
    regsBuf = malloc(USER_REGS_SIZE);
    badBuf = await SAFE_MMAP(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  },
  async test(n) {
    const tc = tcases[n]!;
    if (tc.tracee === "traceme") {
      const child = await SAFE_FORK(async () => {
        await TST_EXP_PASS(ptrace(PTRACE_TRACEME, 0), "PTRACE_TRACEME");
        await TST_EXP_FAIL(ptrace(PTRACE_TRACEME, 0), tc.exp, tc.desc);
        await _exit(0);
      });
      await SAFE_WAITPID(child);
      return;
    }

    const pid = await makeTracee(tc.tracee);
    const call = ptrace(tc.request, pid, tc.addr ?? 0, dataOf(tc));
    if (tc.exp) {
      await TST_EXP_FAIL(call, tc.exp, tc.desc);
    } else if (await TST_EXP_PASS(call, tc.desc) && tc.expStatus !== undefined) {
      const { status } = await SAFE_WAITPID(pid);
      const ok = tc.expStatus === SIGKILL ? WIFSIGNALED(status) && WTERMSIG(status) === SIGKILL : status === tc.expStatus;
      const want = tc.expStatus === SIGKILL ? "killed by SIGKILL" : tst_strstatus(tc.expStatus);
      tst_res(ok ? TPASS : TFAIL, `after ${tc.desc} the child ${tst_strstatus(status)}${ok ? "" : `, expected ${want}`}`);
    }

    // Whatever the child's state (stopped, traced or not, already dead), SIGKILL ends it.
    if (tc.tracee !== "self" && tc.tracee !== "nobody") {
      await kill(pid, SIGKILL);
      await waitpid(pid, 0);
    }
  },
});
