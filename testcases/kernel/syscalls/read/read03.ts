/*
 * Check that read() sets errno to EAGAIN when reading from a FIFO opened with O_NONBLOCK
 * that nothing was written to.
 * (LTP's read03.)
 */
import {
  defineTest, EAGAIN, getpid, O_NONBLOCK, O_RDONLY, O_WRONLY, read, S_IFIFO, SAFE_CLOSE, SAFE_MALLOC, SAFE_MKNOD,
  SAFE_OPEN, SAFE_STAT, SAFE_UNLINK, TBROK, tst_brk, TST_EXP_FAIL,
} from "../../../../src/ltp/index.js";

let fifo = "";
let rfd = -1, wfd = -1;
/** `int c` */
let c = 0;

export default defineTest({
  needs_tmpdir: true,
  async setup() {
    c = SAFE_MALLOC(4);
    fifo = `fifo.${await getpid()}`;
    await SAFE_MKNOD(fifo, S_IFIFO | 0o777, 0);
    const buf = await SAFE_STAT(fifo);
    if ((buf.st_mode & S_IFIFO) === 0) tst_brk(TBROK, "Mode does not indicate fifo file");
    rfd = await SAFE_OPEN(fifo, O_RDONLY | O_NONBLOCK);
    wfd = await SAFE_OPEN(fifo, O_WRONLY | O_NONBLOCK);
  },
  async cleanup() {
    await SAFE_CLOSE(rfd);
    await SAFE_CLOSE(wfd);
    await SAFE_UNLINK(fifo);
  },
  async test_all() {
    await TST_EXP_FAIL(read(rfd, c, 1), EAGAIN, "read() when nothing is written to a pipe");
  },
});
