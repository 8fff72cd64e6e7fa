/*
 * Check that the parent's file descriptors are not affected by being closed in the child:
 * one child closes the shared descriptor, a second still reads the file's only byte through
 * it, and the parent's next read is at the end of the file.
 * (LTP's fork08.)
 */
import {
  defineTest, getpid, O_RDONLY, peekBytes, read, SAFE_CLOSE, SAFE_FORK, SAFE_MALLOC, SAFE_OPEN, SAFE_READ, TERRNO,
  TFAIL, TPASS, tst_fill_file, tst_reap_children, tst_res,
} from "../../../../src/ltp/index.js";

const TESTFILE = "testfile_fork08";

let fd = -1;
let buf = 0;

export default defineTest({
  forks_child: true,
  needs_tmpdir: true,
  async setup() {
    fd = -1;
    buf = SAFE_MALLOC(1);
    await tst_fill_file(TESTFILE, "a", 1, 1);
  },
  async cleanup() {
    if (fd > 0) await SAFE_CLOSE(fd);
  },
  async test_all() {
    fd = await SAFE_OPEN(TESTFILE, O_RDONLY);
    await SAFE_FORK(() => SAFE_CLOSE(fd));
    await SAFE_FORK(async () => {
      await SAFE_READ(true, fd, buf, 1);
      const c = String.fromCharCode(peekBytes(buf, 1)[0]!);
      if (c !== "a") tst_res(TFAIL, `${String(await getpid()).padStart(6)}: read '${c}' instead of 'a'`);
      await SAFE_CLOSE(fd);
    });
    await tst_reap_children();
    const ret = await read(fd, buf, 1);
    if (ret === 0) tst_res(TPASS, "read the end of file correctly");
    else tst_res(TFAIL | TERRNO, `read() returns ${ret}, expected 0`);
    await SAFE_CLOSE(fd);
    fd = -1;
  },
});
