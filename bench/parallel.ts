/**
 * The runner's side of `npm run bench`: the speed-up of -j 2 over -j 1 on a CPU-bound suite,
 * and the harness's own cost per job on a suite of trivial jobs.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfigs } from "../src/runner/configs.js";
import { execute } from "../src/runner/execute.js";
import { packageRoot } from "../src/runner/paths.js";
import { jobMatrix } from "../src/runner/job.js";
import { parseRuntest } from "../src/runner/runtest.js";

const TESTCASES = join(packageRoot(), "dist", "bench", "testcases");

async function timeSuite(command: string, jobs: number, parallel: number): Promise<{ wall: number; inJobs: number }> {
  const text = Array.from({ length: jobs }, (_, i) => `${command}_${i} ${command}`).join("\n");
  const dir = mkdtempSync(join(tmpdir(), "ltp-run-bench-"));
  writeFileSync(join(dir, "runtest"), text);
  const matrix = jobMatrix(parseRuntest(text, "bench"), loadConfigs("defconfig"));
  const t0 = performance.now();
  const run = await execute(matrix, { parallel, runSeed: 1n, defaultTimeout: 120, testcasesDir: TESTCASES });
  const wall = performance.now() - t0;
  const bad = run.results.filter((r) => !r || r.status !== "pass");
  if (bad.length) throw new Error(`bench suite ${command}: ${bad.length} jobs did not pass`);
  return { wall, inJobs: run.results.reduce((s, r) => s + r!.duration, 0) };
}

export async function benchParallel(): Promise<void> {
  await timeSuite("bench_cpu01", 2, 2); // start-up and JIT warm-up, not measured
  const one = await timeSuite("bench_cpu01", 16, 1);
  const two = await timeSuite("bench_cpu01", 16, 2);
  console.log(`CPU-bound suite (16 jobs of 1M emulated syscalls): -j 1 ${(one.wall / 1000).toFixed(2)} s, -j 2 ${(two.wall / 1000).toFixed(2)} s: speed-up ${(one.wall / two.wall).toFixed(2)}x (target: >= 1.80x on 2 cores)`);

  const N = 400;
  const trivial = await timeSuite("bench_trivial01", N, 1);
  console.log(`trivial suite (${N} jobs, -j 1): ${(trivial.wall / N).toFixed(3)} ms per job in all; harness overhead ${((trivial.wall - trivial.inJobs) / N).toFixed(3)} ms per job beyond the jobs' own time (target: <= 1 ms)`);
}
