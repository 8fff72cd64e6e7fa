/*
 * Check that a child has access to a full set of files: the parent opens files until it
 * reaches OPEN_MAX (RLIMIT_NOFILE) or EMFILE; the child, holding the same full table, closes
 * one and must be able to open another in its place.
 * (LTP's fork09.)
 */
import {
  close, defineTest, EMFILE, errno, getpid, open, O_APPEND, O_CREAT, O_WRONLY, RLIMIT_NOFILE, SAFE_CLOSE, SAFE_CREAT,
  SAFE_FORK, SAFE_GETRLIMIT, SAFE_WAIT, TBROK, TFAIL, TINFO, TPASS, tst_brk, tst_res,
} from "../../../../src/ltp/index.js";

/** The descriptors the parent opened, first..nfiles-1. */
let fds: number[] = [];
let first = 0;

/** fopen(name, "a") */
const fopenAppend = (name: string) => open(name, O_WRONLY | O_CREAT | O_APPEND, 0o666);

export default defineTest({
  needs_tmpdir: true,
  forks_child: true,
  async setup() {
    fds = [];
  },
  async cleanup() {
    for (const fd of fds) await close(fd);
    fds = [];
  },
  async test_all() {
    const openMax = Number((await SAFE_GETRLIMIT(RLIMIT_NOFILE)).rlim_cur);
    const mypid = await getpid();
    tst_res(TINFO, `OPEN_MAX is ${openMax}`);
    first = await SAFE_CREAT(`fork09.${mypid}`, 0o660);
    await SAFE_CLOSE(first);
    tst_res(TINFO, `first file descriptor is ${first} `);
    let nfiles: number;
    for (nfiles = first; nfiles < openMax; nfiles++) {
      const fd = await fopenAppend(`file${nfiles}.${mypid}`);
      if (fd === -1) {
        // Did we already reach OPEN_MAX?
        if (errno() === EMFILE) break;
        tst_brk(TBROK, `Parent: cannot open file ${nfiles} file${nfiles}.${mypid} errno = ${errno()}`);
      }
      fds.push(fd);
    }
    tst_res(TINFO, `Parent reporting ${nfiles - 1} files open`);
    const last = nfiles - 1;
    await SAFE_FORK(async () => {
      if ((await close(fds[fds.length - 1]!)) === -1) {
        tst_res(TINFO, `Child could not close file #${last}, errno = ${errno()}`);
        return 1;
      }
      const fd = await fopenAppend(`cfile.${await getpid()}`);
      if (fd === -1) {
        tst_res(TINFO, `Child could not open file cfile.${await getpid()}, errno = ${errno()}`);
        return 1;
      }
      tst_res(TINFO, `Child opened new file #${last}`);
      return 0;
    });
    const { status } = await SAFE_WAIT();
    if (status >> 8 !== 0) tst_res(TFAIL, "test 1 FAILED");
    else tst_res(TPASS, "test 1 PASSED");
  },
});
