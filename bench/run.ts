/**
 * `npm run bench`: the emulated kernel's speed, as ratios to references measured in the same
 * run on this machine's real kernel. Never a pass/fail: numbers for people to read.
 */
import { join } from "node:path";
import { loadConfig } from "../src/runner/configs.js";
import { packageRoot } from "../src/runner/paths.js";
import { link } from "../src/linux/kbuild/link.js";
import { EmulatedTarget } from "../src/targets/emulated.js";
import { defineTest, runTest } from "../src/ltp/tst_test.js";
import { getpid } from "../src/ltp/libc.js";
import { tst_res, TPASS } from "../src/ltp/tst_res.js";
import { fmtRate, runCReference } from "./reference.js";

const N = 3_000_000;

/** getpid round trips through the test API, the way testcases make system calls. */
async function emulatedGetpid(): Promise<number> {
  const linked = link(loadConfig("defconfig"));
  let rate = 0;
  const test = defineTest({
    async test_all() {
      for (let i = 0; i < 100_000; i++) await getpid(); // warm up the JIT
      const t0 = performance.now();
      for (let i = 0; i < N; i++) await getpid();
      rate = N / ((performance.now() - t0) / 1000);
      tst_res(TPASS, "done");
    },
  });
  await runTest(test, new EmulatedTarget(linked, 1), { tid: "bench_getpid", seed: 1 });
  return rate;
}

const emulated = await emulatedGetpid();
const ref = runCReference(join(packageRoot(), "bench", "getpid.c"), [String(N)]);
console.log(`getpid, emulated (test API, await per call): ${fmtRate(emulated)}`);
if ("rate" in ref) {
  console.log(`getpid, real kernel (C syscall(SYS_getpid) loop): ${fmtRate(ref.rate)}`);
  console.log(`ratio emulated / real: ${(emulated / ref.rate).toFixed(2)}x (target: >= 1.00x)`);
} else {
  console.log(ref.skipped);
}
