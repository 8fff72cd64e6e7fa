/*
 * Verify that fork() returns without error and returns the pid of the child: the child
 * writes its getpid() to a file and exits with 42; the parent reads the status back and
 * compares the pid in the file with what fork() returned.
 * (LTP's fork01.)
 */
import {
  defineTest, exit, getpid, SAFE_CLOSE, SAFE_CREAT, SAFE_FILE_PRINTF, SAFE_FILE_SCANF, SAFE_FORK, SAFE_WAITPID,
  TFAIL, TPASS, TST_EXP_EQ_LI, tst_reap_children, tst_res, WEXITSTATUS, WIFEXITED,
} from "../../../../src/ltp/index.js";

const KIDEXIT = 42;
const FILENAME = "childpid";

let fd = -1;

export default defineTest({
  needs_tmpdir: true,
  forks_child: true,
  async setup() {
    fd = await SAFE_CREAT(FILENAME, 0o700);
    await SAFE_CLOSE(fd);
    fd = -1;
  },
  async cleanup() {
    if (fd > -1) await SAFE_CLOSE(fd);
  },
  async test_all() {
    const pid = await SAFE_FORK(async () => {
      await SAFE_FILE_PRINTF(FILENAME, `${await getpid()}`);
      await exit(KIDEXIT);
    });
    const { pid: termPid, status } = await SAFE_WAITPID(pid);
    if (termPid !== pid) {
      tst_res(TFAIL, `waitpid() returns ${termPid} instead of expected pid ${pid}`);
      return;
    }
    if (!WIFEXITED(status)) {
      tst_res(TFAIL, "child exited abnormally");
      return;
    }
    const ret = WEXITSTATUS(status);
    if (ret !== KIDEXIT) tst_res(TFAIL, `incorrect child status returned ${ret}`);
    else tst_res(TPASS, `correct child status returned ${ret}`);
    const [childPid] = await SAFE_FILE_SCANF(FILENAME, "%d");
    TST_EXP_EQ_LI(childPid as number, pid, "child_pid", "pid");
    await tst_reap_children();
  },
});
