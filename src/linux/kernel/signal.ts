import type { Task } from "../include/linux/sched.js";
import { ERESTARTNOHAND } from "../include/uapi/errno.js";
import { kernelObject, SYSCALL_DEFINE } from "../kbuild/object.js";

/**
 * pause(): sleeps until a signal is delivered, then returns -ERESTARTNOHAND (EINTR once a
 * handler has run). This kernel does not deliver signals yet, so nothing wakes a paused task:
 * with nothing else to run, the scheduler reports the deadlock.
 */
async function pause(task: Task): Promise<number> {
  while (!task.signalPending) await task.kernel.sched.sleep(task, "pause");
  return -ERESTARTNOHAND;
}

export const kernel_signal_c = kernelObject("kernel/signal.c", [
  SYSCALL_DEFINE(0, "pause", pause, "signals are not delivered yet: nothing wakes a paused task"),
]);
