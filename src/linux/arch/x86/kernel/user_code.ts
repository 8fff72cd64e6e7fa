/**
 * A task running real x86-64 machine code: the CPU interpreter (arch/x86/cpu) executes it on
 * the task's address space until it needs the kernel, and the kernel's side of each stop is
 * what entry_64.S and the trap handlers (arch/x86/kernel/traps.c, mm/fault.c) do. The task's
 * saved registers (pt_regs) are the CPU's registers, so signal frames, rt_sigreturn and ptrace
 * see and change exactly what the code runs with.
 *
 *   syscall       entry_SYSCALL_64: the linked table's call with rdi, rsi, rdx, r10, r8, r9;
 *                 its value (signed) in rax.
 *   int3          do_int3(): SIGTRAP SI_KERNEL, si_addr 0, rip one past the 0xCC.
 *   int1, TF, DR0-3   exc_debug_user(): the virtual DR6 starts again from the step bit (BS for
 *                 a single-step, DR_TRAPn for a breakpoint), then SIGTRAP TRAP_BRKPT (int1),
 *                 TRAP_TRACE (si_addr = rip) or TRAP_HWBKPT (si_addr = the breakpoint, RF set).
 *   a fault       force_sig_fault() with the fault's signal, si_code and si_addr (#PF, #GP, #UD...);
 *                 after a handler the instruction runs again, as on Linux.
 *   the timeslice a slice of instructions is a timeslice's worth of virtual time: the scheduler
 *                 lets another runnable task in, and a signal that came meanwhile is acted on.
 *
 * Signal handlers may be the program's functions (the target's codeAddress()) or machine code.
 * A fatal signal ends the task (doExit: the promise never settles), as do exit and exit_group.
 */
import type { Task } from "../../../include/linux/sched.js";
import { SIGTRAP, SI_KERNEL, TRAP_BRKPT, TRAP_HWBKPT, TRAP_TRACE } from "../../../include/uapi/signal.js";
import { doSyscall, exitToUserMode } from "../../../kernel/entry/common.js";
import { SYSCALL_NS, TIMESLICE_SYSCALLS } from "../../../kernel/sched.js";
import { forceSigFaultInfo } from "../../../kernel/signal.js";
import { cpuFor, DR6_BS, Reg, RF } from "../cpu/index.js";
import type { X86PtRegs } from "../include/asm/ptrace.js";
import { execBreakpoints, x86Thread } from "./ptrace.js";
import { X86_64_ENTRY } from "./signal_64.js";

/** Instructions in a timeslice: one virtual nanosecond each, the time a timeslice of system calls takes. */
export const TIMESLICE_INSNS = TIMESLICE_SYSCALLS * SYSCALL_NS;
/** DR_TRAP0: DR6's bit for breakpoint 0 (the others follow). */
const DR_TRAP0 = 1n;

/**
 * Acts on the task's pending signals between two instructions (not in a system call):
 * default actions, ptrace stops, and handlers entered with their frame below rsp.
 */
async function handleSignals(task: Task, regs: X86PtRegs): Promise<void> {
  regs.origAx = -1;
  await exitToUserMode(task, task.kernel.entry, regs);
}

/** force_sig_fault() for an exception of the code, then the signal is acted on. */
function raise(task: Task, regs: X86PtRegs, sig: number, code: number, addr: number): Promise<void> {
  forceSigFaultInfo(task, sig, code, addr);
  return handleSignals(task, regs);
}

/**
 * exc_debug_user(): a #DB from user mode. The tracer's view of DR6 restarts from what this
 * exception set (probe: after a step 0xffff4ff0, after an exec breakpoint 0xffff0ff1; an
 * int3 leaves it alone).
 */
function debugTrap(task: Task, regs: X86PtRegs, dr6: bigint, code: number, addr: number): Promise<void> {
  x86Thread(task).virtualDr6 = dr6;
  return raise(task, regs, SIGTRAP, code, addr);
}

/**
 * Runs the task's machine code from `regs` (rip, rsp and the rest) on its address space. It
 * returns only by the task's end: an exit system call or a fatal signal.
 */
export async function runMachineCode(task: Task, regs: X86PtRegs): Promise<never> {
  const kernel = task.kernel;
  task.regs = regs;
  task.machineCode = true;
  for (;;) {
    const mm = task.mm;
    if (!mm) throw new Error(`runMachineCode: pid ${task.pid} has no address space`);
    // Execution breakpoints match before the instruction runs, unless RF says it already
    // trapped there (probe: the stop had rip == DR0, eflags 0x10246, si_code 4).
    const bps = execBreakpoints(task);
    if (bps.length && !(regs.rflags & RF)) {
      const hit = bps.find((bp) => bp.addr === regs.rip);
      if (hit) {
        regs.rflags |= RF;
        await debugTrap(task, regs, DR_TRAP0 << BigInt(hit.n), TRAP_HWBKPT, regs.ripNum);
        continue;
      }
    }
    const { result } = cpuFor(mm).run(regs, bps.length ? 1 : TIMESLICE_INSNS);
    switch (result.kind) {
      case "syscall": {
        const [nr, ...args] = X86_64_ENTRY.syscallEntry(regs);
        const r = doSyscall(task, nr, ...args);
        regs.setWord(Reg.RAX, typeof r === "object" ? await r : r);
        // A TF of the code's own traps after the call; a tracer's step was reported on the way out.
        if (result.trapAfter && !task.singleStep) await debugTrap(task, regs, BigInt(DR6_BS), TRAP_TRACE, regs.ripNum);
        break;
      }
      case "ok": // an instruction that began with TF set: the single-step trap
        if (result.trapAfter) await debugTrap(task, regs, BigInt(DR6_BS), TRAP_TRACE, regs.ripNum);
        break;
      case "trap":
        if (result.reason === "int1") await debugTrap(task, regs, 0n, TRAP_BRKPT, regs.ripNum);
        else await raise(task, regs, SIGTRAP, SI_KERNEL, 0);
        break;
      case "fault":
        await raise(task, regs, result.signo, result.code, Number(result.addr));
        break;
      case "limit": {
        const p = kernel.sched.preempt(task);
        if (p) await p;
        if (task.signalPending) await handleSignals(task, regs);
      }
    }
  }
}
