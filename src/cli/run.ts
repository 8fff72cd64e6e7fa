import { execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { loadConfigs } from "../runner/configs.js";
import { execute } from "../runner/execute.js";
import type { JobResult } from "../report/jobresult.js";
import { failsRun } from "../report/status.js";
import { packageRoot } from "../runner/paths.js";
import { jobMatrix } from "../runner/job.js";
import { DEFAULT_TIMEOUT } from "../runner/run.js";
import { readRuntests } from "../runner/runtest.js";
import { inShard, parseShard } from "../runner/shard.js";
import { readSkipFile } from "../runner/skipfile.js";
import { defaultTestcasesDir, testcaseIndex } from "../runner/testcases.js";
import { compareReports, compareText } from "../report/compare.js";
import { summaryLines } from "../report/console.js";
import { ExpectationSet, readExpectations } from "../report/expectations.js";
import { jsonReport } from "../report/json.js";
import { readReport } from "../report/merge.js";
import type { RunMeta } from "../report/meta.js";
import { ConsoleProgress } from "../report/progress.js";
import { ReportWriter, writeAtomic } from "../report/writer.js";
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
  readonly shard?: string;
  readonly retries?: number;
  readonly flakyFails?: boolean;
  readonly expect?: string;
  readonly baseline?: string;
  readonly updateBaseline?: boolean;
  readonly omitSyscall?: string;
}

function runId(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${randomInt(0x10000).toString(16).padStart(4, "0")}`;
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** The commit of an ltp-run git checkout, for the record; undefined elsewhere. */
export function gitCommit(): string | undefined {
  if (!existsSync(join(packageRoot(), ".git"))) return undefined;
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: packageRoot(), encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * `ltp-run -f ... --config ...`: every input is checked before any job starts; returns the
 * exit code: 0 nothing failed or broke (with --baseline: no regression), 1 otherwise,
 * 130 when interrupted.
 */
export async function runCommand(opts: RunOptions): Promise<number> {
  let entries, configs, skip, expectations, shard, baseline;
  try {
    entries = readRuntests(opts.runtest);
    configs = loadConfigs(opts.config);
    skip = opts.skipFile ? { tags: readSkipFile(opts.skipFile), file: opts.skipFile } : undefined;
    expectations = new ExpectationSet(opts.expect ? readExpectations(opts.expect) : []);
    shard = opts.shard ? parseShard(opts.shard) : undefined;
    if (opts.baseline && (existsSync(opts.baseline) || !opts.updateBaseline)) baseline = readReport(opts.baseline);
  } catch (e) {
    asUsageError(e);
  }
  if (opts.updateBaseline && !opts.baseline) throw new UsageError("--update-baseline needs --baseline FILE");
  if (opts.runRegex !== undefined) {
    let selector: RegExp;
    try {
      selector = new RegExp(opts.runRegex);
    } catch {
      throw new UsageError(`-s: not a regular expression: ${opts.runRegex}`);
    }
    entries = entries.filter((e) => selector.test(e.tag));
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
  const omit = opts.omitSyscall ? opts.omitSyscall.split(",").filter(Boolean) : [];
  if (omit.length) process.stderr.write(`ltp-run: linking without ${omit.join(", ")}: a deliberately broken table\n`);

  // With the TAP report on stdout, everything meant for a person goes to stderr.
  const out = opts.tap === "-" ? process.stderr : process.stdout;
  const parallel = opts.jobs ?? availableParallelism();
  const seed = opts.seed ?? randomInt(2 ** 31);
  const started = new Date();
  const id = runId(started);
  const fullMatrix = jobMatrix(entries, configs);
  const matrix = shard ? inShard(fullMatrix, shard) : fullMatrix;
  out.write(`ltp-run: ${entries.length} testcases x ${configs.length} configs (${configs.map(({ config: c }) => `${c.name}/${c.arch}`).join(", ")}) = ${fullMatrix.length} jobs${shard ? `, shard ${shard.index}/${shard.count}: ${matrix.length} of them` : ""}, -j ${parallel}, seed ${seed}\n`);

  const writer = new ReportWriter(join(opts.resultsDir, id), opts, opts.resultsDir);
  const done: (JobResult | null)[] = matrix.map(() => null);
  let interrupted = false;
  let finished: Date | null = null;
  const commit = gitCommit();
  const meta = (): RunMeta => ({
    runId: id, seed, started, finished, runtest: opts.runtest.split(","), interrupted, version: packageVersion(),
    ...(commit ? { commit } : {}), matrixSize: fullMatrix.length, ...(shard ? { shard } : {}),
    configs: configs.map(({ config: c }) => ({ name: c.name, arch: c.arch, fingerprint: c.fingerprint() })),
    notRun: finished ? matrix.filter((_, i) => !done[i]).map((j) => ({ tag: j.entry.tag, config: j.config.config.name })) : [],
    ...(finished ? { staleExpectations: expectations.stale() } : {}),
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
      ...(skip ? { skip } : {}), ...(opts.retries ? { retries: opts.retries } : {}), ...(omit.length ? { omit } : {}),
      signal: controller.signal,
      onStart: (i, job) => progress.started(i, `${job.entry.tag} (${job.config.config.name})`),
      onResult: (i, raw) => {
        const r = expectations.apply(raw);
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
  const finalMeta = meta();
  await writer.write(results, finalMeta, true);
  for (const line of summaryLines(results)) out.write(line + "\n");
  for (const e of finalMeta.staleExpectations ?? []) {
    out.write(`stale expectation: ${e.test}${e.case === undefined ? "" : `#${e.case}`} on ${e.config} matches no job of this run (${e.reason})\n`);
  }
  if (finalMeta.notRun.length) out.write(`${finalMeta.notRun.length} jobs not run (interrupted)\n`);
  out.write(`results: ${writer.dir}\n`);

  const xpass = results.some((r) => r.status === "xpass");
  let failing = results.some((r) => failsRun(r.status, opts.flakyFails));
  if (opts.baseline) {
    const current = jsonReport(results, finalMeta);
    if (baseline) {
      // A shard answers for its own slice: the baseline's other jobs are not "removed".
      const mine = new Set(matrix.map((j) => `${j.entry.tag}\0${j.config.config.name}`));
      const scope = shard ? { ...baseline, results: baseline.results.filter((r) => mine.has(`${r.test_fqn}\0${r.config}`)) } : baseline;
      const comparison = compareReports(scope, current, { flakyFails: opts.flakyFails ?? false });
      out.write(`\ncompared with ${opts.baseline}:\n${compareText(comparison)}`);
      // The gate: only what got worse fails it (and a stale known-failure entry, XPASS).
      failing = comparison.regressions > 0 || xpass;
    }
    if (opts.updateBaseline && !interrupted) {
      writeAtomic(opts.baseline, JSON.stringify(current, null, 2) + "\n");
      out.write(`baseline ${opts.baseline} updated with this run\n`);
    }
  }
  if (interrupted) return 130;
  return failing ? 1 : 0;
}
