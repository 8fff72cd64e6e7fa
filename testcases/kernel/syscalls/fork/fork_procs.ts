/*
 * Spawn many processes with fork() one after the other and check that wait() returns the
 * right pid once each ends. The number comes from the runtest line: `fork_procs -n 100`.
 * (LTP's fork_procs, run as fork06 with -n 1000 and fork11 with -n 100.)
 */
import {
  defineTest, SAFE_FORK, SAFE_WAIT, TBROK, TINFO, TST_EXP_EXPR, tst_brk, tst_option, tst_parse_int, tst_res,
} from "../../../../src/ltp/index.js";

const INT_MAX = 2147483647;
let numforks = 1000;

export default defineTest({
  forks_child: true,
  options: { "n:": "Number of processes to spawn" },
  setup() {
    numforks = 1000;
    const str = tst_option("n");
    const { ret, value } = tst_parse_int(str, 1, INT_MAX);
    if (ret) tst_brk(TBROK, `wrong number of forks '${str}'`);
    if (value !== undefined) numforks = value;
  },
  async test_all() {
    let counter = 0;
    tst_res(TINFO, `Forking ${numforks} processes`);
    for (let i = 0; i < numforks; i++) {
      const pid = await SAFE_FORK(() => 0);
      if ((await SAFE_WAIT()).pid === pid) counter++;
    }
    TST_EXP_EXPR(numforks === counter, `${counter} processes ended successfully`);
  },
});
