import { join } from "node:path";
import { makeDirectory, WriteError } from "../report/atomic.js";
import { UsageError } from "./errors.js";

/**
 * Creates <results dir>/<run id>/ before any job runs: a results directory that cannot hold
 * it (a file, a read-only file system) is bad input, not a failure at the end of a long run.
 */
export function makeRunDirectory(resultsDir: string, runId: string): string {
  const dir = join(resultsDir, runId);
  try {
    makeDirectory(dir);
  } catch (e) {
    if (e instanceof WriteError) throw new UsageError(`--results-dir ${resultsDir}: ${e.message}`);
    throw e;
  }
  return dir;
}
