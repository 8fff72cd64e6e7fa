import type { Word } from "../uapi/word.js";
import type { TaskStruct } from "./task_struct.js";

/**
 * The user registers the kernel saves on entry (struct pt_regs), in whatever layout the arch
 * has. The generic code only moves the instruction and stack pointers; everything else goes
 * through the arch's ArchEntry.
 */
export interface UserRegs {
  ip: number;
  sp: number;
}

/** What an architecture adds to ptrace: arch_ptrace(), the single-step hooks, ptrace_disable(). */
export interface ArchPtrace {
  /**
   * arch_ptrace()'s own requests (registers, user area); null: ptrace_request() handles it.
   * `data` is the word as given (POKEUSER stores all its bits).
   */
  request(task: TaskStruct, child: TaskStruct, request: number, addr: number, data: Word): number | null;
  /** arch_has_single_step(): false on riscv, where PTRACE_SINGLESTEP is EIO. */
  readonly hasSingleStep: boolean;
  /** arch_has_block_step(): x86's DEBUGCTL.BTF. */
  readonly hasBlockStep: boolean;
  /** Why the arch lacks single-step, for the resolver and TCONF messages. */
  readonly noSingleStepReason?: string;
  userEnableSingleStep(child: TaskStruct): void;
  userEnableBlockStep(child: TaskStruct): void;
  userDisableSingleStep(child: TaskStruct): void;
}

/** PTRACE_EVENTMSG_SYSCALL_ENTRY / _EXIT: what PTRACE_GETEVENTMSG says at a syscall-stop. */
export const PTRACE_EVENTMSG_SYSCALL_ENTRY = 1, PTRACE_EVENTMSG_SYSCALL_EXIT = 2;

/** ptrace_reparented(): the tracer is not the real parent's thread group. */
export function ptraceReparented(child: TaskStruct): boolean {
  return child.tracer !== null && child.tracer.signal !== child.parent?.signal;
}
