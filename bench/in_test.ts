import type { LinkedKernel } from "../src/linux/kbuild/link.js";
import { EmulatedTarget } from "../src/targets/emulated.js";
import { defineTest, TPASS, tst_res } from "../src/ltp/index.js";
import { runTest } from "../src/ltp/lib/tst_test.js";

/**
 * Operations per second of `op`, run `n` times by a testcase on a booted kernel (after
 * `warmup` runs for the JIT, `prepare` once before and `finish` once after): the way testcases
 * themselves make calls.
 */
export async function rateInTest(
  linked: LinkedKernel, tid: string, n: number, warmup: number,
  op: () => unknown, prepare: () => void | Promise<void> = () => {}, finish: () => void | Promise<void> = () => {},
): Promise<number> {
  let rate = 0;
  const test = defineTest({
    async test_all() {
      await prepare();
      for (let i = 0; i < warmup; i++) await op();
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await op();
      rate = n / ((performance.now() - t0) / 1000);
      await finish();
      tst_res(TPASS, "done");
    },
  });
  await runTest(test, new EmulatedTarget(linked, 1), { tid, seed: 1 });
  return rate;
}
