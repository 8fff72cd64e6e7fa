import { TBROK, TCONF, TFAIL, TINFO, TWARN, type Outcome, type ResultType } from "./result.js";
import type { JobStatus, TestStatus } from "./status.js";

/** One run of a job when it was retried: its seed and what it reported. */
export interface Attempt {
  readonly seed: number;
  readonly status: TestStatus;
}

/** Everything the reports need of one (testcase, config) job: which job, what it produced, the verdict. */
export interface JobResult extends Outcome {
  /** Its place in the run's matrix (runtest order, then config order). */
  readonly index: number;
  readonly tag: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly config: string;
  /** The --config item that loads the configuration again (for replay). */
  readonly configSpec: string;
  readonly arch: string;
  /** What ran it: emulated, host, or an emulator's name (qemu-x86_64). */
  readonly target: string;
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
  /** Wall time in milliseconds. */
  readonly duration: number;
  /** TCONF results with the resolver's category (not-configured, not-implemented, ...). */
  readonly tconf: readonly { readonly category: string; readonly reason: string }[];
  readonly startedAt: Date;
}

/** The line worth showing first: the first TFAIL/TBROK, else the first TCONF, else the first result. */
export function firstMeaningful(r: JobResult): string {
  const pick = (t: ResultType) => r.lines.find((l) => l.type === t);
  const l = pick(TFAIL) ?? pick(TBROK) ?? (r.status === "conf" ? pick(TCONF) : undefined) ?? pick(TWARN)
    ?? r.lines.find((x) => x.type !== TINFO);
  return l?.message ?? "";
}
