import { runTest, type TestCase } from "../ltp/lib/tst_test.js";
import { openTarget, type BootedTarget } from "../targets/open.js";
import { targetName } from "../targets/spec.js";
import type { JobResult } from "../report/jobresult.js";
import { singleResult, TBROK, type Outcome } from "../report/result.js";
import { jobResult, type Job } from "./job.js";
import { loadTestcase } from "./testcases.js";

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

/**
 * Runs one job on a freshly booted target with its seed. A testcase that fails to load is
 * TBROK; whatever the job leaves running on its target is killed once it is over.
 */
export async function runJob(job: Job, seed: number, opts: RunJobOptions = {}): Promise<JobResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  const outcome = await runOn(job, seed, opts);
  return jobResult(job, seed, outcome, startedAt, performance.now() - t0);
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
}

async function runOn(job: Job, seed: number, opts: RunJobOptions): Promise<Outcome> {
  const { entry } = job;
  let test: TestCase;
  try {
    test = await (opts.load ?? loadTestcase)(entry.command);
  } catch (e) {
    return singleResult(TBROK, `${entry.command}: cannot load the testcase: ${firstLine(e)}`);
  }
  const timeout = test.timeout ?? opts.defaultTimeout ?? DEFAULT_TIMEOUT;
  opts.onStart?.(timeout);
  let booted: BootedTarget;
  try {
    booted = await openTarget(job.target, job.config.config, seed, opts.omit ? { omit: opts.omit } : {});
  } catch (e) {
    return singleResult(TBROK, `cannot start the ${targetName(job.target)} target: ${firstLine(e)}`);
  }
  const dog = watchdog(timeout);
  try {
    const done = await Promise.race([runTest(test, booted.target, { tid: entry.command, seed, args: entry.args }), dog.expired]);
    return done === "timeout" ? singleResult(TBROK, `Test killed! (timeout?): no result within ${timeout} s`) : done;
  } finally {
    dog.cancel();
    await booted.dispose();
  }
}
