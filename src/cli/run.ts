import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomInt } from "node:crypto";
import { loadConfigs } from "../runner/configs.js";
import { readRuntests } from "../runner/runtest.js";
import { testcaseIndex } from "../runner/testcases.js";
import { jobMatrix, runJobs } from "../runner/run.js";
import { jobLine, summaryLines } from "../report/console.js";
import { ltpLog } from "../report/ltplog.js";
import { byConfig } from "../report/summary.js";
import { asUsageError, UsageError } from "./errors.js";

export interface RunOptions {
  readonly runtest: string;
  readonly config: string;
  readonly junit?: string;
  readonly resultsDir: string;
  readonly seed?: number;
}

function runId(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${randomInt(0x10000).toString(16).padStart(4, "0")}`;
}

/** `ltp-run -f ... --config ...`: returns the exit code (0 nothing failed or broke, 1 otherwise). */
export async function runCommand(opts: RunOptions): Promise<number> {
  let entries, configs;
  try {
    entries = readRuntests(opts.runtest);
    configs = loadConfigs(opts.config);
  } catch (e) {
    asUsageError(e);
  }
  const known = testcaseIndex();
  for (const e of entries) {
    if (!known.has(e.command)) throw new UsageError(`${e.where}: no testcase named ${e.command}`);
  }
  for (const c of configs) for (const w of c.warnings) process.stderr.write(`ltp-run: ${c.name}: ${w}\n`);

  const seed = opts.seed ?? randomInt(2 ** 31);
  const started = new Date();
  const dir = join(opts.resultsDir, runId(started));
  const jobs = jobMatrix(entries, configs);
  process.stdout.write(`ltp-run: ${entries.length} testcases x ${configs.length} configs (${configs.map((c) => `${c.name}/${c.arch}`).join(", ")}) = ${jobs.length} jobs, seed ${seed}\n`);
  const results = await runJobs(jobs, seed, (r) => process.stdout.write(jobLine(r) + "\n"));

  mkdirSync(dir, { recursive: true });
  for (const [config, list] of byConfig(results)) {
    writeFileSync(join(dir, `${config.replace(/[^A-Za-z0-9_.=+-]/g, "_")}.log`), ltpLog(config, list[0]!.arch, list, started));
  }
  const { writeJunit } = await import("../report/junit.js");
  writeJunit(join(dir, "junit.xml"), results);
  if (opts.junit) writeJunit(opts.junit, results);
  for (const line of summaryLines(results)) process.stdout.write(line + "\n");
  process.stdout.write(`results: ${dir}\n`);
  return results.some((r) => r.status === "fail" || r.status === "brok") ? 1 : 0;
}
