import { link, type LinkedKernel } from "../linux/kbuild/link.js";
import type { KernelConfig } from "../linux/kconfig/config.js";
import { runTest, type TestCase } from "../ltp/lib/tst_test.js";
import { EmulatedTarget } from "../targets/emulated.js";
import type { JobResult } from "../report/jobresult.js";
import { singleResult, TBROK, type Outcome } from "../report/result.js";
import { jobResult, type Job } from "./job.js";
import { loadTestcase } from "./testcases.js";

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
    outcome = done === "timeout" ? singleResult(TBROK, `Test killed! (timeout?): no result within ${timeout} s`) : done;
  } catch (e) {
    outcome = singleResult(TBROK, `${entry.command}: cannot load the testcase: ${e instanceof Error ? e.message : String(e)}`);
  }
  return jobResult(job, seed, outcome, startedAt, performance.now() - t0);
}
