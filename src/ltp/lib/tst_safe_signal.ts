/** The SAFE_ macros of LTP's tst_safe_macros.h for signals: TBROK with LTP's message on failure. */
import { signalName } from "../../linux/include/uapi/signal.js";
import { kill, sigaction, type SigAction, signal, type SignalHandler, sigprocmask } from "../libc/signal.js";
import { nanosleep } from "../libc/time.js";
import { TBROK, TERRNO, tst_brk } from "./tst_res.js";
import { SAFE_FORK } from "./tst_safe_macros.js";

const handlerName = (h: number | SignalHandler): string => (typeof h === "number" ? `${h}` : h.name || "handler");

/** SAFE_SIGACTION(sig, act): the old action. */
export async function SAFE_SIGACTION(sig: number, act: SigAction | null): Promise<SigAction> {
  const old = await sigaction(sig, act);
  if (old === -1) tst_brk(TBROK | TERRNO, `sigaction(${signalName(sig)} (${sig}), ${act ? handlerName(act.handler) : "NULL"}, ...) failed`);
  return old;
}

/** SAFE_SIGNAL(sig, handler): the old handler. */
export async function SAFE_SIGNAL(sig: number, handler: number | SignalHandler): Promise<number | SignalHandler> {
  const old = await signal(sig, handler);
  if (old === -1) tst_brk(TBROK | TERRNO, `signal(${sig},${handlerName(handler)}) failed`);
  return old;
}

/** SAFE_SIGPROCMASK(how, set): the old mask. */
export async function SAFE_SIGPROCMASK(how: number, set: bigint | null): Promise<bigint> {
  const old = await sigprocmask(how, set);
  if (old === -1) tst_brk(TBROK | TERRNO, `sigprocmask(${how}, ...) failed`);
  return old;
}

/**
 * Forks a child that sleeps `delayMs` — long enough for the caller to block in the call it is
 * about to make — then sends `sig` to `pid`, runs `then` if given (another `delayMs` later:
 * say, writing what the caller waits for) and exits. Returns the child's pid (reap it).
 */
export async function tst_kill_after(delayMs: number, pid: number, sig: number, then?: () => Promise<unknown>): Promise<number> {
  const delay = { sec: Math.floor(delayMs / 1000), nsec: (delayMs % 1000) * 1e6 };
  return SAFE_FORK(async () => {
    await nanosleep(delay);
    if ((await kill(pid, sig)) === -1) tst_brk(TBROK | TERRNO, `kill(${pid},${signalName(sig)}) failed`);
    if (!then) return;
    await nanosleep(delay);
    await then();
  });
}
