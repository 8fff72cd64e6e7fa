/**
 * The test's child processes: how a child's code runs and what it exits with, ltp_clone(),
 * and reaping them all (tst_reap_children()) with LTP's check of how each ended.
 */
import { ECHILD } from "../../linux/include/uapi/errno.js";
import { signalName } from "../../linux/include/uapi/signal.js";
import { __WALL } from "../../linux/include/uapi/wait.js";
import { UserFault } from "../../targets/target.js";
import { errno } from "../libc/errno.js";
import { type ChildBody, cloneProcess } from "../libc/sched.js";
import { _exit } from "../libc/unistd.js";
import { waitpid, WEXITSTATUS, WIFEXITED, WIFSIGNALED, WTERMSIG } from "../libc/wait.js";
import { TBROK, TCONF, TERRNO, TFAIL, TPASS, tst_brk, tst_res, TstBrk } from "./tst_res.js";

/** The exit value for a process whose code threw: tst_brk's type, or TBROK for a bug. */
export function exitStatusFor(e: unknown): number {
  // A fault is no exception the library handles: the process dies of its signal.
  if (e instanceof UserFault) throw e;
  if (e instanceof TstBrk) return e.type;
  // The error and where it was thrown, on one line.
  const first = (e instanceof Error ? e.stack ?? e.message : String(e)).split("\n").slice(0, 2).join(" ").replace(/\s+/g, " ").trim();
  tst_res(TBROK, `Unhandled exception: ${first}`);
  return TBROK;
}

/**
 * How a child process's code is run: its body, then exit with what it returned; tst_brk()
 * exits with the result type (LTP's TTYPE_RESULT), and a thrown error is TBROK.
 */
export function childEntry(body: ChildBody): () => Promise<void> {
  return async () => {
    let status: number;
    try {
      const r = await body();
      status = typeof r === "number" ? r : 0;
    } catch (e) {
      status = exitStatusFor(e);
    }
    await _exit(status);
  };
}

/** ltp_clone(): clone with `flags` (exit signal included); the child runs `fn`. */
export function ltp_clone(flags: number, fn: ChildBody): number | Promise<number> {
  return cloneProcess(flags, childEntry(fn));
}

/** check_child_status(): a child must exit with a result type; anything else is TBROK. */
function checkChildStatus(pid: number, status: number): void {
  if (WIFSIGNALED(status)) tst_brk(TBROK, `Child (${pid}) killed by signal ${signalName(WTERMSIG(status))}`);
  if (!WIFEXITED(status)) tst_brk(TBROK, `Child (${pid}) exited abnormally`);
  const ret = WEXITSTATUS(status);
  if (ret !== TPASS && ret !== TFAIL && ret !== TBROK && ret !== TCONF) tst_brk(TBROK, `Invalid child (${pid}) exit value ${ret}`);
}

/** tst_reap_children(): waits for every child and checks how each ended. */
export async function tst_reap_children(): Promise<void> {
  for (;;) {
    const { pid, status } = await waitpid(-1, __WALL);
    if (pid === -1) {
      if (errno() === ECHILD) return;
      tst_brk(TBROK | TERRNO, "waitpid() failed");
    }
    checkChildStatus(pid, status);
  }
}
