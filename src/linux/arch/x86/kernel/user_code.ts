/**
 * A task running real x86-64 machine code: the CPU interpreter (arch/x86/cpu) executes it on
 * the task's address space until it needs the kernel, and the kernel's side of each stop is
 * what entry_64.S and the trap handlers (arch/x86/kernel/traps.c, mm/fault.c) do:
 *
 *   syscall       entry_SYSCALL_64: the linked table's call with rdi, rsi, rdx, r10, r8, r9;
 *                 its value (signed) in rax.
 *   int3, int1    do_int3() / exc_debug_user(): SIGTRAP, SI_KERNEL (si_addr 0) for int3,
 *                 TRAP_BRKPT (si_addr = rip) for int1; the code goes on after a handler.
 *   TF set        the single-step trap after the instruction: SIGTRAP TRAP_TRACE, si_addr = rip.
 *   a fault       force_sig_fault() with the fault's signal, si_code and si_addr (#PF, #GP, #UD...).
 *   the timeslice a slice of instructions is a timeslice's worth of virtual time: the scheduler
 *                 lets another runnable task in, and a signal that came meanwhile is acted on.
 *
 * A fatal signal ends the task (doExit: the promise never settles), as do exit and exit_group.
 *
 * Limits: signal handlers are the program's JS functions (the target's codeAddress()), run by
 * exitToUserMode() with the frame below the code's rsp; they cannot see or change the machine
 * code's registers (the frame holds the kernel's pt_regs model, not these). So after a
 * handler the code resumes with its registers as they were, and a fault, which would only
 * fault again, is fatal once its handler returns. A handler that is machine code is not
 * supported (the fetch at its address faults: SIGSEGV).
 */
import type { Task } from "../../../include/linux/sched.js";
import { SIGTRAP } from "../../../include/uapi/signal.js";
import { exitToUserMode, USER_SYSCALL_SITE } from "../../../kernel/entry/common.js";
import { SYSCALL_NS, TIMESLICE_SYSCALLS } from "../../../kernel/sched.js";
import { forceSigFault, forceSigFaultInfo } from "../../../kernel/signal.js";
import { cpuFor, Reg, TRAP_TRACE, type X86Regs } from "../cpu/index.js";

/** Instructions in a timeslice: one virtual nanosecond each, the time a timeslice of system calls takes. */
export const TIMESLICE_INSNS = TIMESLICE_SYSCALLS * SYSCALL_NS;

/**
 * Acts on the task's pending signals between two instructions (not in a system call): default
 * actions, and handlers entered with their frame below the code's stack pointer.
 */
async function handleSignals(task: Task, regs: X86Regs): Promise<void> {
  const entry = task.kernel.entry;
  // The saved registers a frame is built from and rt_sigreturn restores: outside a system call,
  // and back at this "instruction" once the handlers returned (exitToUserMode() is then done).
  const pt = (task.regs = entry.newRegs(regs.num(Reg.RSP)));
  pt.ip = USER_SYSCALL_SITE + entry.syscallInsnLen;
  await exitToUserMode(task, entry, pt);
}

/** force_sig_fault() for an exception of the code, then the signal is acted on. */
function raise(task: Task, regs: X86Regs, sig: number, code: number, addr: number): Promise<void> {
  forceSigFaultInfo(task, sig, code, addr);
  return handleSignals(task, regs);
}

/**
 * Runs the task's machine code from `regs` (rip, rsp and the rest) on its address space. It
 * returns only by the task's end: an exit system call or a fatal signal.
 */
export async function runMachineCode(task: Task, regs: X86Regs): Promise<never> {
  const kernel = task.kernel;
  for (;;) {
    const mm = task.mm;
    if (!mm) throw new Error(`runMachineCode: pid ${task.pid} has no address space`);
    const { result } = cpuFor(mm).run(regs, TIMESLICE_INSNS);
    switch (result.kind) {
      case "syscall": {
        const r = kernel.syscall(
          task, regs.num(Reg.RAX), regs.num(Reg.RDI), regs.num(Reg.RSI), regs.num(Reg.RDX),
          regs.num(Reg.R10), regs.num(Reg.R8), regs.num(Reg.R9),
        );
        regs.setNum(Reg.RAX, typeof r === "number" ? r : await r);
        if (result.trapAfter) await raise(task, regs, SIGTRAP, TRAP_TRACE, regs.ripNum);
        break;
      }
      case "ok": // an instruction that began with TF set: the single-step trap
        if (result.trapAfter) await raise(task, regs, SIGTRAP, TRAP_TRACE, regs.ripNum);
        break;
      case "trap":
        await raise(task, regs, result.signo, result.code, result.reason === "int1" ? regs.ripNum : 0);
        break;
      case "fault":
        await raise(task, regs, result.signo, result.code, Number(result.addr));
        // A handler returned: the instruction would fault again (see the limits above).
        return forceSigFault(task, result.signo);
      case "limit": {
        const p = kernel.sched.preempt(task);
        if (p) await p;
        if (task.signalPending) await handleSignals(task, regs);
      }
    }
  }
}
