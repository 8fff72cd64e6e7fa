/*
 * A read() blocked on an empty pipe is interrupted by a signal whose handler was installed
 * with SA_RESTART: the handler runs, the read is restarted transparently (pipe_read()
 * returned -ERESTARTSYS) and returns the byte written afterwards.
 * probe (x86_64): SIGUSR1 at 0.1 s, a byte written at 0.2 s: read() gave 1, the handler ran once.
 */
import {
  defineTest, getpid, read, SA_RESTART, SAFE_MALLOC, SAFE_PIPE, SAFE_SIGACTION, SAFE_WAITPID, SAFE_WRITE, SIGUSR1,
  TFAIL, TPASS, tst_kill_after, tst_res,
} from "../../../../src/ltp/index.js";

let caught = 0;

export default defineTest({
  forks_child: true,
  async setup() {
    caught = 0;
    await SAFE_SIGACTION(SIGUSR1, { handler: () => { caught++; }, flags: SA_RESTART });
  },
  async test_all() {
    const buf = SAFE_MALLOC(8);
    const [rfd, wfd] = await SAFE_PIPE(buf);
    const child = await tst_kill_after(100, await getpid(), SIGUSR1, () => SAFE_WRITE(1, wfd, buf, 1));
    const r = await read(rfd, buf, 1);
    if (r === 1 && caught === 1) tst_res(TPASS, "read() was restarted after the SA_RESTART handler and returned the data");
    else tst_res(TFAIL, `read() returned ${r}, the handler ran ${caught} times`);
    await SAFE_WAITPID(child);
  },
});
