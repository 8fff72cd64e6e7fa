import type { Counts, ResultLine } from "../ltp/lib/tst_res.js";

/** kirk's status words for what a testcase reported. */
export type TestStatus = "pass" | "fail" | "brok" | "warn" | "conf";

/**
 * A job's verdict: what the test reported, or, after the gate's bookkeeping, flaky (failed,
 * then passed on a rerun), xfail (a failure the expectations file lists), xpass (a listed
 * failure that passed: the list is stale).
 */
export type JobStatus = TestStatus | "flaky" | "xfail" | "xpass";

/** Verdicts that fail a run. */
export function failsRun(status: JobStatus, flakyFails = false): boolean {
  return status === "fail" || status === "brok" || status === "xpass" || (flakyFails && status === "flaky");
}

/** One run of a job when it was retried: its seed and what it reported. */
export interface Attempt {
  readonly seed: number;
  readonly status: TestStatus;
}

/** Everything the reports need of one (testcase, config) job. */
export interface JobResult {
  /** Its place in the run's matrix (runtest order, then config order). */
  readonly index: number;
  readonly tag: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly config: string;
  /** The --config item that loads the configuration again (for replay). */
  readonly configSpec: string;
  readonly arch: string;
  readonly seed: number;
  readonly status: JobStatus;
  /** What the testcase itself reported (status may say more: flaky, xfail, xpass). */
  readonly testStatus: TestStatus;
  /** Per-case verdicts of a testcase with tcnt: n -> what test(n) reported. */
  readonly cases: readonly { readonly n: number; readonly status: TestStatus }[];
  /** Every run of a retried job, in order (absent when it ran once). */
  readonly attempts?: readonly Attempt[];
  /** The expectations-file entry that lists this job as a known failure. */
  readonly expected?: { readonly reason: string; readonly link?: string };
  /** LTP's exit value of the test. */
  readonly exitCode: number;
  readonly counts: Counts;
  readonly lines: readonly ResultLine[];
  readonly log: readonly string[];
  /** Wall time in milliseconds. */
  readonly duration: number;
  /** TCONF results with the resolver's category (not-configured, not-implemented, ...). */
  readonly tconf: readonly { readonly category: string; readonly reason: string }[];
  readonly startedAt: Date;
}

/** The status from LTP's counts: a failure wins over breakage, then warnings, then skips. */
export function statusOf(counts: Counts, exitCode: number): TestStatus {
  if (counts.failed) return "fail";
  if (counts.broken) return "brok";
  if (counts.warnings) return "warn";
  if (exitCode === 32) return "conf";
  return "pass";
}

/** The line worth showing first: the first TFAIL/TBROK, else the first TCONF, else the first result. */
export function firstMeaningful(r: JobResult): string {
  const pick = (t: number) => r.lines.find((l) => l.type === t);
  const l = pick(1) ?? pick(2) ?? (r.status === "conf" ? pick(32) : undefined) ?? pick(4) ?? r.lines.find((x) => x.type !== 16);
  return l?.message ?? "";
}

const SEVERITY: Record<TestStatus, number> = { pass: 0, conf: 1, warn: 2, brok: 3, fail: 4 };
const TYPE_STATUS: Record<number, TestStatus> = { 0: "pass", 1: "fail", 2: "brok", 4: "warn", 32: "conf" };

/** What each test(n) reported: the worst of its lines. */
export function caseStatuses(lines: readonly ResultLine[]): { n: number; status: TestStatus }[] {
  const worst = new Map<number, TestStatus>();
  for (const l of lines) {
    const st = TYPE_STATUS[l.type];
    if (l.case === undefined || !st) continue;
    const prev = worst.get(l.case);
    if (!prev || SEVERITY[st] > SEVERITY[prev]) worst.set(l.case, st);
  }
  return [...worst].sort((a, b) => a[0] - b[0]).map(([n, status]) => ({ n, status }));
}
