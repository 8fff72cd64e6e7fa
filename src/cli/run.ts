import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { loadConfigs } from "../runner/configs.js";
import { execute } from "../runner/execute.js";
import type { JobResult } from "../runner/job.js";
import { packageRoot } from "../runner/paths.js";
import { jobMatrix, DEFAULT_TIMEOUT } from "../runner/run.js";
import { readRuntests } from "../runner/runtest.js";
import { readSkipFile } from "../runner/skipfile.js";
import { defaultTestcasesDir, testcaseIndex } from "../runner/testcases.js";
import { summaryLines } from "../report/console.js";
import type { RunMeta } from "../report/meta.js";
import { ConsoleProgress } from "../report/progress.js";
import { ReportWriter } from "../report/writer.js";
import { asUsageError, UsageError } from "./errors.js";

export interface RunOptions {
  readonly runtest: string;
  readonly config: string;
  readonly jobs?: number;
  readonly runRegex?: string;
  readonly skipFile?: string;
  readonly timeout?: number;
  readonly junit?: string;
  readonly tap?: string;
  readonly json?: string;
  readonly resultsDir: string;
  readonly seed?: number;
  readonly testcases?: string;
}

function runId(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${randomInt(0x10000).toString(16).padStart(4, "0")}`;
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/**
 * `ltp-run -f ... --config ...`: every input is checked before any job starts; returns the
 * exit code: 0 nothing failed or broke, 1 otherwise, 130 when interrupted.
 */
export async function runCommand(opts: RunOptions): Promise<number> {
  let entries, configs, skip;
  let selector: RegExp | undefined;
  try {
    entries = readRuntests(opts.runtest);
    configs = loadConfigs(opts.config);
    skip = opts.skipFile ? { tags: readSkipFile(opts.skipFile), file: opts.skipFile } : undefined;
  } catch (e) {
    asUsageError(e);
  }
  if (opts.runRegex !== undefined) {
    try {
      selector = new RegExp(opts.runRegex);
    } catch {
      throw new UsageError(`-s: not a regular expression: ${opts.runRegex}`);
    }
    entries = entries.filter((e) => selector!.test(e.tag));
  }
  const testcasesDir = opts.testcases ?? defaultTestcasesDir();
  let known;
  try {
    known = testcaseIndex(testcasesDir);
  } catch {
    throw new UsageError(`--testcases: cannot read ${testcasesDir}`);
  }
  for (const e of entries) {
    if (!known.has(e.command)) throw new UsageError(`${e.where}: no testcase named ${e.command}`);
  }
  for (const { config } of configs) for (const w of config.warnings) process.stderr.write(`ltp-run: ${config.name}: ${w}\n`);

  // With the TAP report on stdout, everything meant for a person goes to stderr.
  const out = opts.tap === "-" ? process.stderr : process.stdout;
  const parallel = opts.jobs ?? availableParallelism();
  const seed = opts.seed ?? randomInt(2 ** 31);
  const started = new Date();
  const id = runId(started);
  const matrix = jobMatrix(entries, configs);
  out.write(`ltp-run: ${entries.length} testcases x ${configs.length} configs (${configs.map(({ config: c }) => `${c.name}/${c.arch}`).join(", ")}) = ${matrix.length} jobs, -j ${parallel}, seed ${seed}\n`);

  const writer = new ReportWriter(join(opts.resultsDir, id), opts, opts.resultsDir);
  const done: (JobResult | null)[] = matrix.map(() => null);
  let interrupted = false;
  let finished: Date | null = null;
  const meta = (): RunMeta => ({
    runId: id, seed, started, finished, runtest: opts.runtest.split(","), interrupted, version: packageVersion(),
    configs: configs.map(({ config: c }) => ({ name: c.name, arch: c.arch, fingerprint: c.fingerprint() })),
    notRun: finished ? matrix.filter((_, i) => !done[i]).map((j) => ({ tag: j.entry.tag, config: j.config.config.name })) : [],
  });
  const finishedResults = () => done.filter((r): r is JobResult => r !== null);

  const progress = new ConsoleProgress(matrix.length, out);
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    process.stderr.write(`\nltp-run: ${sig}: no new jobs; running ones get 2 s to finish\n`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const run = await execute(matrix, {
      parallel, runSeed: seed, defaultTimeout: opts.timeout ?? DEFAULT_TIMEOUT, testcasesDir,
      ...(skip ? { skip } : {}),
      signal: controller.signal,
      onStart: (i, job) => progress.started(i, `${job.entry.tag} (${job.config.config.name})`),
      onResult: (i, r) => {
        done[i] = r;
        progress.finishedJob(i, r);
        writer.schedule(finishedResults, meta);
      },
    });
    interrupted = run.interrupted;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  finished = new Date();
  progress.end();
  const results = finishedResults();
  await writer.write(results, meta(), true);
  for (const line of summaryLines(results)) out.write(line + "\n");
  const notRun = meta().notRun.length;
  if (notRun) out.write(`${notRun} jobs not run (interrupted)\n`);
  out.write(`results: ${writer.dir}\n`);
  if (interrupted) return 130;
  return results.some((r) => r.status === "fail" || r.status === "brok") ? 1 : 0;
}
