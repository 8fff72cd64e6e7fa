import { _exit, type ChildBody } from "../libc/libc.js";
import { UserFault } from "../../targets/target.js";
import { TBROK, tst_res, TstBrk } from "./tst_res.js";

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
