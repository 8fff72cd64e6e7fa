// A CPU-bound job for the -j speed-up: a few hundred thousand emulated system calls.
import { defineTest, getpid, TFAIL, TPASS, tst_res } from "../../src/ltp/index.js";

export default defineTest({
  async test_all() {
    let sum = 0;
    for (let i = 0; i < 1_000_000; i++) sum += await getpid();
    tst_res(sum === 1_000_000 * 2 ? TPASS : TFAIL, `sum of pids ${sum}`);
  },
});
