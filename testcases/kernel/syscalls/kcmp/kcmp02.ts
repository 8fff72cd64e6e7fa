/*
 * Verify that kcmp() fails with:
 * 1) ESRCH for a pid nobody has;
 * 2-5) EINVAL for the types KCMP_TYPES + 1, -1, INT_MIN and INT_MAX;
 * 6) EBADF for descriptor -1.
 * (LTP's kcmp02. A probe on the real kernel gave the same errnos, and ESRCH ahead of EINVAL
 * when both the pid and the type are bad.)
 */
import {
  defineTest, EBADF, EINVAL, ESRCH, getpid, kcmp, KCMP_FILE, KCMP_TYPES, O_CREAT, O_RDWR, O_TRUNC,
  SAFE_CLOSE, SAFE_OPEN, TEST, TFAIL, TPASS, TTERRNO, tst_get_unused_pid, tst_res, errnoName,
} from "../../../../src/ltp/index.js";

const TEST_FILE = "test_file";
const TEST_FILE2 = "test_file2";
const INT_MIN = -2147483648, INT_MAX = 2147483647;

let fd1 = -1, fd2 = -1, pid1 = 0, pidUnused = 0;
const fdFake = -1;

interface TestCase {
  readonly pid1: () => number;
  readonly pid2: () => number;
  readonly type: number;
  readonly fd1: () => number;
  readonly fd2: () => number;
  readonly expErrno: number;
}

const tcases: readonly TestCase[] = [
  { pid1: () => pid1, pid2: () => pidUnused, type: KCMP_FILE, fd1: () => fd1, fd2: () => fd2, expErrno: ESRCH },
  { pid1: () => pid1, pid2: () => pid1, type: KCMP_TYPES + 1, fd1: () => fd1, fd2: () => fd2, expErrno: EINVAL },
  { pid1: () => pid1, pid2: () => pid1, type: -1, fd1: () => fd1, fd2: () => fd2, expErrno: EINVAL },
  { pid1: () => pid1, pid2: () => pid1, type: INT_MIN, fd1: () => fd1, fd2: () => fd2, expErrno: EINVAL },
  { pid1: () => pid1, pid2: () => pid1, type: INT_MAX, fd1: () => fd1, fd2: () => fd2, expErrno: EINVAL },
  { pid1: () => pid1, pid2: () => pid1, type: KCMP_FILE, fd1: () => fd1, fd2: () => fdFake, expErrno: EBADF },
];

export default defineTest({
  tcnt: tcases.length,
  needs_tmpdir: true,
  async setup() {
    pid1 = await getpid();
    pidUnused = await tst_get_unused_pid();
    fd1 = await SAFE_OPEN(TEST_FILE, O_CREAT | O_RDWR | O_TRUNC, 0o644);
    fd2 = await SAFE_OPEN(TEST_FILE2, O_CREAT | O_RDWR | O_TRUNC, 0o644);
  },
  async cleanup() {
    if (fd1 > 0) await SAFE_CLOSE(fd1);
    if (fd2 > 0) await SAFE_CLOSE(fd2);
  },
  async test(n) {
    const tc = tcases[n]!;
    const { ret, err } = await TEST(kcmp(tc.pid1(), tc.pid2(), tc.type, tc.fd1(), tc.fd2()));
    if (ret !== -1) {
      tst_res(TFAIL, "kcmp() succeeded unexpectedly");
      return;
    }
    if (err === tc.expErrno) {
      tst_res(TPASS | TTERRNO, "kcmp() returned the expected value");
      return;
    }
    tst_res(TFAIL | TTERRNO, `kcmp() got unexpected return value: expected: ${tc.expErrno} - ${errnoName(tc.expErrno)}`);
  },
});
