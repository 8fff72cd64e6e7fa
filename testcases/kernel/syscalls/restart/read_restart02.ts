/*
 * A read() blocked on an empty pipe is interrupted by a signal whose handler was installed
 * without SA_RESTART: it fails with EINTR once the handler has run, and the byte written
 * later is still there for the next read.
 * probe (x86_64): SIGUSR1 at 0.1 s without SA_RESTART: read() gave -1 EINTR, the handler ran once.
 */
import {
  defineTest, EINTR, getpid, read, SAFE_MALLOC, SAFE_PIPE, SAFE_READ, SAFE_SIGACTION, SAFE_WAITPID, SAFE_WRITE,
  SIGUSR1, TFAIL, TPASS, TST_EXP_FAIL, tst_kill_after, tst_res,
} from "../../../../src/ltp/index.js";

let caught = 0;

export default defineTest({
  forks_child: true,
  async setup() {
    caught = 0;
    await SAFE_SIGACTION(SIGUSR1, { handler: () => { caught++; }, flags: 0 });
  },
  async test_all() {
    const buf = SAFE_MALLOC(8);
    const [rfd, wfd] = await SAFE_PIPE(buf);
    const child = await tst_kill_after(100, await getpid(), SIGUSR1, () => SAFE_WRITE(1, wfd, buf, 1));
    await TST_EXP_FAIL(read(rfd, buf, 1), EINTR, "read() interrupted by a handler without SA_RESTART");
    if (caught === 1) tst_res(TPASS, "the handler ran once");
    else tst_res(TFAIL, `the handler ran ${caught} times`);
    await SAFE_READ(1, rfd, buf, 1);
    tst_res(TPASS, "the data written after the signal was read by the next read()");
    await SAFE_WAITPID(child);
  },
});
