import { summaryLines } from "../report/console.js";
import type { RunReport } from "../report/format.js";
import { ConsoleProgress } from "../report/progress.js";
import { ReportWriter, type ReportPaths } from "../report/writer.js";
import { execute } from "../runner/execute.js";
import { printWriteFailures } from "./errors.js";
import { RunGate, type GateOptions } from "./gate.js";
import { interruptible } from "./interrupt.js";
import { announcement, planRun, planWarnings, type RunInputOptions } from "./plan.js";
import { RunRecord } from "./record.js";
import { consoleStream } from "./reportoptions.js";
import { makeRunDirectory } from "./rundir.js";

export interface RunOptions extends RunInputOptions, GateOptions {
  readonly resultsDir: string;
  /** --junit, --tap, --json, ...: copies of the reports. */
  readonly reports: ReportPaths;
}

/** What a person reads at the end: the totals, stale expectations, jobs not run, where the reports are. */
function printEnd(run: RunReport, dir: string, out: NodeJS.WritableStream): void {
  for (const line of summaryLines(run.results)) out.write(line + "\n");
  for (const e of run.meta.staleExpectations ?? []) {
    out.write(`stale expectation: ${e.test}${e.case === undefined ? "" : `#${e.case}`} on ${e.config} matches no job of this run (${e.reason})\n`);
  }
  if (run.meta.notRun.length) out.write(`${run.meta.notRun.length} jobs not run (interrupted)\n`);
  out.write(`results: ${dir}\n`);
}

/**
 * `ltp-run -f ... --config ...`: every input is checked, and every report written once (each
 * saying the run is incomplete), before any job starts; returns the exit code: 0 nothing
 * failed or broke (with --baseline: no regression), 1 otherwise, 2 when a report could not be
 * written, 130 when interrupted.
 */
export async function runCommand(opts: RunOptions): Promise<number> {
  const plan = planRun(opts);
  const gate = RunGate.load(opts);
  const out = consoleStream(opts.reports);
  const record = new RunRecord(plan, () => gate.staleExpectations());
  const writer = new ReportWriter(makeRunDirectory(opts.resultsDir, record.runId), opts.reports, opts.resultsDir);
  if (printWriteFailures(await writer.start(record.report()))) return 2;
  for (const warning of planWarnings(plan)) process.stderr.write(`ltp-run: ${warning}\n`);
  out.write(announcement(plan) + "\n");

  const progress = new ConsoleProgress(plan.matrix.length, out);
  const { interrupted } = await interruptible((interruption) => execute(plan.matrix, {
    ...plan.execution,
    ...interruption,
    onStart: (i, job) => progress.started(i, `${job.entry.tag} (${job.config.config.name})`),
    onResult: (i, raw) => {
      const r = gate.judge(raw);
      record.add(i, r);
      progress.finishedJob(i, r);
      writer.schedule(() => record.report());
    },
  }));
  progress.end();

  const run = record.finish(interrupted);
  await writer.write(run, true);
  printEnd(run, writer.dir, out);
  const failing = gate.fails(run, out, writer);
  const unwritten = printWriteFailures(writer.failures());
  return interrupted ? 130 : failing ? 1 : unwritten ? 2 : 0;
}
