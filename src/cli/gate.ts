import { existsSync } from "node:fs";
import type { TrackedWrites } from "../report/atomic.js";
import { compareReports, jobKey } from "../report/compare.js";
import { compareText } from "../report/compareformats.js";
import { ExpectationSet, readExpectations, type Expectation } from "../report/expectations.js";
import type { RunReport } from "../report/format.js";
import type { JobResult } from "../report/jobresult.js";
import { jsonReport, jsonText, type JsonReport } from "../report/json.js";
import { readReport } from "../report/merge.js";
import { failsRun } from "../report/status.js";
import { checkedInput, UsageError } from "./errors.js";

/** What the command line says about the gate. */
export interface GateOptions {
  /** Known failures: listed failures are XFAIL, listed passes XPASS. */
  readonly expect?: string;
  /** An earlier run's JSON report: only a regression against it fails the run. */
  readonly baseline?: string;
  /** Then write this run as the baseline. */
  readonly updateBaseline?: boolean;
  /** A FLAKY job fails the run. */
  readonly flakyFails?: boolean;
}

/**
 * The baseline with only the jobs this run had: a shard answers for its own slice, so the
 * baseline's other jobs are not "removed". The run's jobs are those that finished and those
 * it lists as not run.
 */
function baselineFor(baseline: JsonReport, run: RunReport): JsonReport {
  if (!run.meta.shard) return baseline;
  const mine = new Set([...run.results.map((r) => jobKey(r.tag, r.config)), ...run.meta.notRun.map((j) => jobKey(j.tag, j.config))]);
  return { ...baseline, results: baseline.results.filter((r) => mine.has(jobKey(r.test_fqn, r.config))) };
}

/**
 * Whether a run passes: known failures (--expect) turn into XFAIL and XPASS as results come
 * in; without a baseline, any failure fails the run; with one (--baseline), only what got
 * worse does, and an XPASS (a stale known-failure entry). --update-baseline then makes the
 * run the new baseline.
 */
export class RunGate {
  private constructor(
    private readonly opts: GateOptions,
    private readonly expectations: ExpectationSet,
    /** Absent without --baseline, and when --update-baseline is to create it. */
    private readonly baseline: JsonReport | undefined,
  ) {}

  /** Reads the expectations and the baseline before any job runs; bad input throws UsageError. */
  static load(opts: GateOptions): RunGate {
    const { expect, baseline } = opts;
    const expectations = new ExpectationSet(expect ? checkedInput(() => readExpectations(expect)) : []);
    const base = baseline && (existsSync(baseline) || !opts.updateBaseline) ? checkedInput(() => readReport(baseline)) : undefined;
    if (opts.updateBaseline && !baseline) throw new UsageError("--update-baseline needs --baseline FILE");
    return new RunGate(opts, expectations, base);
  }

  /** A job's result as the known failures see it: XFAIL, XPASS, or unchanged. */
  judge(result: JobResult): JobResult {
    return this.expectations.apply(result);
  }

  /** Known-failure entries that matched no job so far. */
  staleExpectations(): Expectation[] {
    return this.expectations.stale();
  }

  /**
   * Whether the finished run fails; with a baseline, what changed is written to `out`, and
   * --update-baseline writes the new one through `files` (which keeps a failure to write it).
   */
  fails(run: RunReport, out: NodeJS.WritableStream, files: Pick<TrackedWrites, "put">): boolean {
    const path = this.opts.baseline;
    if (!path) return this.anyFailure(run);
    const current = jsonReport(run.results, run.meta);
    const failing = this.baseline ? this.regressed(this.baseline, run, current, path, out) : this.anyFailure(run);
    if (this.opts.updateBaseline && !run.meta.interrupted && files.put(path, jsonText(current))) {
      out.write(`baseline ${path} updated with this run\n`);
    }
    return failing;
  }

  private anyFailure(run: RunReport): boolean {
    return run.results.some((r) => failsRun(r.status, this.opts.flakyFails));
  }

  /** Only what got worse fails the gate (and a stale known-failure entry, XPASS). */
  private regressed(baseline: JsonReport, run: RunReport, current: JsonReport, path: string, out: NodeJS.WritableStream): boolean {
    const comparison = compareReports(baselineFor(baseline, run), current, { flakyFails: this.opts.flakyFails ?? false });
    out.write(`\ncompared with ${path}:\n${compareText(comparison)}`);
    return comparison.regressions > 0 || run.results.some((r) => r.status === "xpass");
  }
}
