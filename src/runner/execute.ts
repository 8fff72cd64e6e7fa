import pLimit from "p-limit";
import type { Attempt, JobResult } from "../report/jobresult.js";
import { singleResult, TCONF } from "../report/result.js";
import { failsRun } from "../report/status.js";
import { jobResult, jobSeed, type Job } from "./job.js";
import { defaultJobMemoryMb, memoryLimits } from "./memory.js";
import { workerCount } from "./parallelism.js";
import { WorkerPool } from "./pool.js";
import type { SkipList } from "./skipfile.js";

/** How the jobs of a run are run. */
export interface ExecutionSettings {
  /** How many jobs run at once (worker threads); capped by the jobs and the machine (parallelism.ts). */
  readonly parallel: number;
  /** What one job may hold, MiB (memory.ts); default: defaultJobMemoryMb. */
  readonly jobMemoryMb?: number;
  /** 64 bits: each job's seed is derived from all of them (jobSeed). */
  readonly runSeed: bigint;
  readonly defaultTimeout: number;
  readonly testcasesDir?: string;
  /** -S: jobs reported skipped, never run. */
  readonly skip?: SkipList;
  /** Reruns of a failed or broken job: the first with the same seed, the others with new ones. */
  readonly retries?: number;
  /** Syscalls to leave out of every link (a deliberately broken table, to test a CI gate). */
  readonly omit?: readonly string[];
}

export interface ExecuteOptions extends ExecutionSettings {
  /** Aborting stops starting jobs; running ones get `graceSeconds` to finish, then are killed. */
  readonly signal?: AbortSignal;
  readonly graceSeconds?: number;
  readonly onStart?: (index: number, job: Job) => void;
  readonly onResult?: (index: number, result: JobResult) => void;
}

export interface Execution {
  /** By matrix index; null for a job that did not run (the run was interrupted). */
  readonly results: (JobResult | null)[];
  readonly interrupted: boolean;
}

/**
 * The seed of a job's attempt: the job's own seed for the first run and the first rerun (a
 * failure that repeats with the same seed is no flake), then new seeds derived from it.
 */
export function attemptSeed(base: number, attempt: number): number {
  return attempt < 2 ? base : jobSeed(base, `attempt ${attempt}`, "");
}

/** The result of a job that a skip file lists: TCONF, never run. */
function skippedByFile(job: Job, seed: number, file: string): JobResult {
  const message = `${job.entry.tag} is listed in the skip file ${file}`;
  return jobResult(job, seed, singleResult(TCONF, message, "skip-file"), new Date(), 0);
}

/** Runs the job matrix on a pool of worker threads. Results keep the matrix's order. */
export async function execute(matrix: readonly Job[], opts: ExecuteOptions): Promise<Execution> {
  const workers = workerCount(opts.parallel, matrix.length);
  const pool = new WorkerPool({
    defaultTimeout: opts.defaultTimeout,
    memory: memoryLimits(opts.jobMemoryMb ?? defaultJobMemoryMb(workers), workers),
    ...(opts.testcasesDir ? { testcasesDir: opts.testcasesDir } : {}),
    ...(opts.omit ? { omit: opts.omit } : {}),
  });
  const results: (JobResult | null)[] = matrix.map(() => null);
  const limit = pLimit(workers);
  let interrupted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    interrupted = true;
    killTimer = setTimeout(() => pool.cancelAll(), (opts.graceSeconds ?? 2) * 1000);
  };
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener("abort", onAbort, { once: true });

  /** A job, and its reruns while it fails: a pass on a rerun makes it flaky. */
  const runWithRetries = async (job: Job): Promise<JobResult | null> => {
    const base = jobSeed(opts.runSeed, job.entry.tag, job.config.config.name);
    const first = await pool.run(job, base);
    if (!first || !failsRun(first.status) || !opts.retries) return first;
    const attempts: Attempt[] = [{ seed: base, status: first.testStatus }];
    for (let a = 1; a <= opts.retries && !interrupted; a++) {
      const seed = attemptSeed(base, a);
      const again = await pool.run(job, seed);
      if (!again) break;
      attempts.push({ seed, status: again.testStatus });
      if (!failsRun(again.status)) return { ...first, status: "flaky", attempts };
    }
    return { ...first, attempts };
  };

  try {
    await Promise.all(matrix.map((job, i) => limit(async () => {
      if (interrupted) return;
      let r: JobResult | null;
      if (opts.skip?.tags.has(job.entry.tag)) {
        r = skippedByFile(job, jobSeed(opts.runSeed, job.entry.tag, job.config.config.name), opts.skip.file);
      } else {
        opts.onStart?.(i, job);
        r = await runWithRetries(job);
      }
      if (!r) return;
      results[i] = r;
      opts.onResult?.(i, r);
    })));
  } finally {
    clearTimeout(killTimer);
    opts.signal?.removeEventListener("abort", onAbort);
    await pool.close();
  }
  return { results, interrupted };
}
