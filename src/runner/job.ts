import type { Counts, ResultLine } from "../ltp/tst_res.js";

/** kirk's status words for a job. */
export type JobStatus = "pass" | "fail" | "brok" | "warn" | "conf";

/** Everything the reports need of one (testcase, config) job. */
export interface JobResult {
  readonly tag: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly config: string;
  readonly arch: string;
  readonly seed: number;
  readonly status: JobStatus;
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
export function statusOf(counts: Counts, exitCode: number): JobStatus {
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
