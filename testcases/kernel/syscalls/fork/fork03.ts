/*
 * Check that a child can use a large text space and do a large number of operations: the
 * child computes, the parent checks that fork() gave it a pid > 0, that
 * wait() returns that pid with status 0, and reads the child's result through a page of
 * shared memory (no pipe): it must equal what the parent computes itself.
 * (LTP's fork03, with the result handed back.)
 */
import {
  defineTest, MAP_ANONYMOUS, MAP_SHARED, peekBytes, pokeBytes, PROT_READ, PROT_WRITE, SAFE_FORK, SAFE_MMAP,
  SAFE_MUNMAP, SAFE_WAIT, TFAIL, TINFO, TPASS, tst_res,
} from "../../../../src/ltp/index.js";

const PAGE = 4096;
let shared = 0;

/** The child's busy loop of LTP's fork03, in single precision; returns fl2. */
function compute(): number {
  const f = Math.fround;
  let fl1 = 0, fl2 = 0;
  for (let i = 1; i < 32767; i++) {
    fl1 = f(0.000001);
    fl1 = fl2 = f(0.000001);
    fl1 = f(fl1 * 10.0);
    fl2 = f(fl1 / 1.232323);
    fl1 = f(fl2 - fl2);
    fl1 = fl2;
  }
  return fl2;
}

const asBytes = (v: number) => new Uint8Array(new Float32Array([v]).buffer);
const fromBytes = (b: Uint8Array) => new Float32Array(b.slice().buffer)[0]!;

export default defineTest({
  forks_child: true,
  async setup() {
    shared = await SAFE_MMAP(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  },
  async cleanup() {
    if (shared) await SAFE_MUNMAP(shared, PAGE);
    shared = 0;
  },
  async test_all() {
    // The child's code is the function (fork() returned 0 there); it exits with 0.
    const pid1 = await SAFE_FORK(() => {
      pokeBytes(shared, asBytes(compute()));
      return 0;
    });
    tst_res(TINFO, `process id in parent of child from fork: ${pid1}`);
    const { pid: pid2, status } = await SAFE_WAIT();
    if (pid1 !== pid2) {
      tst_res(TFAIL, `pids don't match: ${pid1} vs ${pid2}`);
      return;
    }
    if (status >> 8 !== 0) {
      tst_res(TFAIL, "child exited with failure");
      return;
    }
    const got = fromBytes(peekBytes(shared, 4));
    const want = Math.fround(compute());
    if (got !== want) {
      tst_res(TFAIL, `the child's result ${got} differs from the parent's ${want}`);
      return;
    }
    tst_res(TPASS, "test PASSED");
  },
});
