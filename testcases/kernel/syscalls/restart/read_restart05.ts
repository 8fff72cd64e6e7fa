/*
 * A call that has already transferred data when a signal comes returns the count, not EINTR:
 * a write() of 100000 bytes into an empty pipe fills its 64 KiB and blocks; a handled signal
 * then ends it with the 65536 bytes written (pipe_write() returns what it wrote rather than
 * -ERESTARTSYS), and they are all in the pipe.
 * probe (x86_64): write() of 100000 bytes, SIGUSR1 at 0.1 s without SA_RESTART: 65536.
 */
import {
  defineTest, getpid, O_NONBLOCK, read, SAFE_FCNTL, SAFE_MALLOC, SAFE_PIPE, SAFE_SIGACTION, SAFE_WAITPID, SIGUSR1,
  TFAIL, TPASS, TST_EXP_EQ_LI, tst_kill_after, tst_res, write, F_SETFL,
} from "../../../../src/ltp/index.js";

const SIZE = 100000, PIPE_CAPACITY = 65536;

export default defineTest({
  forks_child: true,
  async setup() {
    await SAFE_SIGACTION(SIGUSR1, { handler: () => {}, flags: 0 });
  },
  async test_all() {
    const buf = SAFE_MALLOC(SIZE);
    const [rfd, wfd] = await SAFE_PIPE(buf);
    const child = await tst_kill_after(100, await getpid(), SIGUSR1);
    const written = await write(wfd, buf, SIZE);
    TST_EXP_EQ_LI(written, PIPE_CAPACITY, "write() interrupted after filling the pipe", "PIPE_CAPACITY");
    await SAFE_FCNTL(rfd, F_SETFL, O_NONBLOCK);
    let total = 0, r: number;
    while ((r = await read(rfd, buf, SIZE)) > 0) total += r;
    if (total === written) tst_res(TPASS, `the ${total} bytes written are in the pipe`);
    else tst_res(TFAIL, `${total} bytes in the pipe, write() said ${written}`);
    await SAFE_WAITPID(child);
  },
});
