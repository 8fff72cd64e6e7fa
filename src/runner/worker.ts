/**
 * A worker thread that runs jobs: it keeps the configurations it has loaded (and so their
 * linked tables) across jobs, and boots a fresh kernel for each. A job that leaves anything
 * behind in the thread (leftovers.ts) is reported broken, and the thread is not reused.
 */
import { parentPort } from "node:worker_threads";
import { loadConfig, type LoadedConfig } from "./configs.js";
import { withBroken, type Job } from "./job.js";
import { settledLeftovers, workerState, type WorkerState } from "./leftovers.js";
import { runJob } from "./run.js";
import type { RuntestEntry } from "./runtest.js";
import { loadTestcase } from "./testcases.js";
import { osThreadId } from "./thread_memory.js";
import type { JobResult } from "../report/jobresult.js";
import type { TargetSpec } from "../targets/spec.js";

/** Main thread to worker: run this job with this seed. */
export interface JobRequest {
  readonly id: number;
  readonly entry: RuntestEntry;
  readonly index: number;
  readonly configSpec: string;
  readonly target: TargetSpec;
  readonly seed: number;
  readonly defaultTimeout: number;
  readonly testcasesDir?: string;
  readonly omit?: readonly string[];
}

/**
 * Worker to main thread: the testcase is loaded and has this timeout (and the thread's id in
 * the kernel, whose page faults the pool's memory bound reads); or the result, and whether the
 * job left the thread unfit for another.
 */
export type JobReply =
  | { readonly type: "started"; readonly id: number; readonly timeout: number; readonly tid: number | null }
  | { readonly type: "result"; readonly id: number; readonly result: JobResult; readonly retire: boolean };

const configs = new Map<string, LoadedConfig>();
const tid = osThreadId();
/**
 * The thread's state before its first job. Every later job starts from it too: a job that
 * changed it was the thread's last.
 */
let clean: WorkerState | undefined;

parentPort!.on("message", async (req: JobRequest) => {
  let config = configs.get(req.configSpec);
  if (!config) configs.set(req.configSpec, (config = { spec: req.configSpec, config: loadConfig(req.configSpec) }));
  const job: Job = { entry: req.entry, config, target: req.target, index: req.index };
  clean ??= workerState();
  let result = await runJob(job, req.seed, {
    load: (name) => loadTestcase(name, req.testcasesDir),
    defaultTimeout: req.defaultTimeout,
    ...(req.omit ? { omit: req.omit } : {}),
    onStart: (timeout) => parentPort!.postMessage({ type: "started", id: req.id, timeout, tid } satisfies JobReply),
  });
  const left = await settledLeftovers(clean);
  if (left.length) result = withBroken(job, result, `Test leaked ${left.join(", ")} past its end; its worker thread is replaced`);
  parentPort!.postMessage({ type: "result", id: req.id, result, retire: left.length > 0 } satisfies JobReply);
});
