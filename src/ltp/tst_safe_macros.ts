import { ECHILD } from "../linux/include/uapi/errno.js";
import { signalName } from "../linux/include/uapi/signal.js";
import { __WALL } from "../linux/include/uapi/wait.js";
import {
  _exit, close, cloneProcess, dup, errno, FORK_FLAGS, malloc, open, waitpid, type ChildBody,
} from "./libc.js";
import { TBROK, TCONF, TERRNO, TFAIL, TPASS, tst_brk, tst_res, TstBrk } from "./tst_res.js";
import { WEXITSTATUS, WIFEXITED, WIFSIGNALED, WTERMSIG } from "./wait.js";

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

/** The exit value for a process whose code threw: tst_brk's type, or TBROK for a bug. */
export function exitStatusFor(e: unknown): number {
  if (e instanceof TstBrk) return e.type;
  // The error and where it was thrown, on one line.
  const first = (e instanceof Error ? e.stack ?? e.message : String(e)).split("\n").slice(0, 2).join(" ").replace(/\s+/g, " ").trim();
  tst_res(TBROK, `Unhandled exception: ${first}`);
  return TBROK;
}

/** SAFE_FORK(): the child runs `body`; the parent gets the pid. */
export async function SAFE_FORK(body: ChildBody): Promise<number> {
  const pid = await cloneProcess(FORK_FLAGS, childEntry(body));
  if (pid === -1) tst_brk(TBROK | TERRNO, "fork() failed");
  return pid;
}

/** ltp_clone(): clone with `flags` (exit signal included); the child runs `fn`. */
export function ltp_clone(flags: number, fn: ChildBody): number | Promise<number> {
  return cloneProcess(flags, childEntry(fn));
}

export async function SAFE_OPEN(path: string, flags: number, mode = 0): Promise<number> {
  const fd = await open(path, flags, mode);
  if (fd === -1) tst_brk(TBROK | TERRNO, `open(${path},${flags},0${mode.toString(8)}) failed`);
  return fd;
}

export async function SAFE_CLOSE(fd: number): Promise<void> {
  if ((await close(fd)) === -1) tst_brk(TBROK | TERRNO, `close(${fd}) failed`);
}

export async function SAFE_DUP(fd: number): Promise<number> {
  const r = await dup(fd);
  if (r === -1) tst_brk(TBROK | TERRNO, `dup(${fd}) failed`);
  return r;
}

export function SAFE_MALLOC(size: number): number {
  const p = malloc(size);
  if (p === 0) tst_brk(TBROK, `malloc(${size}) failed`);
  return p;
}

export async function SAFE_WAITPID(pid: number, options = 0): Promise<{ pid: number; status: number }> {
  const r = await waitpid(pid, options);
  if (r.pid === -1) tst_brk(TBROK | TERRNO, `waitpid(${pid}) failed`);
  return r;
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

/**
 * tst_get_unused_pid(): a pid nobody has. LTP reads pid_max from /proc (no procfs here), so
 * a child is forked and reaped: its pid stays free until the allocator wraps around.
 */
export async function tst_get_unused_pid(): Promise<number> {
  const pid = await SAFE_FORK(() => 0);
  await SAFE_WAITPID(pid);
  return pid;
}
