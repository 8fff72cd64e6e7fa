/*
 * read(2) errors:
 * 1) EBADF for a descriptor that is not open;
 * 2) EISDIR for a directory;
 * 3) EFAULT for a buffer outside the accessible address space;
 * 4) EINVAL, with O_DIRECT, for a count that is not a multiple of the block size;
 * 5) EINVAL, with O_DIRECT, for a buffer that is not aligned to it.
 * On tmpfs O_DIRECT is not tried (TCONF), as LTP does; there, since Linux 6.6, an unaligned
 * O_DIRECT read goes through the page cache and succeeds, which LTP also accepts. Where the
 * open with O_DIRECT itself fails with EINVAL (ramfs has no direct I/O) the two cases are
 * TCONF as well; LTP's SAFE_OPEN would end the test with TBROK there.
 * (LTP's read02.)
 */
import {
  defineTest, EBADF, EFAULT, EINVAL, EISDIR, errno, MAP_ANONYMOUS, MAP_PRIVATE, O_DIRECT, O_DIRECTORY, O_RDWR, open,
  PROT_NONE, read, SAFE_CLOSE, SAFE_FILE_PRINTF, SAFE_MALLOC, SAFE_MEMALIGN, SAFE_MMAP, SAFE_OPEN, TBROK, TCONF,
  TEST, TERRNO, TFAIL, TINFO, TPASS, tst_brk, tst_fs_type, tst_fs_type_name, tst_res, TST_TMPFS_MAGIC, TTERRNO,
  errnoName, hasMmu,
} from "../../../../src/ltp/index.js";

const BUFSIZ = 8192;

let badfd = -1, fd2 = -1, fd3 = -1, fd4 = -1;
let bufaddr = 0, outsideBuf = -1, addr4 = 0, addr5 = 0;
let fsType = 0;

interface Tcase {
  readonly fd: () => number;
  readonly buf: () => number;
  readonly count: number;
  readonly expError: number;
  /** Uses fd4, the O_DIRECT descriptor. */
  readonly direct?: boolean;
  /** LTP builds the case only with an MMU (#ifndef UCLINUX). */
  readonly mmu?: boolean;
}

const tcases: readonly Tcase[] = [
  { fd: () => badfd, buf: () => bufaddr, count: 1, expError: EBADF },
  { fd: () => fd2, buf: () => bufaddr, count: 1, expError: EISDIR },
  { fd: () => fd3, buf: () => outsideBuf, count: 1, expError: EFAULT, mmu: true },
  { fd: () => fd4, buf: () => addr4, count: 1, expError: EINVAL, direct: true },
  { fd: () => fd4, buf: () => addr5, count: 4096, expError: EINVAL, direct: true },
];

export default defineTest({
  tcnt: tcases.length,
  needs_tmpdir: true,
  async setup() {
    badfd = -1;
    fd4 = -1;
    outsideBuf = -1;
    bufaddr = SAFE_MALLOC(BUFSIZ);
    fd2 = await SAFE_OPEN(".", O_DIRECTORY);
    await SAFE_FILE_PRINTF("test_file", "A");
    fd3 = await SAFE_OPEN("test_file", O_RDWR);
    if (hasMmu()) outsideBuf = await SAFE_MMAP(0, 1, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, 0, 0);
    addr4 = SAFE_MEMALIGN(4096, 4096 * 10);
    addr5 = addr4 + 1;
    fsType = await tst_fs_type(".");
    if (fsType !== TST_TMPFS_MAGIC) {
      fd4 = await open("test_file", O_RDWR | O_DIRECT);
      if (fd4 === -1 && errno() !== EINVAL) tst_brk(TBROK | TERRNO, "open(test_file,O_RDWR|O_DIRECT) failed");
      if (fd4 === -1) tst_res(TINFO | TERRNO, "open(test_file,O_RDWR|O_DIRECT) failed");
    }
  },
  async cleanup() {
    if (fd4 > 0) await SAFE_CLOSE(fd4);
    if (fd3 > 0) await SAFE_CLOSE(fd3);
    if (fd2 > 0) await SAFE_CLOSE(fd2);
  },
  async test(n) {
    const tc = tcases[n]!;
    if (tc.mmu && !hasMmu()) {
      tst_res(TCONF, "no MMU: LTP builds the EFAULT case only with one (#ifndef UCLINUX)", "not-configured");
      return;
    }
    if (tc.direct && fd4 === -1) {
      tst_res(TCONF, `O_DIRECT not supported on ${tst_fs_type_name(fsType)} filesystem`);
      return;
    }
    const { ret, err } = await TEST(read(tc.fd(), tc.buf(), tc.count));
    if (tc.direct && ret >= 0) {
      tst_res(TPASS, "O_DIRECT unaligned reads fallbacks to buffered I/O");
      return;
    }
    if (ret !== -1) {
      tst_res(TFAIL, "read() succeeded unexpectedly");
      return;
    }
    if (err === tc.expError) tst_res(TPASS | TTERRNO, "read() failed as expected");
    else tst_res(TFAIL | TTERRNO, `read() failed unexpectedly, expected ${errnoName(tc.expError)}`);
  },
});
