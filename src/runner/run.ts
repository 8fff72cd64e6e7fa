import { link, type LinkedKernel } from "../linux/kbuild/link.js";
import type { KernelConfig } from "../linux/kconfig/config.js";
import { TBROK, TCONF, type Counts, type ResultLine } from "../ltp/lib/tst_res.js";
import { runTest, type TestCase } from "../ltp/lib/tst_test.js";
import { EmulatedTarget } from "../targets/emulated.js";
import type { LoadedConfig } from "./configs.js";
import { caseStatuses, statusOf, type JobResult } from "./job.js";
import type { RuntestEntry } from "./runtest.js";
import { loadTestcase } from "./testcases.js";

/** One cell of the matrix: a runtest entry on a configuration. */
export interface Job {
  readonly entry: RuntestEntry;
  readonly config: LoadedConfig;
  /** Its place in the matrix. */
  readonly index: number;
}

/** Every (testcase, config) pair, in runtest order then config order. */
export function jobMatrix(entries: readonly RuntestEntry[], configs: readonly LoadedConfig[]): Job[] {
  return entries.flatMap((entry) => configs.map((config) => ({ entry, config }))).map((j, index) => ({ ...j, index }));
}

/** A job's seed: the run's seed mixed with its tag and config, so reruns of one job agree. */
export function jobSeed(runSeed: number, tag: string, config: string): number {
  let h = (runSeed >>> 0) ^ 0x9e3779b9;
  for (const c of `${tag}\0${config}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

const linkCache = new WeakMap<KernelConfig, Map<string, LinkedKernel>>();

/** Links a configuration once (per set of omitted syscalls) and reuses it for every job on it. */
function linked(config: KernelConfig, omit: readonly string[] = []): LinkedKernel {
  let byOmit = linkCache.get(config);
  if (!byOmit) linkCache.set(config, (byOmit = new Map()));
  const key = omit.join(",");
  let l = byOmit.get(key);
  if (!l) byOmit.set(key, (l = link(config, { omit })));
  return l;
}

/** What a run of a testcase produced, before it becomes a JobResult. */
export interface Outcome {
  readonly counts: Counts;
  readonly lines: readonly ResultLine[];
  readonly log: readonly string[];
  readonly exitCode: number;
}

/** What a job that the harness had to give up on reports: one TBROK. */
export function broken(message: string): Outcome {
  return {
    counts: { passed: 0, failed: 0, broken: 1, skipped: 0, warnings: 0 },
    lines: [{ type: TBROK, message }], log: [`TBROK: ${message}`], exitCode: TBROK,
  };
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
    configSpec: job.config.spec, arch: config.arch, seed, status, testStatus: status,
    cases: caseStatuses(outcome.lines), exitCode: outcome.exitCode, counts: outcome.counts,
    lines: outcome.lines, log: outcome.log, duration, tconf, startedAt,
  };
}

/** LTP's default .timeout, in seconds. */
export const DEFAULT_TIMEOUT = 30;

/**
 * Resolves after `seconds` of wall time unless cancelled. A job whose code awaits something
 * that never settles (not a kernel sleep, which the scheduler sees) would otherwise leave the
 * run waiting forever.
 */
function watchdog(seconds: number): { expired: Promise<"timeout">; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<"timeout">((resolve) => { timer = setTimeout(() => resolve("timeout"), seconds * 1000); });
  return { expired, cancel: () => clearTimeout(timer) };
}

export interface RunJobOptions {
  /** Finds a testcase by name (default: the compiled testcases of the package). */
  readonly load?: (name: string) => Promise<TestCase>;
  /** Seconds a testcase without its own .timeout may take. */
  readonly defaultTimeout?: number;
  /** Called once the testcase is loaded, with the timeout that applies to it. */
  readonly onStart?: (timeoutSeconds: number) => void;
  /** Syscalls to leave out of the link (a deliberately broken table, to test a CI gate). */
  readonly omit?: readonly string[];
}

/** Runs one job on a freshly booted kernel with its seed. A testcase that fails to load is TBROK. */
export async function runJob(job: Job, seed: number, opts: RunJobOptions = {}): Promise<JobResult> {
  const { entry } = job;
  const { config } = job.config;
  const startedAt = new Date();
  const t0 = performance.now();
  let outcome: Outcome;
  try {
    const test = await (opts.load ?? loadTestcase)(entry.command);
    const timeout = test.timeout ?? opts.defaultTimeout ?? DEFAULT_TIMEOUT;
    opts.onStart?.(timeout);
    const dog = watchdog(timeout);
    const done = await Promise.race([
      runTest(test, new EmulatedTarget(linked(config, opts.omit), seed), { tid: entry.command, seed, args: entry.args }),
      dog.expired,
    ]);
    dog.cancel();
    outcome = done === "timeout" ? broken(`Test killed! (timeout?): no result within ${timeout} s`) : done;
  } catch (e) {
    outcome = broken(`${entry.command}: cannot load the testcase: ${e instanceof Error ? e.message : String(e)}`);
  }
  return jobResult(job, seed, outcome, startedAt, performance.now() - t0);
}
