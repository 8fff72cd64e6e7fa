/*
 * LTP's results, the one model the runner and every report share: a testcase reports lines of
 * these types, and its outcome is their counts, the lines, its output and LTP's exit value.
 */

/** Result types, include/tst_res_flags.h: the values are LTP's exit-code bits. */
export const TPASS = 0, TFAIL = 1, TBROK = 2, TWARN = 4, TINFO = 16, TCONF = 32;

export type ResultType = typeof TPASS | typeof TFAIL | typeof TBROK | typeof TWARN | typeof TINFO | typeof TCONF;

/** How LTP prints each result type in a test's output. */
export const RESULT_NAMES: Readonly<Record<ResultType, string>> = {
  [TPASS]: "TPASS", [TFAIL]: "TFAIL", [TBROK]: "TBROK", [TWARN]: "TWARN", [TINFO]: "TINFO", [TCONF]: "TCONF",
};

/** LTP's struct results: the counts the Summary prints. */
export interface Counts {
  passed: number;
  failed: number;
  broken: number;
  skipped: number;
  warnings: number;
}

/** The count each result type adds to (TINFO counts nothing). */
export const COUNTED_AS: Readonly<Partial<Record<ResultType, keyof Counts>>> = {
  [TPASS]: "passed", [TFAIL]: "failed", [TBROK]: "broken", [TCONF]: "skipped", [TWARN]: "warnings",
};

/** One reported line, as the test's output shows it. */
export interface ResultLine {
  readonly type: ResultType;
  readonly message: string;
  /** The ENOSYS category, for TCONF results that come from the syscall resolver. */
  readonly category?: string;
  /** Which run of test(n) reported it, for testcases with tcnt: the per-case results a baseline compares. */
  readonly case?: number;
}

/** What one run of a testcase produced. */
export interface Outcome {
  readonly counts: Counts;
  readonly lines: readonly ResultLine[];
  /** The output, as LTP prints it. */
  readonly log: readonly string[];
  /** LTP's exit value: the TFAIL, TBROK and TWARN bits, or TCONF when only skips were reported. */
  readonly exitCode: number;
}

/**
 * An outcome of one result that the harness reports itself: TBROK for a job it had to give up
 * on (a timeout, a crashed worker), TCONF for one it was told not to run.
 */
export function singleResult(type: typeof TBROK | typeof TCONF, message: string, category?: string): Outcome {
  const counts: Counts = { passed: 0, failed: 0, broken: 0, skipped: 0, warnings: 0 };
  counts[COUNTED_AS[type]!]++;
  return {
    counts,
    lines: [{ type, message, ...(category === undefined ? {} : { category }) }],
    log: [`${RESULT_NAMES[type]}: ${message}`],
    exitCode: type,
  };
}
