/**
 * `npm run bench`: the emulated kernel's speed, as ratios to references measured in the same
 * run on this machine's real kernel. Never a pass/fail: numbers for people to read.
 */
import { join } from "node:path";
import { loadConfig } from "../src/runner/configs.js";
import { packageRoot } from "../src/runner/paths.js";
import { link } from "../src/linux/kbuild/link.js";
import { getpid } from "../src/ltp/index.js";
import { fmtRate, runCReference } from "./reference.js";
import { rateInTest } from "./in_test.js";
import { benchParallel } from "./parallel.js";
import { benchFork } from "./fork.js";
import { benchPipe } from "./pipe.js";
import { benchInsn } from "./insn.js";
import { benchSingleStep } from "./singlestep.js";
import { benchHost } from "./host.js";

const N = 1_000_000;
const ROUNDS = 5;

/** getpid round trips through the test API, the way testcases make system calls. */
function emulatedGetpid(): Promise<number> {
  return rateInTest(link(loadConfig("defconfig")), "bench_getpid", N, 100_000, getpid);
}

/**
 * The ceiling of any design where testcases `await` each call: awaiting a plain value, with
 * no syscall behind it. It moves with the machine's load as much as the other two.
 */
async function awaitFloor(): Promise<number> {
  let x = 0;
  for (let i = 0; i < 100_000; i++) x += await i;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) x += await i;
  return x >= 0 ? N / ((performance.now() - t0) / 1000) : 0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Rounds alternate between the two sides so that a busy moment of the machine hits both.
const emulated: number[] = [];
const floor: number[] = [];
const real: number[] = [];
let skipped = "";
for (let r = 0; r < ROUNDS; r++) {
  emulated.push(await emulatedGetpid());
  floor.push(await awaitFloor());
  const ref = runCReference(join(packageRoot(), "bench", "getpid.c"), [String(N)]);
  if ("rate" in ref) real.push(ref.rate);
  else skipped = ref.skipped;
}
console.log(`getpid, emulated (test API, await per call): ${fmtRate(median(emulated))} (median of ${ROUNDS} rounds of ${N})`);
console.log(`await of a plain value, no syscall (the ceiling of an await per call): ${fmtRate(median(floor))}; emulated / ceiling: ${(median(emulated) / median(floor)).toFixed(2)}x`);
if (real.length) {
  console.log(`getpid, real kernel (C syscall(SYS_getpid) loop): ${fmtRate(median(real))}`);
  console.log(`ratio emulated / real: ${(median(emulated) / median(real)).toFixed(2)}x (target: >= 1.00x)`);
} else {
  console.log(skipped);
}

await benchFork();
await benchPipe();
await benchParallel();
await benchSingleStep();
await benchHost();
benchInsn();
