/*
 * kcmp() returns 0 when the processes share:
 * 1) the address space (CLONE_VM);
 * 2) the filesystem information (CLONE_FS);
 * 3) the I/O context (CLONE_IO);
 * 4) the System V semaphore undo list (CLONE_SYSVSEM);
 * plus, beyond LTP's kcmp03, 5) the descriptor table (CLONE_FILES) and 6) the signal
 * handlers (CLONE_SIGHAND, which needs CLONE_VM). A probe on the real kernel: each of these
 * clones gives 0 for its type, while a plain fork() child gives non-zero for VM, FILES, FS
 * and SIGHAND (and 0 for IO and SYSVSEM, which neither process has yet).
 * kernel/kcmp.c answers KCMP_SYSVSEM with EOPNOTSUPP when CONFIG_SYSVIPC is off: that case
 * is then TCONF, not a failure.
 */
import {
  CLONE_FILES, CLONE_FS, CLONE_IO, CLONE_SIGHAND, CLONE_SYSVSEM, CLONE_VM, defineTest, getpid,
  kcmp, KCMP_FILES, KCMP_FS, KCMP_IO, KCMP_SIGHAND, KCMP_SYSVSEM, KCMP_VM, ltp_clone, SIGCHLD,
  TCONF, TEST, TERRNO, TFAIL, TPASS, TTERRNO, tst_res, EOPNOTSUPP,
} from "../../../../src/ltp/index.js";

let pid1 = 0;

const tcases: readonly { cloneType: number; kcmpType: number }[] = [
  { cloneType: CLONE_VM, kcmpType: KCMP_VM },
  { cloneType: CLONE_FS, kcmpType: KCMP_FS },
  { cloneType: CLONE_IO, kcmpType: KCMP_IO },
  { cloneType: CLONE_SYSVSEM, kcmpType: KCMP_SYSVSEM },
  { cloneType: CLONE_FILES, kcmpType: KCMP_FILES },
  { cloneType: CLONE_SIGHAND | CLONE_VM, kcmpType: KCMP_SIGHAND },
];

async function doChild(kcmpType: number): Promise<number> {
  const pid2 = await getpid();
  const { ret, err } = await TEST(kcmp(pid1, pid2, kcmpType, 0, 0));
  if (ret === -1 && err === EOPNOTSUPP && kcmpType === KCMP_SYSVSEM) {
    tst_res(TCONF, "kcmp(KCMP_SYSVSEM) needs CONFIG_SYSVIPC, which is not set (kernel/kcmp.c answers EOPNOTSUPP)", "not-configured");
    return 0;
  }
  if (ret === -1) {
    tst_res(TFAIL | TTERRNO, "kcmp() failed unexpectedly");
    return 0;
  }
  if (ret === 0) tst_res(TPASS, "kcmp() returned the expected value");
  else tst_res(TFAIL, "kcmp() returned the unexpected value");
  return 0;
}

export default defineTest({
  tcnt: tcases.length,
  forks_child: true,
  async test(n) {
    const tc = tcases[n]!;
    pid1 = await getpid();
    const res = await ltp_clone(tc.cloneType | SIGCHLD, () => doChild(tc.kcmpType));
    if (res === -1) tst_res(TFAIL | TERRNO, "clone() Failed");
  },
});
