import { ENOSYS, errnoName } from "../../linux/include/uapi/errno.js";

import {
  TBROK, TCONF, TFAIL, TINFO, TPASS, TWARN, type Counts, type ResultLine, type ResultType,
} from "../../report/result.js";

/** Result types, include/tst_res_flags.h: the result model's, which the runner and the reports share. */
export { TBROK, TCONF, TFAIL, TINFO, TPASS, TWARN, type Counts, type ResultLine, type ResultType };
/** Flags a result type can carry: append the errno of the last TEST() / of the call. */
export const TERRNO = 0x100, TTERRNO = 0x200;

export { resultName, Results } from "./tst_results.js";

/** "ESRCH (3)", as LTP appends for TERRNO/TTERRNO. */
export function errnoText(e: number): string {
  return `${errnoName(e)} (${e})`;
}

/**
 * Thrown by tst_brk(): unwinds the calling process's code to the library, which runs the
 * cleanup (in the test process) and exits with the result type, as LTP's tst_brk does.
 */
export class TstBrk extends Error {
  constructor(readonly type: ResultType, message: string) {
    super(message);
    this.name = "TstBrk";
  }
}

import { job } from "../context.js";
import { errno, lastEnosysCall } from "../libc/errno.js";
import { enosysVerdict } from "./tst_enosys.js";

const lastTestErrno = new WeakMap<object, number>();

/** Remembers TST_ERR of the running process for TTERRNO. */
export function setTestErrno(e: number): void {
  lastTestErrno.set(job().target.current(), e);
}

function withErrno(ttype: number, message: string): string {
  if (ttype & TTERRNO) return `${message}: ${errnoText(lastTestErrno.get(job().target.current()) ?? 0)}`;
  if (ttype & TERRNO) return `${message}: ${errnoText(errno())}`;
  return message;
}

/**
 * tst_res(): reports a result (or TINFO) from any process of the test. `category` is an
 * ltp-run addition for TCONF: why the kernel lacks what the test needs (not-configured, ...).
 */
export function tst_res(ttype: number, message: string, category?: string): void {
  const type = (ttype & 0xff) as ResultType;
  const text = withErrno(ttype, message);
  if (type === TINFO) job().results.info(text);
  else job().results.add(type, text, category);
}

/**
 * tst_brk(): reports and ends the calling process's part of the test (see TstBrk). A TBROK
 * with TERRNO after a call that answered ENOSYS (a SAFE_ macro's failure) carries the
 * target's verdict on that call instead: TCONF where the config leaves it out, TFAIL where
 * the config builds it in (lib/tst_enosys.ts).
 */
export function tst_brk(ttype: number, message: string, category?: string): never {
  let type = (ttype & 0xff) as ResultType;
  let text = withErrno(ttype, message);
  const call = type === TBROK && ttype & TERRNO && errno() === ENOSYS ? lastEnosysCall(job().target.current()) : undefined;
  if (call !== undefined) {
    const verdict = enosysVerdict(call);
    ({ type, category } = verdict);
    text = `${text}: ${verdict.message}`;
  }
  job().results.add(type, text, category);
  throw new TstBrk(type, message);
}

/**
 * Several checks that make one result: each condition that does not hold is a TFAIL with its
 * message; pass(msg) reports TPASS only when every check held.
 */
export function tst_checks(): { check(cond: boolean, msg: string): void; pass(msg: string): void } {
  let ok = true;
  return {
    check(cond, msg) {
      if (!cond) {
        ok = false;
        tst_res(TFAIL, msg);
      }
    },
    pass(msg) {
      if (ok) tst_res(TPASS, msg);
    },
  };
}
