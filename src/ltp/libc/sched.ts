/** <sched.h>'s clone(), with the child's code given as a function. */
import { job } from "../context.js";
import { intSyscall, type SysResult } from "./syscall.js";

/** The body of a child process: what runs after fork() returns 0 in C. */
export type ChildBody = () => Promise<number | void> | number | void;

/**
 * clone(flags) whose child runs `entry`: the code a C child would continue with after the
 * call returns 0 in it.
 */
export function cloneProcess(flags: number, entry: () => Promise<void>): SysResult {
  job().target.current().setChildEntry(entry);
  return intSyscall("clone", flags, 0, 0, 0, 0);
}
