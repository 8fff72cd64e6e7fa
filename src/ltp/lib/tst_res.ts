import { errnoName } from "../../linux/include/uapi/errno.js";

/** Result types, include/tst_res_flags.h: the values are LTP's exit-code bits. */
export const TPASS = 0, TFAIL = 1, TBROK = 2, TWARN = 4, TINFO = 16, TCONF = 32;
/** Flags a result type can carry: append the errno of the last TEST() / of the call. */
export const TERRNO = 0x100, TTERRNO = 0x200;

export type ResultType = typeof TPASS | typeof TFAIL | typeof TBROK | typeof TWARN | typeof TINFO | typeof TCONF;

const TYPE_NAMES: Record<number, string> = { 0: "TPASS", 1: "TFAIL", 2: "TBROK", 4: "TWARN", 16: "TINFO", 32: "TCONF" };

export function resultName(t: number): string {
  return TYPE_NAMES[t & 0xff] ?? `T?(${t})`;
}

/** LTP's struct results: the counts the Summary prints. */
export interface Counts {
  passed: number;
  failed: number;
  broken: number;
  skipped: number;
  warnings: number;
}

/** One reported line, as the test's output shows it. */
export interface ResultLine {
  readonly type: ResultType;
  readonly message: string;
  /** The ENOSYS category, for TCONF results that come from the syscall resolver. */
  readonly category?: string;
  /** Which run of test(n) reported it, for testcases with tcnt: the per-case results a baseline compares. */
  readonly case?: number;
}

/** Everything a job reports, from any of its processes (LTP keeps it in shared memory). */
export class Results {
  readonly counts: Counts = { passed: 0, failed: 0, broken: 0, skipped: 0, warnings: 0 };
  readonly lines: ResultLine[] = [];
  /** The output as LTP would print it. */
  readonly log: string[] = [];
  /** The n of the test(n) running now (children report into the case their parent runs). */
  currentCase: number | null = null;

  constructor(private readonly file: string) {}

  add(type: ResultType, message: string, category?: string): void {
    switch (type) {
      case TPASS: this.counts.passed++; break;
      case TFAIL: this.counts.failed++; break;
      case TBROK: this.counts.broken++; break;
      case TCONF: this.counts.skipped++; break;
      case TWARN: this.counts.warnings++; break;
    }
    this.lines.push({
      type, message, ...(category === undefined ? {} : { category }), ...(this.currentCase === null ? {} : { case: this.currentCase }),
    });
    this.log.push(`${this.file}: ${resultName(type)}: ${message}`);
  }

  info(message: string): void {
    this.lines.push({ type: TINFO, message });
    this.log.push(`${this.file}: TINFO: ${message}`);
  }

  get reported(): boolean {
    const c = this.counts;
    return c.passed + c.failed + c.broken + c.skipped + c.warnings > 0;
  }

  /** LTP's exit value: TFAIL, TBROK, TWARN bits; TCONF (32) only when nothing passed. */
  exitCode(): number {
    const c = this.counts;
    let ret = 0;
    if (c.failed) ret |= TFAIL;
    if (c.skipped && !c.passed) ret |= TCONF;
    if (c.warnings) ret |= TWARN;
    if (c.broken) ret |= TBROK;
    return ret;
  }

  /** The Summary block LTP prints at the end. */
  summary(): string[] {
    const c = this.counts;
    return ["", "Summary:", `passed   ${c.passed}`, `failed   ${c.failed}`, `broken   ${c.broken}`, `skipped  ${c.skipped}`, `warnings ${c.warnings}`];
  }
}

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
import { errno } from "../libc/errno.js";

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

/** tst_brk(): reports and ends the calling process's part of the test (see TstBrk). */
export function tst_brk(ttype: number, message: string, category?: string): never {
  const type = (ttype & 0xff) as ResultType;
  job().results.add(type, withErrno(ttype, message), category);
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
