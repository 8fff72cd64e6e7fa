/*
 * Verify that read(2) returns what was asked for: 512 bytes of 'a' are written to a file,
 * then read back from its start, and must come back as they were written.
 * (LTP's read01.)
 */
import {
  defineTest, O_CREAT, O_RDWR, peekBytes, pokeBytes, read, SAFE_CLOSE, SAFE_LSEEK, SAFE_MALLOC, SAFE_OPEN,
  SAFE_WRITE, SEEK_SET, TEST, TFAIL, TPASS, TTERRNO, tst_res,
} from "../../../../src/ltp/index.js";

const SIZE = 512;

let fd = -1;
/** `static char buf[SIZE]` */
let buf = 0;

export default defineTest({
  needs_tmpdir: true,
  async setup() {
    buf = SAFE_MALLOC(SIZE);
    pokeBytes(buf, new Uint8Array(SIZE).fill("a".charCodeAt(0)));
    fd = await SAFE_OPEN("testfile", O_RDWR | O_CREAT, 0o700);
    await SAFE_WRITE(true, fd, buf, SIZE);
  },
  async cleanup() {
    if (fd > 0) await SAFE_CLOSE(fd);
  },
  async test_all() {
    await SAFE_LSEEK(fd, 0, SEEK_SET);
    pokeBytes(buf, new Uint8Array(SIZE));
    const { ret } = await TEST(read(fd, buf, SIZE));
    if (ret === -1) {
      tst_res(TFAIL | TTERRNO, "read(2) failed");
      return;
    }
    if (peekBytes(buf, ret).some((c) => c !== "a".charCodeAt(0))) {
      tst_res(TFAIL, "read(2) returned data that was not written");
      return;
    }
    tst_res(TPASS, `read(2) returned ${ret}`);
  },
});
