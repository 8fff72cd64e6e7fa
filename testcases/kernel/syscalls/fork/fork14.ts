/*
 * fork() must fail cleanly when the parent's address space cannot be copied: a reproducer
 * for 7edc8b0ac16c ("mm/fork: fix overflow in vma length when copying mmap on clone"). 1 GiB
 * anonymous mappings are added one by one, merging into one ever larger area, with a fork()
 * after each. dup_mmap() charges each accountable area against the machine's memory (the
 * emulated machine's RAM and swap, set at boot; LTP's machines are the same with more), so
 * once the area is bigger than that, fork() fails with ENOMEM — and must keep failing, never
 * succeed again as the area grows past 16 TiB (where a 32-bit page count wrapped).
 * (LTP's fork14; a failing fork must say ENOMEM here, too.)
 */
import {
  defineTest, ENOMEM, errno, fork, MAP_ANONYMOUS, MAP_FAILED, MAP_PRIVATE, mmap, PROT_READ, PROT_WRITE, SAFE_FORK, SAFE_MUNMAP,
  SAFE_WAITPID, TCONF, TFAIL, TINFO, TPASS, tst_brk, tst_res, errnoName,
} from "../../../../src/ltp/index.js";

const GB = 1024 * 1024 * 1024;
const LARGE = 16 * 1024;
const EXTENT = 16 * 1024 + 10;

/** The mappings made so far (the parent's bookkeeping; no child touches it). */
let memvec: number[] = [];

export default defineTest({
  forks_child: true,
  async setup() {
    memvec = [];
    // Before a failing fork() means anything, fork() must work at all: SAFE_FORK() ends the
    // test with TCONF where there is none (no MMU).
    await SAFE_WAITPID(await SAFE_FORK(() => 0));
  },
  async cleanup() {
    for (const mem of memvec) if (mem) await SAFE_MUNMAP(mem, GB);
    memvec = [];
  },
  async test_all() {
    let prevFailed = false;
    let passed = true;
    let failures = 0;
    let firstFailure = -1;
    let i: number;
    for (i = 0; i < EXTENT; i++) {
      const mem = await mmap(0, GB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0, 0);
      if (mem === MAP_FAILED) {
        failures++;
        tst_res(TINFO, "mmap() failed");
        if (failures > 10) tst_brk(TCONF, "mmap() fails too many times, so it's almost impossible to get a vm_area_struct sized 16TB");
        continue;
      }
      memvec.push(mem);
      const pid = await fork(() => 0);
      if (pid === -1) {
        if (errno() !== ENOMEM) {
          tst_res(TFAIL, `fork() failed with ${errnoName(errno())}, expected ENOMEM`);
          return;
        }
        if (firstFailure < 0) {
          firstFailure = i;
          tst_res(TINFO, `fork() fails with ENOMEM from ${i + 1} GiB mapped on`);
        }
        // Keep track of the failed fork() and verify that the next one is failing as well.
        prevFailed = true;
        continue;
      }
      await SAFE_WAITPID(pid);
      if (prevFailed && i >= LARGE) {
        passed = false;
        break;
      }
      prevFailed = false;
    }
    if (firstFailure < 0) passed = false;
    if (passed) tst_res(TPASS, "fork() failed as expected");
    else tst_res(TFAIL, "fork() succeeded incorrectly");
  },
});
