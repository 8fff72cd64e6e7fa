/**
 * A worker thread that runs jobs: it keeps the configurations it has loaded (and so their
 * linked tables) across jobs, and boots a fresh kernel for each.
 */
import { parentPort } from "node:worker_threads";
import { loadConfig, type LoadedConfig } from "./configs.js";
import { runJob } from "./run.js";
import type { RuntestEntry } from "./runtest.js";
import { loadTestcase } from "./testcases.js";
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

/** Worker to main thread: the testcase is loaded and has this timeout; or the result. */
export type JobReply =
  | { readonly type: "started"; readonly id: number; readonly timeout: number }
  | { readonly type: "result"; readonly id: number; readonly result: JobResult };

const configs = new Map<string, LoadedConfig>();

parentPort!.on("message", async (req: JobRequest) => {
  let config = configs.get(req.configSpec);
  if (!config) configs.set(req.configSpec, (config = { spec: req.configSpec, config: loadConfig(req.configSpec) }));
  const result = await runJob({ entry: req.entry, config, target: req.target, index: req.index }, req.seed, {
    load: (name) => loadTestcase(name, req.testcasesDir),
    defaultTimeout: req.defaultTimeout,
    ...(req.omit ? { omit: req.omit } : {}),
    onStart: (timeout) => parentPort!.postMessage({ type: "started", id: req.id, timeout } satisfies JobReply),
  });
  parentPort!.postMessage({ type: "result", id: req.id, result } satisfies JobReply);
});
