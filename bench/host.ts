/**
 * The host target's side of `npm run bench`: what a job costs on this machine's kernel through
 * the native agent (a PID and mount namespace, the launcher, the agent, its channels), beside
 * a C fork + exec + wait of a trivial program, and the same trivial job on the emulated kernel.
 */
import { join } from "node:path";
import { loadConfigs } from "../src/runner/configs.js";
import { execute } from "../src/runner/execute.js";
import { jobMatrix } from "../src/runner/job.js";
import { packageRoot } from "../src/runner/paths.js";
import { parseRuntest } from "../src/runner/runtest.js";
import { checkTarget } from "../src/targets/check.js";
import { EMULATED_TARGET, HOST_TARGET, type TargetSpec } from "../src/targets/spec.js";
import { runCReference } from "./reference.js";

const TESTCASES = join(packageRoot(), "dist", "bench", "testcases");
const JOBS = 100;

/** Wall milliseconds per job of a suite of trivial jobs at -j 1. */
async function perJob(target: TargetSpec, config: string): Promise<number> {
  const text = Array.from({ length: JOBS }, (_, i) => `bench_trivial01_${i} bench_trivial01`).join("\n");
  const matrix = jobMatrix(parseRuntest(text, "bench"), loadConfigs(config), target);
  const t0 = performance.now();
  const run = await execute(matrix, { parallel: 1, runSeed: 1n, defaultTimeout: 60, testcasesDir: TESTCASES });
  const wall = performance.now() - t0;
  const bad = run.results.filter((r) => !r || r.status !== "pass");
  if (bad.length) throw new Error(`bench suite on ${target.kind}: ${bad.length} jobs did not pass`);
  return wall / JOBS;
}

export async function benchHost(): Promise<void> {
  try {
    checkTarget(HOST_TARGET);
  } catch (e) {
    console.log(`host target: not measured: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const host = await perJob(HOST_TARGET, "host");
  const emulated = await perJob(EMULATED_TARGET, "host");
  const ref = runCReference(join(packageRoot(), "bench", "forkexec.c"), ["-", "2000"]);
  const c = "rate" in ref ? 1000 / ref.rate : null;
  const vsC = (ms: number) => (c === null ? "" : ` (${(ms / c).toFixed(1)}x a C fork+exec+wait)`);
  console.log(`cost per job, trivial suite of ${JOBS} at -j 1: host target ${host.toFixed(2)} ms${vsC(host)}, emulated ${emulated.toFixed(2)} ms${vsC(emulated)}`);
  console.log(c === null ? ("skipped" in ref ? ref.skipped : "") : `C fork+exec+wait of a trivial program on this machine's kernel: ${c.toFixed(3)} ms`);
}
