import { compareJson, compareMarkdown, compareReports, compareText } from "../report/compare.js";
import { expectationsFrom } from "../report/expectations.js";
import { jsonReport } from "../report/json.js";
import { mergeReports, readReport } from "../report/merge.js";
import { writeAtomic } from "../report/writer.js";
import { loadConfig } from "../runner/configs.js";
import { runJob } from "../runner/run.js";
import { loadTestcase } from "../runner/testcases.js";
import { jobLine } from "../report/console.js";
import { asUsageError, UsageError } from "./errors.js";

const FORMATS = ["text", "json", "junit", "markdown"] as const;

/** `ltp-run compare OLD.json NEW.json`: exit 1 when NEW has a regression against OLD. */
export async function compareCommand(oldPath: string, newPath: string, opts: { format: string; flakyFails?: boolean }): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format is one of ${FORMATS.join(", ")}, not ${opts.format}`);
  let before, after;
  try {
    before = readReport(oldPath);
    after = readReport(newPath);
  } catch (e) {
    asUsageError(e);
  }
  const c = compareReports(before, after, { flakyFails: opts.flakyFails ?? false });
  const text = opts.format === "json" ? compareJson(c)
    : opts.format === "markdown" ? compareMarkdown(c)
    : opts.format === "junit" ? (await import("../report/junit.js")).compareJunitXml(c)
    : compareText(c);
  process.stdout.write(text);
  return c.regressions ? 1 : 0;
}

/** `ltp-run baseline save RESULTS.json BASELINE.json`: a run becomes the baseline, atomically. */
export function baselineSaveCommand(from: string, to: string): number {
  let report;
  try {
    report = readReport(from);
  } catch (e) {
    asUsageError(e);
  }
  writeAtomic(to, JSON.stringify(report, null, 2) + "\n");
  process.stdout.write(`baseline ${to}: ${report.results.length} jobs from run ${report.ltp_run.run_id}\n`);
  return 0;
}

/** `ltp-run expect --from RESULTS.json`: a starting expectations file from the run's failures. */
export function expectCommand(opts: { from: string; output?: string }): number {
  let report;
  try {
    report = readReport(opts.from);
  } catch (e) {
    asUsageError(e);
  }
  const text = expectationsFrom(report.results);
  if (opts.output) {
    writeAtomic(opts.output, text);
    process.stderr.write(`${opts.output}: write a reason for each entry; until then the file is refused\n`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}

/**
 * `ltp-run replay RESULTS.json --tag T --config C`: reruns one job with the seed it had and
 * checks that the result and the log are the same.
 */
export async function replayCommand(from: string, opts: { tag: string; config: string; testcases?: string }): Promise<number> {
  let report;
  try {
    report = readReport(from);
  } catch (e) {
    asUsageError(e);
  }
  const recorded = report.results.find((r) => r.test_fqn === opts.tag && r.config === opts.config);
  if (!recorded) throw new UsageError(`${from}: no job ${opts.tag} on ${opts.config}`);
  let config;
  try {
    config = loadConfig(recorded.config_spec);
  } catch (e) {
    asUsageError(e);
  }
  const entry = { tag: recorded.test_fqn, command: recorded.test.command, args: recorded.test.arguments, where: from };
  const r = await runJob({ entry, config: { spec: recorded.config_spec, config }, index: recorded.index }, recorded.seed, {
    load: (name) => loadTestcase(name, opts.testcases),
  });
  process.stdout.write(r.log.join("\n") + "\n\n" + jobLine(r) + "\n");
  const log = r.log.length ? r.log.join("\n") + "\n" : "";
  const sameLog = log === recorded.test.log;
  const sameStatus = r.testStatus === recorded.test_status;
  if (sameLog && sameStatus) {
    process.stdout.write(`replay of ${opts.tag} on ${opts.config} with seed ${recorded.seed}: same result (${r.testStatus}) and the same log\n`);
    return 0;
  }
  process.stdout.write(`replay of ${opts.tag} on ${opts.config} with seed ${recorded.seed} differs: ${sameStatus ? "" : `result ${recorded.test_status} -> ${r.testStatus}; `}${sameLog ? "same log" : "the log differs"}\n`);
  return 1;
}

/** `ltp-run merge a.json b.json ... -o all.json`: the shards of a run as one run. */
export async function mergeCommand(paths: string[], opts: { output: string; junit?: string }): Promise<number> {
  let merged;
  try {
    merged = mergeReports(paths.map((path) => ({ path, report: readReport(path) })));
  } catch (e) {
    asUsageError(e);
  }
  const { results, meta } = merged;
  writeAtomic(opts.output, JSON.stringify(jsonReport(results, meta), null, 2) + "\n");
  if (opts.junit) writeAtomic(opts.junit, (await import("../report/junit.js")).junitXml(results, meta));
  process.stdout.write(`merged ${paths.length} reports: ${results.length} of ${meta.matrixSize} jobs -> ${opts.output}\n`);
  return 0;
}
