import type { Word } from "../uapi/word.js";
import type { UserRegs } from "./ptrace.js";
import type { KSignal } from "./sched/signal.js";
import type { TaskStruct } from "./task_struct.js";

/**
 * What the generic entry and signal code needs from an architecture: its syscall calling
 * convention (asm/syscall.h), how a system call is restarted, and its signal frame
 * (arch/<arch>/kernel/signal*.c).
 */
export interface ArchEntry {
  /** The length of the system call instruction: a restart steps the ip back by it. */
  readonly syscallInsnLen: number;
  newRegs(sp: number): UserRegs;
  copyRegs(regs: UserRegs): UserRegs;
  /** The registers as a system call instruction at `ip - syscallInsnLen` leaves them. */
  syscallExit(regs: UserRegs, nr: number, args: readonly Word[], ret: Word, ip: number): void;
  /**
   * The registers as a system call made by machine code leaves them: they are the CPU's own,
   * already past the instruction; only the number (orig_ax) and the return value are the kernel's.
   */
  syscallReturn(regs: UserRegs, nr: number, ret: Word): void;
  /** syscall_get_nr(): the number of the call the task is in, or -1 outside one. */
  syscallNr(regs: UserRegs): number;
  /** syscall_get_return_value(): the word the call returns to user space. */
  returnValue(regs: UserRegs): Word;
  setReturnValue(regs: UserRegs, value: number): void;
  /** Sets the registers up to execute the same call again (-ERESTARTSYS and friends). */
  restartSyscall(regs: UserRegs): void;
  /** Sets the registers up to call restart_syscall() instead (-ERESTART_RESTARTBLOCK). */
  restartBlock(regs: UserRegs): void;
  /** The number and argument words the system call instruction at regs.ip enters with. */
  syscallEntry(regs: UserRegs): readonly [nr: number, ...args: Word[]];
  /** setup_rt_frame(): the signal frame on the user stack, registers set to enter the handler. */
  setupRtFrame(task: TaskStruct, ksig: KSignal, regs: UserRegs, oldset: bigint): boolean;
  /** The arguments the handler at regs.ip is entered with (signal, &info, &uc). */
  handlerArgs(regs: UserRegs): readonly [number, number, number];
  /** A function returning: where it goes (x86 pops the return address, riscv jumps to ra). */
  functionReturn(task: TaskStruct, regs: UserRegs): boolean;
  /** Kernel-provided code at `ip` (riscv's vdso sigreturn trampoline): the syscall it makes, or -1. */
  kernelCodeSyscall(task: TaskStruct, ip: number): number;
  /** rt_sigreturn: the saved context back from the frame at the stack pointer, or false for a bad frame. */
  restoreRtFrame(task: TaskStruct, regs: UserRegs): boolean;
}
