/**
 * arch/x86/kernel/step.c: ptrace single-step and block-step. The tracer's step sets the trap
 * flag in the tracee's saved flags and TIF_SINGLESTEP; TIF_FORCED_TF records that the debugger,
 * not the tracee, set TF, so it is hidden from GETREGS/PEEKUSER (probe: eflags 0x202 after a
 * step) and taken away again by PTRACE_CONT. A TF the tracee set itself (popf) is its own and
 * survives.
 */
import type { Task } from "../../../include/linux/sched.js";
import { TF } from "../cpu/regs.js";
import type { X86PtRegs } from "../include/asm/ptrace.js";
import { taskPtRegs } from "../../../kernel/entry/common.js";

/** The tracee's saved registers: pt_regs of x86_64. */
export function x86PtRegs(task: Task): X86PtRegs {
  return taskPtRegs(task) as X86PtRegs;
}

/**
 * is_setting_trap_flag(): the instruction about to run is popf or iret (after prefixes and
 * REX), which sets TF from the stack itself; then the debugger's TF is not "forced".
 */
const opcode = new Uint8Array(15);

function isSettingTrapFlag(task: Task, regs: X86PtRegs): boolean {
  const copied = task.mm ? task.mm.accessVm(regs.ip, opcode, false) : 0;
  for (let i = 0; i < copied; i++) {
    const b = opcode[i]!;
    if (b === 0x9d || b === 0xcf) return true; // popf, iret
    const prefix = b === 0x66 || b === 0x67 || b === 0x26 || b === 0x2e || b === 0x36 || b === 0x3e ||
      b === 0x64 || b === 0x65 || b === 0xf0 || b === 0xf2 || b === 0xf3 || (b >= 0x40 && b <= 0x4f);
    if (!prefix) return false;
  }
  return false;
}

/**
 * enable_single_step(): TF on, TIF_SINGLESTEP; true when the debugger's TF is forced (and a
 * block step may be tried).
 */
function enableSingleStep(child: Task): boolean {
  const regs = x86PtRegs(child);
  // After a step into a syscall the kernel cleared TF; a TF the tracee owned must come back.
  if (child.singleStep) regs.rflags |= TF;
  child.singleStep = true;
  const oflags = regs.rflags;
  regs.rflags |= TF;
  if (isSettingTrapFlag(child, regs)) {
    child.forcedTf = false;
    return false;
  }
  if (oflags & TF) return child.forcedTf;
  child.forcedTf = true;
  return true;
}

/** enable_step(): block stepping (BTF) only when the debugger owns TF. */
function enableStep(child: Task, block: boolean): void {
  child.blockStep = enableSingleStep(child) && block;
}

export function userEnableSingleStep(child: Task): void {
  enableStep(child, false);
}

/**
 * PTRACE_SINGLEBLOCK: TIF_BLOCKSTEP (DEBUGCTLMSR.BTF) is kept, but the CPU steps one
 * instruction as with PTRACE_SINGLESTEP: the machine the probes ran on (a VM whose CPU does
 * not honour BTF) stopped after every nop and at a jmp's target alike.
 */
export function userEnableBlockStep(child: Task): void {
  enableStep(child, true);
}

/** user_disable_single_step(): stepping off; TF cleared only if the debugger had set it. */
export function userDisableSingleStep(child: Task): void {
  child.blockStep = false;
  child.singleStep = false;
  if (child.forcedTf) {
    child.forcedTf = false;
    x86PtRegs(child).rflags &= ~TF;
  }
}
