import type { JobResult } from "../report/jobresult.js";
import { RESULT_NAMES, TBROK, TCONF, type Outcome } from "../report/result.js";
import { caseStatuses, statusOf } from "../report/status.js";
import { EMULATED_TARGET, targetName, type TargetSpec } from "../targets/spec.js";
import type { LoadedConfig } from "./configs.js";
import type { RuntestEntry } from "./runtest.js";

/** One cell of the matrix: a runtest entry on a configuration, run by a target. */
export interface Job {
  readonly entry: RuntestEntry;
  readonly config: LoadedConfig;
  readonly target: TargetSpec;
  /** Its place in the matrix. */
  readonly index: number;
}

/** Every (testcase, config) pair on one target, in runtest order then config order. */
export function jobMatrix(entries: readonly RuntestEntry[], configs: readonly LoadedConfig[], target: TargetSpec = EMULATED_TARGET): Job[] {
  return entries.flatMap((entry) => configs.map((config) => ({ entry, config, target }))).map((j, index) => ({ ...j, index }));
}

/** murmur3's 32-bit finalizer: each input bit flips about half of the output bits, and 0 stays 0. */
function fmix32(x: number): number {
  let h = x ^ (x >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A job's seed: the run's seed mixed with its tag and config, so reruns of one job agree. The
 * run's seed has 64 bits (CI run ids do); its high half is folded in through fmix32, which maps
 * 0 to 0, so a run seed below 2^32 gives the job seeds it always gave.
 */
export function jobSeed(runSeed: bigint | number, tag: string, config: string): number {
  const seed = BigInt.asUintN(64, BigInt(runSeed));
  const low = Number(seed & 0xffffffffn), high = Number(seed >> 32n);
  let h = low ^ fmix32(high) ^ 0x9e3779b9;
  for (const c of `${tag}\0${config}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** The JobResult of a job from what it produced. */
export function jobResult(job: Job, seed: number, outcome: Outcome, startedAt: Date, duration: number): JobResult {
  const { entry } = job;
  const { config } = job.config;
  const tconf = outcome.lines
    .filter((l) => l.type === TCONF)
    .map((l) => ({ category: l.category ?? "other", reason: l.message }));
  const status = statusOf(outcome.counts, outcome.exitCode);
  return {
    index: job.index, tag: entry.tag, command: entry.command, args: entry.args, config: config.name,
    configSpec: job.config.spec, arch: config.arch, target: targetName(job.target), seed, status, testStatus: status,
    cases: caseStatuses(outcome.lines), exitCode: outcome.exitCode, counts: outcome.counts,
    lines: outcome.lines, log: outcome.log, duration, tconf, startedAt,
  };
}

/**
 * A finished job's result with a TBROK the harness adds after it (the job left something
 * behind in its worker): what the test reported stays, and the job is broken.
 */
export function withBroken(job: Job, result: JobResult, message: string): JobResult {
  const outcome: Outcome = {
    counts: { ...result.counts, broken: result.counts.broken + 1 },
    lines: [...result.lines, { type: TBROK, message }],
    log: [...result.log, `${RESULT_NAMES[TBROK]}: ${message}`],
    exitCode: result.exitCode | TBROK,
  };
  return jobResult(job, result.seed, outcome, result.startedAt, result.duration);
}
