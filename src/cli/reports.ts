/*
 * The commands that work on saved JSON reports: compare two runs, save a baseline, start an
 * expectations file, merge the shards of a run.
 */
import { TrackedWrites, writeAtomic } from "../report/atomic.js";
import { compareReports } from "../report/compare.js";
import { COMPARISON_FORMATS } from "../report/compareformats.js";
import { expectationsFrom } from "../report/expectations.js";
import { runFileFormats } from "../report/formats.js";
import { jsonReport, jsonText } from "../report/json.js";
import { mergeReports, readReport } from "../report/merge.js";
import { writeCopy, type ReportPaths } from "../report/writer.js";
import { checkedInput, printWriteFailures, UsageError } from "./errors.js";
import { consoleStream } from "./reportoptions.js";


/** `ltp-run compare OLD.json NEW.json`: exit 1 when NEW has a regression against OLD. */
export function compareCommand(oldPath: string, newPath: string, opts: { format: string; flakyFails?: boolean }): number {
  const format = COMPARISON_FORMATS.find((f) => f.name === opts.format);
  if (!format) throw new UsageError(`--format is one of ${COMPARISON_FORMATS.map((f) => f.name).join(", ")}, not ${opts.format}`);
  const before = checkedInput(() => readReport(oldPath));
  const after = checkedInput(() => readReport(newPath));
  const c = compareReports(before, after, { flakyFails: opts.flakyFails ?? false });
  process.stdout.write(format.render(c));
  return c.regressions ? 1 : 0;
}

/** `ltp-run baseline save RESULTS.json BASELINE.json`: a run becomes the baseline, atomically. */
export function baselineSaveCommand(from: string, to: string): number {
  const report = checkedInput(() => readReport(from));
  writeAtomic(to, jsonText(report));
  process.stdout.write(`baseline ${to}: ${report.results.length} jobs from run ${report.ltp_run.run_id}\n`);
  return 0;
}

/** `ltp-run expect --from RESULTS.json`: a starting expectations file from the run's failures. */
export function expectCommand(opts: { from: string; output?: string }): number {
  const report = checkedInput(() => readReport(opts.from));
  const text = expectationsFrom(report.results);
  if (opts.output) {
    writeAtomic(opts.output, text);
    process.stderr.write(`${opts.output}: write a reason for each entry; until then the file is refused\n`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}

/** `ltp-run merge a.json b.json ... -o all.json`: the shards of a run as one run, in every report asked for. */
export async function mergeCommand(paths: string[], opts: { output: string; reports: ReportPaths }): Promise<number> {
  const run = checkedInput(() => mergeReports(paths.map((path) => ({ path, report: readReport(path) }))));
  const files = new TrackedWrites();
  files.put(opts.output, jsonText(jsonReport(run.results, run.meta)));
  for (const format of runFileFormats()) {
    const path = opts.reports.get(format.name);
    if (path !== undefined) writeCopy(files, format, await format.render(run), path, true);
  }
  if (printWriteFailures(files.failures())) return 2;
  consoleStream(opts.reports).write(`merged ${paths.length} reports: ${run.results.length} of ${run.meta.matrixSize} jobs -> ${opts.output}\n`);
  return 0;
}
