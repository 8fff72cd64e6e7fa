/**
 * `npm run bench`, processes: fork + exit + wait round trips of the emulated kernel through the
 * test API, beside a C fork/_exit/waitpid loop on this machine's kernel, and the time of the
 * fork_procs testcase with -n 1000 (LTP's fork06). fork copies the address space
 * copy-on-write: the round trip with 1 MiB of the parent's heap written shows what that costs.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadConfig } from "../src/runner/configs.js";
import { packageRoot } from "../src/runner/paths.js";
import { link, type LinkedKernel } from "../src/linux/kbuild/link.js";
import { EmulatedTarget } from "../src/targets/emulated.js";
import { fork, malloc, pokeBytes, waitpid } from "../src/ltp/index.js";
import { runTest, type TestCase } from "../src/ltp/lib/tst_test.js";
import { fmtRate, runCReference } from "./reference.js";
import { rateInTest } from "./in_test.js";

const N = 50_000;
const ROUNDS = 5;
/** The C loop forks fewer times: each costs the real kernel a few hundred microseconds. */
const C_N = 20_000;

/** Round trips per second of fork(child exits at once) + waitpid, after `dirtyPages` of heap were written. */
function emulatedForkRate(linked: LinkedKernel, dirtyPages: number): Promise<number> {
  return rateInTest(linked, "bench_fork", N, 10_000, async () => {
    const pid = await fork(() => 0);
    if (pid <= 0 || (await waitpid(pid)).pid !== pid) throw new Error("fork round trip failed");
  }, () => {
    if (!dirtyPages) return;
    const heap = malloc(dirtyPages * 4096);
    pokeBytes(heap, new Uint8Array(dirtyPages * 4096).fill(1));
  });
}

/** Wall time of one run of the fork_procs testcase with -n 1000, in milliseconds. */
async function forkProcsMs(linked: LinkedKernel): Promise<number> {
  const path = join(packageRoot(), "dist", "testcases", "kernel", "syscalls", "fork", "fork_procs.js");
  const test = ((await import(pathToFileURL(path).href)) as { default: TestCase }).default;
  const t0 = performance.now();
  const out = await runTest(test, new EmulatedTarget(linked, 1), { tid: "fork06", seed: 1, args: ["-n", "1000"] });
  const ms = performance.now() - t0;
  if (out.exitCode !== 0) throw new Error(`fork_procs -n 1000 did not pass: ${out.log.join("\n")}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchFork(): Promise<void> {
  const linked = link(loadConfig("defconfig"));
  const emulated: number[] = [];
  const dirty: number[] = [];
  const real: number[] = [];
  const procs: number[] = [];
  let skipped = "";
  // Rounds alternate between the sides so that a busy moment of the machine hits both.
  for (let r = 0; r < ROUNDS; r++) {
    emulated.push(await emulatedForkRate(linked, 0));
    dirty.push(await emulatedForkRate(linked, 256));
    procs.push(await forkProcsMs(linked));
    const ref = runCReference(join(packageRoot(), "bench", "fork.c"), [String(C_N)]);
    if ("rate" in ref) real.push(ref.rate);
    else skipped = ref.skipped;
  }
  const us = (rate: number) => `${(1e6 / rate).toFixed(2)} us`;
  console.log(`fork+exit+wait, emulated (test API): ${fmtRate(median(emulated))}, ${us(median(emulated))} each (median of ${ROUNDS} rounds of ${N})`);
  console.log(`  with 1 MiB of the parent's heap written (copy-on-write): ${fmtRate(median(dirty))}, ${us(median(dirty))} each`);
  if (real.length) {
    console.log(`fork+_exit+waitpid, real kernel (C loop): ${fmtRate(median(real))}, ${us(median(real))} each`);
    console.log(`ratio emulated / real: ${(median(emulated) / median(real)).toFixed(1)}x (target: >= 20x)`);
  } else {
    console.log(skipped);
  }
  console.log(`fork_procs -n 1000 (fork06): ${median(procs).toFixed(0)} ms (target: well under 1 s)`);
}
