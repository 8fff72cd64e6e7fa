import type { TaskStruct } from "./task_struct.js";

/**
 * A system call handler: the body of a SYSCALL_DEFINEn (include/linux/syscalls.h declares
 * them all). Arguments arrive as the raw register values (unused ones are 0); the handler
 * converts them to the C types it declares. It returns the value or a negative errno,
 * synchronously unless it has to block.
 */
export type SyscallHandler = (
  task: TaskStruct, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number,
) => number | Promise<number>;
