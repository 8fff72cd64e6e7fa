import pLimit from "p-limit";
import { TCONF } from "../ltp/tst_res.js";
import type { JobResult } from "./job.js";
import { WorkerPool } from "./pool.js";
import { jobResult, type Job } from "./run.js";

export interface ExecuteOptions {
  /** How many jobs run at once (worker threads). */
  readonly parallel: number;
  readonly runSeed: number;
  readonly defaultTimeout: number;
  readonly testcasesDir?: string;
  /** Tags a skip file lists: their jobs are reported skipped, never run. */
  readonly skip?: { readonly tags: ReadonlySet<string>; readonly file: string };
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

/** Runs the job matrix on a pool of worker threads. Results keep the matrix's order. */
export async function execute(matrix: readonly Job[], opts: ExecuteOptions): Promise<Execution> {
  const pool = new WorkerPool({
    runSeed: opts.runSeed, defaultTimeout: opts.defaultTimeout,
    ...(opts.testcasesDir ? { testcasesDir: opts.testcasesDir } : {}),
  });
  const results: (JobResult | null)[] = matrix.map(() => null);
  const limit = pLimit(opts.parallel);
  let interrupted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    interrupted = true;
    killTimer = setTimeout(() => pool.cancelAll(), (opts.graceSeconds ?? 2) * 1000);
  };
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener("abort", onAbort, { once: true });

  const done = (i: number, r: JobResult) => {
    results[i] = r;
    opts.onResult?.(i, r);
  };
  try {
    await Promise.all(matrix.map((job, i) => limit(async () => {
      if (interrupted) return;
      if (opts.skip?.tags.has(job.entry.tag)) {
        const message = `${job.entry.tag} is listed in the skip file ${opts.skip.file}`;
        done(i, jobResult(job, opts.runSeed, {
          counts: { passed: 0, failed: 0, broken: 0, skipped: 1, warnings: 0 },
          lines: [{ type: TCONF, message, category: "skip-file" }], log: [`TCONF: ${message}`], exitCode: TCONF,
        }, new Date(), 0));
        return;
      }
      opts.onStart?.(i, job);
      const r = await pool.run(job);
      if (r) done(i, r);
    })));
  } finally {
    clearTimeout(killTimer);
    opts.signal?.removeEventListener("abort", onAbort);
    await pool.close();
  }
  return { results, interrupted };
}
