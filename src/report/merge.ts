import { EMULATED_RUN_TARGET } from "../targets/spec.js";
import { readFileSync } from "node:fs";
import type { JobResult } from "./jobresult.js";
import { fromJsonResult, seedFromJson, type JsonReport } from "./json.js";
import type { RunMeta } from "./meta.js";
import { systemReason } from "./atomic.js";
import { checkShape, JSON_REPORT } from "./schema.js";

export class MergeError extends Error {
  override name = "MergeError";
}

/** Reads a JSON report and checks all of it (see schema.ts): a bad one is a MergeError naming the place. */
export function readReport(path: string): JsonReport {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new MergeError(`${path}: ${(e as NodeJS.ErrnoException).code ? `cannot read it: ${systemReason(e)}` : (e as Error).message}`);
  }
  const checked = checkShape(JSON_REPORT, doc);
  if ("error" in checked) throw new MergeError(`${path}: not an ltp-run JSON report: ${checked.error}`);
  return checked.value;
}

/**
 * Combines the JSON reports of a run's shards into the run's results, in matrix order. The
 * shards must be one run: the same runtest files, configurations (by fingerprint) and seed.
 */
export function mergeReports(reports: readonly { path: string; report: JsonReport }[]): { results: JobResult[]; meta: RunMeta } {
  if (reports.length === 0) throw new MergeError("merge needs at least one JSON report");
  const first = reports[0]!;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const { path, report } of reports.slice(1)) {
    const a = first.report.ltp_run, b = report.ltp_run;
    if (!same(a.runtest, b.runtest)) throw new MergeError(`${path}: another suite (runtest ${b.runtest.join(",")}, not ${a.runtest.join(",")})`);
    if (seedFromJson(a.seed) !== seedFromJson(b.seed)) throw new MergeError(`${path}: another seed (${b.seed}, not ${a.seed}): shards of one run share --seed`);
    if (!same(a.configs, b.configs)) throw new MergeError(`${path}: other configurations (${b.configs.map((c) => c.name).join(",")})`);
    if (a.matrix_size !== b.matrix_size) throw new MergeError(`${path}: another matrix (${b.matrix_size} jobs, not ${a.matrix_size})`);
  }
  const byIndex = new Map<number, JobResult>();
  for (const { path, report } of reports) {
    for (const j of report.results) {
      if (byIndex.has(j.index)) throw new MergeError(`${path}: job ${j.test_fqn} on ${j.config} (#${j.index}) is in two reports`);
      byIndex.set(j.index, fromJsonResult(j));
    }
  }
  const results = [...byIndex.values()].sort((a, b) => a.index - b.index);
  const r0 = first.report.ltp_run;
  const started = new Date(Math.min(...reports.map((r) => Date.parse(r.report.ltp_run.started))));
  const finishedAll = reports.every((r) => r.report.ltp_run.finished);
  const notRun = reports.flatMap((r) => r.report.ltp_run.not_run);
  return {
    results,
    meta: {
      runId: `merged-${r0.run_id}`, seed: seedFromJson(r0.seed), started, runtest: r0.runtest, version: r0.version,
      finished: finishedAll ? new Date(Math.max(...reports.map((r) => Date.parse(r.report.ltp_run.finished!)))) : null,
      target: r0.target ?? EMULATED_RUN_TARGET, configs: r0.configs, interrupted: reports.some((r) => r.report.ltp_run.interrupted), notRun,
      matrixSize: r0.matrix_size, ...(r0.commit ? { commit: r0.commit } : {}),
    },
  };
}
