/**
 * `ltp-run diff`: every job of the runtest files on the target under test (the emulated
 * kernel booted with the running kernel's own .config, or an emulator's command line) and on
 * this machine's real kernel, compared job by job. Exit 0 when every divergence is explained
 * by the --expect file, 1 otherwise, 2 when a report could not be written, 130 when interrupted.
 */
import { join } from "node:path";
import { TrackedWrites } from "../report/atomic.js";
import { divergenceTable, explain, jobDivergences, type Divergence } from "../report/diff.js";
import { readExpectations, type Expectation } from "../report/expectations.js";
import type { JobResult } from "../report/jobresult.js";
import { jsonReport, jsonText, seedJson } from "../report/json.js";
import { ConsoleProgress } from "../report/progress.js";
import { execute } from "../runner/execute.js";
import type { Job } from "../runner/job.js";
import { targetName, targetText } from "../targets/spec.js";
import { checkedInput, printWriteFailures, UsageError } from "./errors.js";
import { interruptible } from "./interrupt.js";
import { planRun, planWarnings, type RunInputOptions, type RunPlan } from "./plan.js";
import { RunRecord } from "./record.js";
import { makeRunDirectory } from "./rundir.js";

export interface DiffOptions extends Omit<RunInputOptions, "shard" | "retries"> {
  readonly resultsDir: string;
  /** Divergences known and explained: the expectations file's format. */
  readonly expect?: string;
  /** Also write the diff's JSON here. */
  readonly json?: string;
}

/** The two sides: the target under test, and the host with the same inputs and seed. */
function planSides(opts: DiffOptions): { side: RunPlan; reference: RunPlan } {
  const text = opts.target ?? "emulated";
  if (text.trim() === "host") throw new UsageError("diff compares a target with this machine's kernel: --target is emulated (the default) or an emulator's command line, not host");
  const side = planRun({ ...opts, target: text, config: opts.config ?? "host" });
  const reference = planRun({ ...opts, target: "host", config: "host", seed: side.execution.runSeed });
  return { side, reference };
}

/** Both sides' jobs in one matrix (the side under test first), so they share the workers. */
function bothMatrices(side: RunPlan, reference: RunPlan): Job[] {
  const n = side.matrix.length;
  return [...side.matrix, ...reference.matrix.map((j) => ({ ...j, index: j.index + n }))];
}

interface DiffOutcome {
  readonly rows: readonly Divergence[];
  readonly stale: readonly Expectation[];
}

function compareSides(side: readonly (JobResult | null)[], reference: readonly (JobResult | null)[], entries: readonly Expectation[]): DiffOutcome {
  const used = new Set<Expectation>();
  const rows = side.flatMap((r, i) => {
    const ref = reference[i];
    return r && ref ? jobDivergences(r, ref).map((d) => explain(d, entries, used)) : [];
  });
  return { rows, stale: entries.filter((e) => !used.has(e)) };
}

export async function diffCommand(opts: DiffOptions): Promise<number> {
  const { side, reference } = planSides(opts);
  const entries = opts.expect ? checkedInput(() => readExpectations(opts.expect!)) : [];
  for (const warning of planWarnings(side)) process.stderr.write(`ltp-run: ${warning}\n`);
  const sideName = targetName(side.target), refName = targetName(reference.target);
  const out = process.stdout;
  out.write(`ltp-run diff: ${side.entries.length} testcases on ${targetText(side.target)} (config ${side.configs.map((c) => c.config.name).join(", ")}) against ${refName}, -j ${side.execution.parallel}, seed ${side.execution.runSeed}\n`);

  const records = [new RunRecord(side, () => []), new RunRecord(reference, () => [])];
  const dir = makeRunDirectory(opts.resultsDir, records[0]!.runId);
  const n = side.matrix.length;
  const progress = new ConsoleProgress(2 * n, out);
  const { results, interrupted } = await interruptible((interruption) => execute(bothMatrices(side, reference), {
    ...side.execution, ...interruption,
    onStart: (i, job) => progress.started(i, `${job.entry.tag} (${targetName(job.target)})`),
    onResult: (i, r) => {
      records[i < n ? 0 : 1]!.add(i < n ? i : i - n, r);
      progress.finishedJob(i, r);
    },
  }));
  progress.end();

  const { rows, stale } = compareSides(results.slice(0, n), results.slice(n), entries);
  const unexplained = rows.filter((d) => !d.explained).length;
  for (const line of divergenceTable(rows, sideName, refName)) out.write(line + "\n");
  for (const e of stale) out.write(`stale expectation: ${e.test}${e.case === undefined ? "" : `#${e.case}`} on ${e.config} matches no divergence (${e.reason})\n`);
  const compared = results.slice(0, n).filter((r, i) => r && results[n + i]).length;
  out.write(`${compared} jobs compared: ${rows.length} divergences (${rows.length - unexplained} explained, ${unexplained} unexplained)${interrupted ? ", interrupted" : ""}\n`);

  const [a, b] = records.map((r) => r.finish(interrupted));
  const doc = {
    target: { ...a!.meta.target }, reference: { ...b!.meta.target }, seed: seedJson(side.execution.runSeed), jobs_compared: compared,
    interrupted, divergences: rows, unexplained, stale_expectations: stale,
  };
  const files = new TrackedWrites();
  files.put(join(dir, `results-${sideName}.json`), jsonText(jsonReport(a!.results, a!.meta)));
  files.put(join(dir, `results-${refName}.json`), jsonText(jsonReport(b!.results, b!.meta)));
  files.put(join(dir, "diff.json"), JSON.stringify(doc, null, 2) + "\n");
  if (opts.json) files.put(opts.json, JSON.stringify(doc, null, 2) + "\n");
  out.write(`results: ${dir}\n`);
  const unwritten = printWriteFailures(files.failures());
  return interrupted ? 130 : unexplained ? 1 : unwritten ? 2 : 0;
}
