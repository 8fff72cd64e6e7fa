/*
 * Check that all children inherit the parent's file descriptor: the parent opens a file of
 * NFORKS bytes 'a' and forks NFORKS children, each reading one byte through the shared open
 * file description; after them, the parent's read is at the end of the file.
 * (LTP's fork07.)
 */
import {
  defineTest, getpid, O_RDONLY, peekBytes, read, SAFE_CLOSE, SAFE_FORK, SAFE_MALLOC, SAFE_OPEN, SAFE_READ, TFAIL,
  TPASS, tst_fill_file, tst_reap_children, tst_res,
} from "../../../../src/ltp/index.js";

const NFORKS = 100;
const TESTFILE = "testfile_fork07";

let fd = -1;
/** `static char buf`: in the process's memory, so each child reads into its own copy. */
let buf = 0;

export default defineTest({
  forks_child: true,
  needs_tmpdir: true,
  async setup() {
    fd = -1;
    buf = SAFE_MALLOC(1);
    await tst_fill_file(TESTFILE, "a", NFORKS, 1);
  },
  async cleanup() {
    if (fd > 0) await SAFE_CLOSE(fd);
  },
  async test_all() {
    fd = await SAFE_OPEN(TESTFILE, O_RDONLY);
    for (let i = 0; i < NFORKS; ++i) {
      await SAFE_FORK(async () => {
        await SAFE_READ(true, fd, buf, 1);
        const c = String.fromCharCode(peekBytes(buf, 1)[0]!);
        if (c !== "a") tst_res(TFAIL, `${String(await getpid()).padStart(6)}: read '${c}' instead of 'a'`);
      });
    }
    await tst_reap_children();
    const ret = await read(fd, buf, 1);
    if (ret === 0) tst_res(TPASS, "read the end of file correctly");
    else tst_res(TFAIL, `read() returns ${ret}, expected 0`);
    await SAFE_CLOSE(fd);
    fd = -1;
  },
});
