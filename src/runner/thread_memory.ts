/**
 * Which thread is touching memory, from Linux's per-thread counters. Worker threads share one
 * address space, so the process's RSS cannot say which job holds what; but a page first
 * touched is a minor fault counted on the thread that touched it
 * (/proc/<pid>/task/<tid>/stat, field 10, minflt, proc(5)), and memory a job holds is memory
 * its thread faulted in. Null where there is no /proc (the bound then rests on RSS alone).
 */
import { readFileSync, readlinkSync } from "node:fs";

/** The calling thread's id in the kernel (a worker thread's, read in that thread); null without /proc. */
export function osThreadId(): number | null {
  try {
    // "/proc/thread-self" -> "<pid>/task/<tid>"
    return Number(readlinkSync("/proc/thread-self").split("/").pop());
  } catch {
    return null;
  }
}

/** Minor page faults of a thread of this process so far; null when it cannot be read (the thread is gone). */
export function minorFaults(tid: number): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "latin1");
    // The command name in parentheses may hold spaces: count fields after its closing one.
    // Field 3 (state) is the first after it, so field 10 (minflt) is the eighth.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[7]);
  } catch {
    return null;
  }
}
