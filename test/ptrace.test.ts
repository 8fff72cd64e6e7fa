/**
 * ptrace in the emulated kernel: the stops a tracer sees and their wait statuses, syscall
 * stops, SEIZE and INTERRUPT, the errors, single-step bookkeeping (TIF_FORCED_TF), the debug
 * registers, a tracer that is not the parent, and tracer exit. Every expected value is what a
 * C probe printed on the real x86-64 kernel (quoted next to it). Imports are from ../dist.
 */
import t from "tap";
import * as ltp from "../dist/src/ltp/index.js";
import { clean, run, sys } from "./harness/emulated.js";
import { familiesUnderSeeds } from "./harness/families.js";

const SIGUSR1 = 10, SIGKILL = 9, SIGTRAP = 5, EIO = 5, ESRCH = 3, EPERM = 1, EINVAL = 22, ENOSYS = 38;
const STOPPED = (sig: number) => (sig << 8) | 0x7f;

/** The tracee's code: stop, then a few instructions, a getpid, an int3 and exit(3). */
const CODE = `
    ${ltp.TST_RAISE_SIGSTOP}
  start:
    nop
    mov eax, 39
  sys:
    syscall
  after:
    int3
    mov eax, 60
    mov edi, 3
    syscall`;

async function tracee(): Promise<{ pid: number; labels: Record<string, number> }> {
  const code = await ltp.tst_load_code(CODE);
  return { pid: await ltp.tst_fork_tracee(code.addr), labels: code.labels };
}

const status = async (pid: number) => (await ltp.waitpid(pid, 0)).status;
const peekUser = (pid: number, off: number) => ltp.ptrace(ltp.PTRACE_PEEKUSER, pid, off, 0);

t.test("defconfig: stops and wait statuses", async (t) => {
  const got: Record<string, unknown> = {};
  await clean(t, "defconfig", async () => {
    const { pid, labels } = await tracee();
    got.step = await ltp.tst_ptrace_resume(pid, ltp.PTRACE_SINGLESTEP);
    got.rip = Number((await ltp.SAFE_GETREGS(pid)).rip) - labels.start!;
    got.dr6 = await peekUser(pid, ltp.offsetof_debugreg(6));
    got.int3 = await ltp.tst_ptrace_resume(pid, ltp.PTRACE_CONT);
    got.int3info = await ltp.tst_getsiginfo(pid);
    got.int3rip = Number((await ltp.SAFE_GETREGS(pid)).rip) - labels.after!;
    got.exit = await ltp.tst_ptrace_resume(pid, ltp.PTRACE_CONT);
    // PTRACE_KILL of a stopped tracee: killed by SIGKILL (probe: status 0x9).
    const again = await tracee();
    got.kill = await sys("ptrace", ltp.PTRACE_KILL, again.pid, 0, 0);
    got.killed = await status(again.pid);
  });
  t.equal(got.step, 0x57f, "a step: stopped by SIGTRAP (0x57f)");
  t.equal(got.rip, 1, "the nop ran: rip + 1");
  t.equal(got.dr6, 0xffff4ff0, "DR6 after a step: BS set, 0xffff4ff0");
  t.equal(got.int3, 0x57f, "PTRACE_CONT to the int3: 0x57f");
  t.same(got.int3info, { signo: SIGTRAP, code: 0x80, addr: 0 }, "int3: SIGTRAP SI_KERNEL, si_addr 0");
  t.equal(got.int3rip, 1, "rip one past the int3");
  t.equal(got.exit, 0x300, "exit(3) reported to the tracer: 0x300");
  t.equal(got.kill, 0, "PTRACE_KILL: 0");
  t.equal(got.killed, SIGKILL, "killed by SIGKILL (0x9)");
});

t.test("defconfig: PTRACE_SYSCALL stops, TRACESYSGOOD, single-step over syscall", async (t) => {
  const got: Record<string, unknown> = {};
  await clean(t, "defconfig", async () => {
    const { pid, labels } = await tracee();
    await ltp.SAFE_PTRACE(ltp.PTRACE_SETOPTIONS, pid, 0, ltp.PTRACE_O_TRACESYSGOOD);
    got.entry = await ltp.tst_ptrace_resume(pid, ltp.PTRACE_SYSCALL);
    const e = await ltp.SAFE_GETREGS(pid);
    got.entryRegs = [BigInt.asIntN(64, e.rax), e.orig_rax, Number(e.rip) - labels.after!];
    got.entryInfo = (await ltp.tst_getsiginfo(pid)).code;
    got.exitStop = await ltp.tst_ptrace_resume(pid, ltp.PTRACE_SYSCALL);
    got.exitRax = Number((await ltp.SAFE_GETREGS(pid)).rax) === pid;
    await ltp.SAFE_PTRACE(ltp.PTRACE_KILL, pid);
    await status(pid);
    // A step over `syscall`: the call is made, the stop is right after it, si_code TRAP_BRKPT.
    const s = await tracee();
    await ltp.tst_ptrace_resume(s.pid, ltp.PTRACE_SINGLESTEP);
    await ltp.tst_ptrace_resume(s.pid, ltp.PTRACE_SINGLESTEP);
    got.overSyscall = await ltp.tst_ptrace_resume(s.pid, ltp.PTRACE_SINGLESTEP);
    const r = await ltp.SAFE_GETREGS(s.pid);
    got.over = [Number(r.rip) - s.labels.after!, Number(r.rax) === s.pid, r.orig_rax, (await ltp.tst_getsiginfo(s.pid)).code];
    await ltp.SAFE_PTRACE(ltp.PTRACE_KILL, s.pid);
    await status(s.pid);
  });
  t.equal(got.entry, 0x857f, "syscall-entry stop with TRACESYSGOOD: 0x857f");
  t.same(got.entryRegs, [BigInt(-ENOSYS), 39n, 0], "at the entry stop rax is -ENOSYS, orig_rax 39, rip after the syscall");
  t.equal(got.entryInfo, 0x85, "its si_code is the stop code 0x85");
  t.equal(got.exitStop, 0x857f, "syscall-exit stop: 0x857f");
  t.ok(got.exitRax, "at the exit stop rax is the tracee's pid");
  t.equal(got.overSyscall, 0x57f, "a step over syscall: 0x57f");
  t.same(got.over, [0, true, 39n, 1], "rip after the syscall, rax the pid, orig_rax 39, si_code TRAP_BRKPT");
});

t.test("defconfig: SEIZE, INTERRUPT, options and events", async (t) => {
  const got: Record<string, unknown> = {};
  await clean(t, "defconfig", async () => {
    const code = await ltp.tst_load_code("l: jmp l");
    const child = await ltp.SAFE_FORK(() => ltp.tst_run_code_at(code.addr));
    got.seize = await sys("ptrace", ltp.PTRACE_SEIZE, child, 0, ltp.PTRACE_O_EXITKILL);
    got.seizeAgain = await sys("ptrace", ltp.PTRACE_SEIZE, child, 0, 0);
    got.running = await sys("ptrace", ltp.PTRACE_GETREGS, child, 0, ltp.malloc(216));
    got.interrupt = await sys("ptrace", ltp.PTRACE_INTERRUPT, child, 0, 0);
    got.stop = await status(child);
    got.badOptions = await sys("ptrace", ltp.PTRACE_SETOPTIONS, child, 0, 0x80000000);
    await ltp.SAFE_PTRACE(ltp.PTRACE_SETOPTIONS, child, 0, ltp.PTRACE_O_TRACEEXIT);
    await ltp.SAFE_PTRACE(ltp.PTRACE_KILL, child);
    got.killed = await status(child);
    // PTRACE_O_TRACEEXIT: one more stop before the exit, the status in GETEVENTMSG.
    const { pid } = await tracee();
    await ltp.SAFE_PTRACE(ltp.PTRACE_SETOPTIONS, pid, 0, ltp.PTRACE_O_TRACEEXIT);
    await ltp.tst_ptrace_resume(pid, ltp.PTRACE_CONT); // to the int3
    got.exitEvent = await ltp.tst_ptrace_resume(pid, ltp.PTRACE_CONT);
    const msg = ltp.malloc(8);
    await ltp.SAFE_PTRACE(ltp.PTRACE_GETEVENTMSG, pid, 0, msg);
    got.eventMsg = ltp.peekU64(msg);
    got.exited = await ltp.tst_ptrace_resume(pid, ltp.PTRACE_CONT);
  });
  t.equal(got.seize, 0, "PTRACE_SEIZE: 0, and the tracee keeps running");
  t.equal(got.seizeAgain, -EPERM, "SEIZE again: EPERM");
  t.equal(got.running, -ESRCH, "GETREGS of a running tracee: ESRCH");
  t.equal(got.interrupt, 0, "PTRACE_INTERRUPT: 0");
  t.equal(got.stop, 0x80057f, "the interrupt stop: PTRACE_EVENT_STOP with SIGTRAP (probe: 0x80057f)");
  t.equal(got.badOptions, -EINVAL, "SETOPTIONS 0x80000000: EINVAL");
  t.equal(got.killed, SIGKILL, "PTRACE_KILL: killed by SIGKILL, no exit event for SIGKILL");
  t.equal(got.exitEvent, 0x6057f, "PTRACE_EVENT_EXIT stop: 0x6057f");
  t.equal(got.eventMsg, 0x300, "GETEVENTMSG: the exit status 0x300");
  t.equal(got.exited, 0x300, "then the exit: 0x300");
});

t.test("defconfig: signal-delivery-stops; a tracer that is not the parent", async (t) => {
  const got: Record<string, unknown> = {};
  await clean(t, "defconfig", async () => {
    // SIGUSR1 would kill the tracee; the tracer suppresses it with CONT 0.
    const { pid } = await tracee();
    await ltp.SAFE_PTRACE(ltp.PTRACE_CONT, pid);
    await ltp.kill(pid, SIGUSR1);
    got.sigStop = await status(pid);
    got.sigInfo = (await ltp.tst_getsiginfo(pid)).signo;
    await ltp.SAFE_PTRACE(ltp.PTRACE_CONT, pid); // the signal is gone; on to the int3
    got.afterSuppress = await status(pid);
    got.exit = await ltp.tst_ptrace_resume(pid, ltp.PTRACE_CONT, SIGUSR1);
    // A sibling attaches to a child of ours; when that child exits the sibling hears it
    // first, then the zombie comes back to us (its real parent) to reap.
    const loop = await ltp.tst_load_code("mov ecx, 100000\n l: dec rcx\n jnz l\n mov eax, 60\n mov edi, 7\n syscall");
    const victim = await ltp.SAFE_FORK(() => ltp.tst_run_code_at(loop.addr));
    const tracer = await ltp.SAFE_FORK(async () => {
      if ((await sys("ptrace", ltp.PTRACE_ATTACH, victim, 0, 0)) !== 0) return 1;
      if ((await status(victim)) !== STOPPED(19)) return 2;
      await ltp.SAFE_PTRACE(ltp.PTRACE_CONT, victim);
      return (await status(victim)) === 0x700 ? 0 : 3;
    });
    got.tracer = await status(tracer);
    got.victim = await status(victim);
    // The tracer exits: a tracee seized with PTRACE_O_EXITKILL dies with it; one attached
    // without it is let go from its ptrace-stop and runs to its end.
    for (const [key, options] of [["exitkill", ltp.PTRACE_O_EXITKILL], ["released", 0]] as const) {
      const t2 = await ltp.SAFE_FORK(() => ltp.tst_run_code_at(loop.addr));
      const tr = await ltp.SAFE_FORK(async () => {
        if ((await sys("ptrace", ltp.PTRACE_SEIZE, t2, 0, options)) !== 0) return 1;
        if ((await sys("ptrace", ltp.PTRACE_INTERRUPT, t2, 0, 0)) !== 0) return 2;
        return (await status(t2)) === 0x80057f ? 0 : 3;
      });
      got[`${key} tracer`] = await status(tr);
      got[key] = await status(t2);
    }
  });
  t.equal(got["exitkill tracer"], 0, "a tracer seized and interrupted its sibling, then exited");
  t.equal(got.exitkill, SIGKILL, "PTRACE_O_EXITKILL: the tracee died with its tracer (SIGKILL)");
  t.equal(got["released tracer"], 0, "the same without EXITKILL");
  t.equal(got.released, 0x700, "without it the tracee left its stop when the tracer exited and ran to exit(7)");
  t.equal(got.sigStop, STOPPED(SIGUSR1), "a signal stops the tracee first: 0xa7f");
  t.equal(got.sigInfo, SIGUSR1, "GETSIGINFO: the signal");
  t.equal(got.afterSuppress, 0x57f, "CONT 0 suppressed it: the tracee ran on to its int3");
  t.equal(got.exit, SIGUSR1, "a signal passed to PTRACE_CONT is delivered: killed by SIGUSR1");
  t.equal(got.tracer, 0, "the sibling attached (0x137f), and its wait saw the tracee's exit(7)");
  t.equal(got.victim, 0x700, "the real parent reaped the zombie after the tracer: exit(7)");
});

t.test("defconfig: errors, TF bookkeeping, debug registers", async (t) => {
  const got: Record<string, unknown> = {};
  await clean(t, "defconfig", async () => {
    got.self = await sys("ptrace", ltp.PTRACE_ATTACH, await ltp.getpid(), 0, 0);
    got.nobody = await sys("ptrace", ltp.PTRACE_CONT, 99999, 0, 0);
    const { pid, labels } = await tracee();
    got.badRequest = await sys("ptrace", 12345, pid, 0, 0);
    got.badSignal = await sys("ptrace", ltp.PTRACE_CONT, pid, 0, 65);
    got.peekNull = await sys("ptrace", ltp.PTRACE_PEEKTEXT, pid, 0, ltp.malloc(8));
    got.user = [await sys("ptrace", ltp.PTRACE_PEEKUSER, pid, 0x398, ltp.malloc(8)), await sys("ptrace", ltp.PTRACE_PEEKUSER, pid, 0x3a0, ltp.malloc(8))];
    await ltp.tst_ptrace_resume(pid, ltp.PTRACE_SINGLESTEP);
    const flags = ltp.offsetof_regs("eflags");
    got.hidden = (await peekUser(pid, flags)) & 0x100;
    // The tracer writes TF itself: from then on it is the tracee's, and PTRACE_CONT traps after one instruction.
    await ltp.SAFE_PTRACE(ltp.PTRACE_POKEUSER, pid, flags, (await peekUser(pid, flags)) | 0x100);
    got.contStep = await ltp.tst_ptrace_resume(pid, ltp.PTRACE_CONT);
    got.contRip = Number((await ltp.SAFE_GETREGS(pid)).rip) - labels.start!;
    got.owned = (await peekUser(pid, flags)) & 0x100;
    got.dr0Kernel = await sys("ptrace", ltp.PTRACE_POKEUSER, pid, ltp.offsetof_debugreg(0), 0xffffffff81000000n);
    got.dr4 = await sys("ptrace", ltp.PTRACE_POKEUSER, pid, ltp.offsetof_debugreg(4), 0);
    got.dr7ok = await sys("ptrace", ltp.PTRACE_POKEUSER, pid, ltp.offsetof_debugreg(7), 0x701);
    got.dr7io = await sys("ptrace", ltp.PTRACE_POKEUSER, pid, ltp.offsetof_debugreg(7), 0x20001);
    got.dr7 = await peekUser(pid, ltp.offsetof_debugreg(7));
    await ltp.SAFE_PTRACE(ltp.PTRACE_KILL, pid);
    await status(pid);
  });
  t.equal(got.self, -EPERM, "ATTACH self: EPERM");
  t.equal(got.nobody, -ESRCH, "no such pid: ESRCH");
  t.equal(got.badRequest, -EIO, "request 12345: EIO");
  t.equal(got.badSignal, -EIO, "CONT with signal 65: EIO");
  t.equal(got.peekNull, -EIO, "PEEKTEXT at 0: EIO");
  t.same(got.user, [0, -EIO], "PEEKUSER 0x398 (the kernel's struct user is longer than glibc's): 0; 0x3a0: EIO");
  t.equal(got.hidden, 0, "the debugger's TF is hidden after a step");
  t.equal(got.contStep, 0x57f, "TF written by the tracer: PTRACE_CONT stops after one instruction");
  t.equal(got.contRip, 6, "that instruction was the 5-byte mov after the nop");
  t.equal(got.owned, 0x100, "and TF stays visible: it is the tracee's now");
  t.equal(got.dr0Kernel, -EINVAL, "DR0 = a kernel address: EINVAL (ptrace08)");
  t.equal(got.dr4, -EIO, "DR4: EIO");
  t.equal(got.dr7ok, 0, "DR7 0x701: accepted");
  t.equal(got.dr7io, -EINVAL, "DR7 with an I/O breakpoint: EINVAL");
  t.equal(got.dr7, 0x701, "DR7 reads back the last value accepted");
});

t.test("riscv64: no single-step; the same seed gives the same stops", async (t) => {
  const got: Record<string, unknown> = {};
  await clean(t, "riscv64", async () => {
    const child = await ltp.SAFE_FORK(async () => {
      await ltp.SAFE_PTRACE(ltp.PTRACE_TRACEME);
      await ltp.raise(19);
      return 0;
    });
    got.stop = await status(child);
    got.step = await sys("ptrace", ltp.PTRACE_SINGLESTEP, child, 0, 0);
    got.peekuser = await sys("ptrace", ltp.PTRACE_PEEKUSER, child, 0, ltp.malloc(8));
    got.exit = await ltp.tst_ptrace_resume(child, ltp.PTRACE_CONT);
  });
  t.equal(got.stop, STOPPED(19), "TRACEME + raise(SIGSTOP): 0x137f");
  t.equal(got.step, -EIO, "PTRACE_SINGLESTEP: EIO (arch_has_single_step() is false)");
  t.equal(got.peekuser, -EIO, "PTRACE_PEEKUSER: EIO (riscv has no struct user requests)");
  t.equal(got.exit, 0, "CONT: the child exits 0");
  const trace = async (seed: number) => (await run("defconfig", async () => {
    const { pid } = await tracee();
    for (let i = 0; i < 4; i++) ltp.tst_res(ltp.TINFO, ltp.tst_strstatus(await ltp.tst_ptrace_resume(pid, ltp.PTRACE_SINGLESTEP)));
    await ltp.SAFE_PTRACE(ltp.PTRACE_KILL, pid);
    await status(pid);
  }, { seed })).messages;
  t.same(await trace(7), await trace(7), "seed 7 twice: the same stops in the same order");
});

t.test("the ptrace family (every single-step rule) passes under several seeds, identically for the same seed", async (t) => {
  familiesUnderSeeds(t, "ptrace", "defconfig,riscv64", [1, 2, 3]);
});

t.test("defconfig: a test that gives up with its tracee stopped leaves nothing behind", async (t) => {
  const r = await run("defconfig", async () => {
    const child = await ltp.SAFE_FORK(async () => {
      await ltp.SAFE_PTRACE(ltp.PTRACE_TRACEME, 0);
      await ltp.raise(19);
      return 0;
    });
    await status(child);
    ltp.tst_brk(ltp.TBROK, "giving up");
  });
  t.equal(r.outcome.counts.broken, 1, "the TBROK is the result");
  t.ok(r.messages.includes(`${ltp.TINFO} Killed the leftover descendant processes`), `the orphaned tracee was killed, not waited for forever (${r.messages.join("; ")})`);
});
