/*
 * Check that read() returns the number of bytes read: a file holding the 26 letters is read
 * with a larger count, which must give 26 and the letters as written.
 * (LTP's read04.)
 */
import {
  defineTest, O_RDONLY, peekBytes, pokeBytes, read, SAFE_CLOSE, SAFE_CREAT, SAFE_MALLOC, SAFE_OPEN, SAFE_WRITE,
  TEST, TFAIL, TPASS, tst_res,
} from "../../../../src/ltp/index.js";

const fname = "test_file";
const palfa = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const PALFA_LEN = palfa.length;
const BUFSIZ = 8192;

export default defineTest({
  needs_tmpdir: true,
  async setup() {
    const fd = await SAFE_CREAT(fname, 0o777);
    const buf = SAFE_MALLOC(PALFA_LEN);
    pokeBytes(buf, Buffer.from(palfa, "latin1"));
    await SAFE_WRITE(true, fd, buf, PALFA_LEN);
    await SAFE_CLOSE(fd);
  },
  async test_all() {
    const prbuf = SAFE_MALLOC(BUFSIZ);
    const fd = await SAFE_OPEN(fname, O_RDONLY);
    const { ret } = await TEST(read(fd, prbuf, BUFSIZ));
    if (ret !== PALFA_LEN) {
      tst_res(TFAIL, `Bad read count - got ${ret} - expected ${PALFA_LEN}`);
    } else if (Buffer.from(peekBytes(prbuf, PALFA_LEN)).toString("latin1") !== palfa) {
      tst_res(TFAIL, "read buffer not equal to write buffer");
    } else {
      tst_res(TPASS, "read() data correctly");
    }
    await SAFE_CLOSE(fd);
  },
});
