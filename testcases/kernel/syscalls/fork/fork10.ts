/*
 * Check inheritance of a file descriptor by children: they all refer to the same open file
 * description. A first child seeks to offset 10; a second child then reads 'K' there; the
 * parent's next read gives 'L'.
 * (LTP's fork10.)
 */
import {
  defineTest, getpid, lseek, peekBytes, pokeBytes, read, SAFE_CLOSE, SAFE_CREAT, SAFE_FORK, SAFE_MALLOC, SAFE_OPEN,
  SAFE_WAIT, SAFE_WRITE, O_RDONLY, TFAIL, TINFO, TPASS, tst_res, write,
} from "../../../../src/ltp/index.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ\n";

let fnamebuf = "";
let fildes = -1;

export default defineTest({
  needs_tmpdir: true,
  forks_child: true,
  async setup() {
    fildes = -1;
    fnamebuf = `fork10.${await getpid()}`;
  },
  async cleanup() {
    if (fildes >= 0) await SAFE_CLOSE(fildes);
    fildes = -1;
  },
  async test_all() {
    const buf = SAFE_MALLOC(ALPHABET.length);
    fildes = await SAFE_CREAT(fnamebuf, 0o600);
    pokeBytes(buf, Buffer.from(ALPHABET));
    await SAFE_WRITE(true, fildes, buf, ALPHABET.length);
    await SAFE_CLOSE(fildes);
    fildes = await SAFE_OPEN(fnamebuf, O_RDONLY);

    await SAFE_FORK(async () => {
      tst_res(TINFO, "fork child A");
      if ((await lseek(fildes, 10, 0)) === -1) {
        tst_res(TFAIL, "bad lseek by child");
        return 1;
      }
      return 0;
    });
    await SAFE_WAIT();

    await SAFE_FORK(async () => {
      if ((await read(fildes, buf, 1)) <= 0) {
        tst_res(TFAIL, "Child can't read file");
        return 1;
      }
      return String.fromCharCode(peekBytes(buf, 1)[0]!) === "K" ? 0 : 1;
    });
    const { status } = await SAFE_WAIT();
    if (status >> 8 !== 0) {
      tst_res(TFAIL, "Bad return from second child");
      return;
    }
    if ((await read(fildes, buf, 1)) <= 0) {
      tst_res(TFAIL, "Parent cannot read file");
      return;
    }
    // LTP writes the byte back through the read-only descriptor; it fails, harmlessly.
    await write(fildes, buf, 1);
    if (String.fromCharCode(peekBytes(buf, 1)[0]!) !== "L") {
      tst_res(TFAIL, "Test failed");
      return;
    }
    tst_res(TPASS, "test 1 PASSED");
  },
});
