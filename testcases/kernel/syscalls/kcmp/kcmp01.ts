/*
 * Verify that:
 * 1) kcmp() returns 0 for two processes and two descriptors referring to the same open file;
 * 2) kcmp() does not return 0 for descriptors that do not.
 * (LTP's kcmp01: the same five cases, each compared in a forked child.)
 */
import {
  defineTest, dup, getpid, kcmp, KCMP_FILE, O_CREAT, O_RDWR, O_TRUNC, SAFE_CLOSE, SAFE_FORK,
  SAFE_OPEN, TEST, TFAIL, TPASS, TTERRNO, TERRNO, tst_res,
} from "../../../../src/ltp/index.js";

const TEST_FILE = "test_file";
const TEST_FILE2 = "test_file2";

let fd1 = -1, fd2 = -1, fd3 = -1;
let pid1 = 0, pid2 = 0;

interface TestCase {
  readonly pid1: () => number;
  readonly pid2: () => number;
  readonly fd1: () => number;
  readonly fd2: () => number;
  readonly expDifferent: boolean;
}

const tcases: readonly TestCase[] = [
  { pid1: () => pid1, pid2: () => pid1, fd1: () => fd1, fd2: () => fd1, expDifferent: false },
  { pid1: () => pid2, pid2: () => pid2, fd1: () => fd1, fd2: () => fd2, expDifferent: false },
  { pid1: () => pid1, pid2: () => pid2, fd1: () => fd1, fd2: () => fd1, expDifferent: false },
  { pid1: () => pid1, pid2: () => pid2, fd1: () => fd1, fd2: () => fd2, expDifferent: false },
  { pid1: () => pid1, pid2: () => pid2, fd1: () => fd1, fd2: () => fd3, expDifferent: true },
];

async function doChild(tc: TestCase): Promise<void> {
  pid2 = await getpid();
  fd3 = await SAFE_OPEN(TEST_FILE2, O_CREAT | O_RDWR, 0o666);
  fd2 = await dup(fd1);
  if (fd2 === -1) {
    tst_res(TFAIL | TERRNO, "dup() failed unexpectedly");
    await SAFE_CLOSE(fd3);
    return;
  }
  const { ret } = await TEST(kcmp(tc.pid1(), tc.pid2(), KCMP_FILE, tc.fd1(), tc.fd2()));
  await SAFE_CLOSE(fd2);
  await SAFE_CLOSE(fd3);
  if (ret === -1) {
    tst_res(TFAIL | TTERRNO, "kcmp() failed unexpectedly");
    return;
  }
  if ((tc.expDifferent && ret === 0) || (!tc.expDifferent && ret !== 0)) {
    tst_res(TFAIL, `kcmp() returned ${ret} instead of ${tc.expDifferent ? 1 : 0}`);
    return;
  }
  tst_res(TPASS, "kcmp() returned the expected value");
}

export default defineTest({
  tcnt: tcases.length,
  needs_tmpdir: true,
  forks_child: true,
  async setup() {
    fd1 = await SAFE_OPEN(TEST_FILE, O_CREAT | O_RDWR | O_TRUNC, 0o666);
  },
  async cleanup() {
    if (fd1 > 0) await SAFE_CLOSE(fd1);
  },
  async test(n) {
    pid1 = await getpid();
    await SAFE_FORK(() => doChild(tcases[n]!));
  },
});
