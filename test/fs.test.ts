/**
 * Files and pipes of the emulated kernel: pipes (capacity, atomicity, blocking, EOF, EPIPE and
 * SIGPIPE, packet mode, pipe sizes), FIFOs and mknod, unlink and rmdir, the stat family in each
 * arch's struct stat, statfs, pread/pwrite/readv/writev and their errors, O_DIRECT, and the
 * determinism of the scheduler's interleavings through a pipe.
 *
 * Code runs as emulated processes through the test API (the way testcases run); sys() gives
 * the kernel's -errno. Expected values are Linux's: where a detail was in doubt a C probe ran on
 * the development machine (6.18, x86_64, tmpfs on /dev/shm, root without CAP_SYS_RESOURCE) and
 * its output is quoted as "probe:".
 *
 * Imports are from ../dist (the runner's module instances), never from ../src.
 */
import t from "tap";
import { loadConfig } from "../dist/src/runner/configs.js";
import { link } from "../dist/src/linux/kbuild/link.js";
import { EmulatedTarget } from "../dist/src/targets/emulated.js";
import { defineTest, runTest } from "../dist/src/ltp/lib/tst_test.js";
import { commitCreds, userCred } from "../dist/src/linux/kernel/cred.js";
import * as ltp from "../dist/src/ltp/index.js";

/* ---- ABI constants, written out from the uapi headers (not imported from the code under test) ---- */

const EPERM = 1, ENOENT = 2, EBADF = 9, EAGAIN = 11, EFAULT = 14, EBUSY = 16, EEXIST = 17, ENOTDIR = 20,
  EISDIR = 21, EINVAL = 22, ESPIPE = 29, EPIPE = 32, ENOTEMPTY = 39, ENOPKG = 65, ENXIO = 6;
const O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0o100, O_EXCL = 0o200, O_TRUNC = 0o1000,
  O_NONBLOCK = 0o4000, O_DIRECT = 0o40000, O_LARGEFILE = 0o100000, O_DIRECTORY = 0o200000, O_NOATIME = 0o1000000,
  O_CLOEXEC = 0o2000000, O_APPEND = 0o2000;
const F_GETFD = 1, F_GETFL = 3, F_SETFL = 4, F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;
const S_IFIFO = 0o10000, S_IFCHR = 0o20000, S_IFDIR = 0o40000, S_IFREG = 0o100000, S_IFSOCK = 0o140000;
const AT_FDCWD = -100, AT_REMOVEDIR = 0x200, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
const SIGPIPE = 13, SIG_IGN = 1, SIG_BLOCK = 0;
const __WALL = 0x40000000;
const TMPFS_MAGIC = 0x01021994, RAMFS_MAGIC = 0x858458f6, PIPEFS_MAGIC = 0x50495045;
const PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
const PAGE = 4096;

/* ---- harness ---- */

const linkedCache = new Map<string, any>();
function linked(spec: string): any {
  let l = linkedCache.get(spec);
  if (!l) linkedCache.set(spec, (l = link(loadConfig(spec))));
  return l;
}

/** Runs `body` as a testcase's test_all on a fresh kernel; what it reported, the target, the machine's exit. */
async function run(config: string, body: (target: any) => Promise<void>, seed = 1) {
  const target = new EmulatedTarget(linked(config), seed);
  const test = defineTest({
    needs_tmpdir: true, forks_child: true,
    async test_all() {
      await body(target);
      ltp.tst_res(ltp.TPASS, "body done");
    },
  });
  const outcome: any = await runTest(test, target, { tid: "fs01", seed });
  const messages: string[] = outcome.lines.map((l: any) => `${l.type} ${l.message}`);
  return { outcome, target, messages };
}

/** run() that expects the body to run to its end, nothing broken and no kernel oops. */
async function clean(t: any, config: string, body: (target: any) => Promise<void>, seed = 1) {
  const r = await run(config, body, seed);
  t.ok(r.messages.includes("0 body done"), `${config}: the body ran to its end`);
  t.equal(r.outcome.counts.broken, 0, `${config}: nothing broke (${r.messages.filter((m) => m.startsWith("2 ")).join("; ")})`);
  t.same(r.target.faults(), [], `${config}: no oops`);
  return r;
}

/** A raw syscall by name, with register words (a bigint past 2^53): the value, or -errno. */
async function sys(name: string, ...args: (number | bigint)[]): Promise<number | bigint> {
  const r = await ltp.syscall(name, ...args);
  return r === -1 ? -ltp.errno() : r;
}

const path = (s: string) => ltp.strdup(s);

/** pipe2(flags): [read end, write end], or the -errno. */
async function pipe(flags = 0): Promise<[number, number]> {
  const fds = ltp.malloc(8);
  const r = await sys("pipe2", fds, flags);
  if (r < 0) throw new Error(`pipe2 failed: ${r}`);
  return [ltp.peekInt(fds), ltp.peekInt(fds + 4)];
}

const buffer = (len: number, fill = 0) => {
  const b = ltp.malloc(len);
  ltp.pokeBytes(b, new Uint8Array(len).fill(fill));
  return b;
};

/** rt_sigaction(sig, {SIG_IGN}) through the raw call: handler, flags, (restorer on x86_64), mask. */
async function ignore(sig: number, target: any): Promise<number> {
  const size = target.arch === "x86_64" ? 32 : 24;
  const act = ltp.malloc(size);
  const b = new Uint8Array(size);
  new DataView(b.buffer).setBigUint64(0, BigInt(SIG_IGN), true);
  ltp.pokeBytes(act, b);
  return sys("rt_sigaction", sig, act, 0, 8);
}

const fork = (body: () => unknown) => ltp.SAFE_FORK(body as any);

async function statusOf(pid: number): Promise<number> {
  const { pid: got, status } = await ltp.waitpid(pid, __WALL);
  if (got !== pid) throw new Error(`waitpid(${pid}) gave ${got} errno ${ltp.errno()}`);
  return status;
}

/** Lets other tasks run until `pid` sleeps in the kernel (TASK_INTERRUPTIBLE: "S"). */
async function untilAsleep(target: any, pid: number): Promise<boolean> {
  for (let i = 0; i < 100_000; i++) {
    if (target.kernel.pids.find(pid)?.state === "S") return true;
    await ltp.getpid();
  }
  return false;
}

/** The raw struct stat bytes newfstatat() stores, into a buffer prefilled with 0xff. */
async function rawStat(name: string, len = 160): Promise<Uint8Array> {
  const buf = buffer(len, 0xff);
  const r = await sys("newfstatat", AT_FDCWD, path(name), buf, 0);
  if (r) throw new Error(`newfstatat(${name}): ${r}`);
  return ltp.peekBytes(buf, len);
}

/** A file "s" of 5000 bytes, mode 0640: its descriptor and the raw struct stat newfstatat() gave. */
async function statOf5000(): Promise<{ fd: number; b: Uint8Array; v: DataView }> {
  const fd = await ltp.SAFE_OPEN("s", O_CREAT | O_RDWR, 0o640);
  await sys("write", fd, buffer(5000, 1), 5000);
  const b = await rawStat("s");
  return { fd, b, v: new DataView(b.buffer) };
}

/* ---- pipes ---- */

t.test("pipe and pipe2: flags, ends, errors", async (t) => {
  await clean(t, "defconfig", async () => {
    const [r, w] = await pipe();
    // probe: pipe(): fds 3 and 4; F_GETFL 0 and 1
    t.same([await sys("fcntl", r, F_GETFL), await sys("fcntl", w, F_GETFL)], [O_RDONLY, O_WRONLY], "F_GETFL of pipe()'s ends: 0 and 1 (no O_LARGEFILE)");
    const [r2, w2] = await pipe(O_NONBLOCK | O_CLOEXEC | O_DIRECT);
    // probe: pipe2(O_NONBLOCK|O_CLOEXEC|O_DIRECT): F_GETFL 2048 and 18433, F_GETFD 1
    t.same([await sys("fcntl", r2, F_GETFL), await sys("fcntl", w2, F_GETFL), await sys("fcntl", r2, F_GETFD)],
      [0x800, 0x4801, 1], "O_DIRECT only on the write end, O_NONBLOCK on both, close-on-exec");
    const fds = ltp.malloc(8);
    // probe: O_RDWR, O_APPEND, O_NOATIME, O_LARGEFILE (0100000), 1 << 31: EINVAL; O_EXCL: ENOPKG
    for (const f of [O_RDWR, O_APPEND, O_NOATIME, O_LARGEFILE, 2 ** 31]) t.equal(await sys("pipe2", fds, f), -EINVAL, `pipe2 flag ${f.toString(8)}: EINVAL`);
    t.equal(await sys("pipe2", fds, O_EXCL), -ENOPKG, "O_NOTIFICATION_PIPE without CONFIG_WATCH_QUEUE: ENOPKG");
    // probe: pipe2(8, 0): EFAULT; pipe2(8, 0xff0000): EINVAL; pipe2(NULL, O_EXCL): ENOPKG
    t.equal(await sys("pipe2", 8, 0), -EFAULT, "a bad array: EFAULT");
    t.equal(await sys("pipe2", 8, 0xff0000), -EINVAL, "bad flags before the array");
    t.equal(await sys("pipe2", 0, O_EXCL), -ENOPKG, "ENOPKG before the array");
    const lowest = await sys("dup", 0);
    t.equal(lowest, Math.max(r, w, r2, w2) + 1, "the failed pipe2 left no descriptor behind");
    t.equal(await sys("pipe", fds), 0, "x86_64's pipe()");
    t.same([ltp.peekInt(fds), ltp.peekInt(fds + 4)], [lowest + 1, lowest + 2], "the two lowest free descriptors, read end first");
  });
  await clean(t, "riscv64", async () => {
    t.equal(ltp.syscall("pipe", 0), -1, "riscv64 has no pipe syscall");
    const [r, w] = await ltp.SAFE_PIPE(ltp.malloc(8));
    t.ok(r >= 0 && w === r + 1, "SAFE_PIPE() uses pipe2() there");
  });
});

t.test("pipe reads: short reads, EOF, O_NONBLOCK, bad buffers, lseek and pread", async (t) => {
  await clean(t, "defconfig", async () => {
    const [r, w] = await pipe();
    const buf = buffer(200);
    ltp.pokeString(buf, "hello");
    // probe: write 5, read(100): 5; read(0): 0; F_SETFL O_NONBLOCK then read: EAGAIN; F_GETFL 2048
    t.equal(await sys("write", w, buf, 5), 5);
    t.equal(await sys("read", r, buf + 100, 100), 5, "a short read returns what is there");
    t.equal(ltp.peekString(buf + 100).slice(0, 5), "hello", "the bytes");
    t.equal(await sys("read", r, buf, 0), 0, "a read of 0 returns at once");
    t.equal(await sys("fcntl", r, F_SETFL, O_NONBLOCK), 0);
    t.equal(await sys("read", r, buf, 10), -EAGAIN, "O_NONBLOCK set with F_SETFL: EAGAIN on an empty pipe");
    t.equal(await sys("fcntl", r, F_GETFL), 0x800);
    // probe: lseek SEEK_CUR: ESPIPE; whence 99: EINVAL; pread at 0 or of 0 bytes: ESPIPE; at -1: EINVAL;
    // pread(999, .., -1): EINVAL; pread(999, .., 0): EBADF; pread of the write end: ESPIPE
    t.equal(await sys("lseek", r, 0, SEEK_CUR), -ESPIPE, "lseek: ESPIPE");
    t.equal(await sys("lseek", r, 0, 99), -EINVAL, "a bad whence before ESPIPE");
    t.equal(await sys("pread64", r, buf, 1, 0), -ESPIPE, "pread: ESPIPE");
    t.equal(await sys("pread64", r, buf, 0, 0), -ESPIPE, "pread of 0 bytes: ESPIPE too");
    t.equal(await sys("pread64", r, buf, 1, -1), -EINVAL, "a negative offset: EINVAL first");
    t.equal(await sys("pwrite64", w, buf, 1, 0), -ESPIPE, "pwrite: ESPIPE");
    t.equal(await sys("pread64", 999, buf, 1, -1), -EINVAL, "the offset before the descriptor");
    t.equal(await sys("pread64", 999, buf, 1, 0), -EBADF);
    t.equal(await sys("pread64", w, buf, 1, 0), -ESPIPE, "ESPIPE before the mode check");
    // probe: read of the write end, write to the read end: EBADF; read into (void *)-1: EFAULT;
    // into NULL on an empty nonblocking pipe: EAGAIN
    t.equal(await sys("read", w, buf, 1), -EBADF);
    t.equal(await sys("write", r, buf, 1), -EBADF);
    t.equal(await sys("read", r, -1, 1), -EFAULT, "access_ok() first");
    t.equal(await sys("read", r, 0, 1), -EAGAIN, "NULL passes access_ok(): nothing was there to copy");
    // probe: write from (void *)8: EFAULT; nothing readable after it
    t.equal(await sys("write", w, 8, 10), -EFAULT, "a write from a bad buffer");
    t.equal(await sys("read", r, buf, 100), -EAGAIN, "...left nothing in the pipe");
    await ltp.SAFE_CLOSE(w);
    t.equal(await sys("read", r, buf, 10), 0, "no writer left: EOF (0), even with O_NONBLOCK");
  });
});

t.test("read and write lengths up to 2^64: access_ok() refuses every one past TASK_SIZE, MAX_RW_COUNT clamps the rest", async (t) => {
  // A length of -(2 ** 70) once reached IovIter.copyFrom as a number (RangeError: Invalid typed
  // array length) and read() returned -1.16e21; words are exact now, and these are its real
  // equivalents. probe: write and read of ~0UL, 1UL << 63, (1UL << 53) + 1 and 1UL << 47 from
  // a malloc'd buffer, on a tmpfs file and an O_NONBLOCK pipe: -1 EFAULT each; MAX_RW_COUNT + 1
  // (0x7ffff001): 134496 written to the file and read back (the mapping's end), 0 to the pipe.
  for (const config of ["defconfig", "riscv64"]) {
    await clean(t, config, async () => {
      const [r, w] = await pipe(O_NONBLOCK);
      const fd = await ltp.SAFE_OPEN("lengths", O_CREAT | O_RDWR, 0o600);
      const buf = buffer(65536);
      for (const len of [0xffffffffffffffffn, 2n ** 63n, 2n ** 53n + 1n, 2 ** 47]) {
        t.same(
          [await sys("write", fd, buf, len), await sys("write", w, buf, len), await sys("read", fd, buf, len), await sys("read", r, buf, len)],
          [-EFAULT, -EFAULT, -EFAULT, -EFAULT], `${config}: length ${len}: EFAULT for file and pipe, read and write`);
      }
      const big = 0x7ffff001;
      const written = await sys("write", fd, buf, big);
      t.ok(typeof written === "number" && written > 0 && written < big, `${config}: MAX_RW_COUNT + 1 is a short write up to the buffer's mapping (${written})`);
      await sys("lseek", fd, 0, 0);
      t.equal(await sys("read", fd, buf, big), written, `${config}: ...read back whole`);
    });
  }
});

t.test("pipe capacity: pages, merging, PIPE_BUF atomicity, packets, pipe sizes", async (t) => {
  await clean(t, "defconfig", async (target) => {
    const big = buffer(200000, 0x61);
    let [r, w] = await pipe(O_NONBLOCK);
    // probe: F_GETPIPE_SZ 65536; write(70000): 65536; then 1: EAGAIN; 0: 0
    t.equal(await sys("fcntl", r, F_GETPIPE_SZ), 65536, "16 pages");
    t.equal(await sys("write", w, big, 70000), 65536, "a nonblocking write of 70000 takes 65536");
    t.equal(await sys("write", w, big, 1), -EAGAIN, "then nothing fits");
    t.equal(await sys("write", w, big, 0), 0, "a write of 0 is 0");
    [r, w] = await pipe(O_NONBLOCK);
    // probe: 1 then 65536: 61440; then 4095, 4096, 1, 4097: EAGAIN
    t.equal(await sys("write", w, big, 1), 1);
    t.equal(await sys("write", w, big, 65536), 61440, "after 1 byte only 15 pages are left");
    for (const n of [4095, 4096, 1, 4097]) t.equal(await sys("write", w, big, n), -EAGAIN, `${n} more: EAGAIN (no partial write of at most PIPE_BUF, no room to merge)`);
    [r, w] = await pipe(O_NONBLOCK);
    // probe: 100, 4000, 14 pages: 100, 4000, 57344; 4096, 4000, 5000, 10000: EAGAIN; read 1;
    // write 1: EAGAIN; read 99; write 100: 100; write 5000: 904
    t.equal(await sys("write", w, big, 100), 100);
    t.equal(await sys("write", w, big, 4000), 4000, "4000 does not fit after 100 in one page: a second buffer");
    t.equal(await sys("write", w, big, 14 * PAGE), 14 * PAGE, "14 pages fill the other 14 buffers");
    for (const n of [4096, 4000, 5000, 10000]) t.equal(await sys("write", w, big, n), -EAGAIN, `${n}: EAGAIN`);
    t.equal(await sys("read", r, big, 1), 1);
    t.equal(await sys("write", w, big, 1), -EAGAIN, "a byte read from the first buffer frees no slot");
    t.equal(await sys("read", r, big, 99), 99, "the rest of the first buffer");
    t.equal(await sys("write", w, big, 100), 100, "a free slot");
    t.equal(await sys("write", w, big, 5000), 904, "5000 & 4095 = 904 merged into the last buffer, then full");

    // Packet mode: probe: "abcdef", "gh" read with 3 and 100: 3 and 2; 5000 read with 10000: 4096, 904
    [r, w] = await pipe(O_DIRECT | O_NONBLOCK);
    const s = buffer(16);
    ltp.pokeString(s, "abcdefgh");
    t.equal(await sys("write", w, s, 6), 6);
    t.equal(await sys("write", w, s + 6, 2), 2);
    t.equal(await sys("read", r, big, 3), 3, "a packet read short...");
    t.equal(await sys("read", r, big, 100), 2, "...loses its rest: the next read is the next packet");
    t.equal(ltp.peekString(big).slice(0, 2), "gh");
    t.equal(await sys("write", w, big + 10, 5000), 5000);
    t.equal(await sys("read", r, big, 10000), 4096, "a write of 5000 is two packets");
    t.equal(await sys("read", r, big, 10000), 904);

    // probe: F_SETFL O_DIRECT on a pipe's read end: 0, F_GETFL 16384; on the write end with O_NONBLOCK: 18433
    t.equal(await sys("fcntl", r, F_SETFL, O_DIRECT), 0, "O_DIRECT can be set on a pipe");
    t.equal(await sys("fcntl", r, F_GETFL), O_DIRECT);

    // F_SETPIPE_SZ. probe: 0: 4096; 4097: 8192; 9000 bytes then: 8192 fit; 4096: EBUSY; 8192: 8192;
    // 1 << 20: 1048576; (1U << 31) + 1 and -1: EINVAL; on a regular file: EBADF
    [r, w] = await pipe(O_NONBLOCK);
    t.equal(await sys("fcntl", r, F_SETPIPE_SZ, 0), 4096, "at least a page");
    t.equal(await sys("fcntl", w, F_SETPIPE_SZ, 4097), 8192, "a power of two pages");
    t.equal(await sys("write", w, big, 9000), 8192, "the new capacity");
    t.equal(await sys("fcntl", r, F_SETPIPE_SZ, 4096), -EBUSY, "not below what it holds");
    t.equal(await sys("fcntl", r, F_SETPIPE_SZ, 8192), 8192);
    t.equal(await sys("fcntl", r, F_SETPIPE_SZ, 1 << 20), 1 << 20, "up to fs.pipe-max-size");
    t.equal(await sys("fcntl", r, F_SETPIPE_SZ, 2 ** 31 + 1), -EINVAL);
    t.equal(await sys("fcntl", r, F_SETPIPE_SZ, -1), -EINVAL);
    t.equal(await sys("fcntl", r, F_SETPIPE_SZ, 1 << 21), 1 << 21, "beyond it with CAP_SYS_RESOURCE (init has every capability)");
    const fd = await ltp.SAFE_OPEN("regular", O_CREAT | O_RDWR, 0o600);
    t.equal(await sys("fcntl", fd, F_GETPIPE_SZ), -EBADF, "not a pipe: EBADF");
    t.equal(await sys("fcntl", fd, F_SETPIPE_SZ, 4096), -EBADF);
    // probe (a root without CAP_SYS_RESOURCE): F_SETPIPE_SZ 1 << 21 and 3 << 20: EPERM
    t.equal(await statusOf(await fork(async () => {
      commitCreds(target.kernel.sched.current, userCred(1000));
      return (await sys("fcntl", r, F_SETPIPE_SZ, 1 << 22)) === -EPERM ? 0 : 1;
    })), 0, "without CAP_SYS_RESOURCE: EPERM past fs.pipe-max-size");
  });
});

t.test("a writer blocks on a full pipe until a reader makes room; PIPE_BUF writes stay whole", async (t) => {
  await clean(t, "defconfig", async (target) => {
    const big = buffer(200000, 0x62);
    const [r, w] = await pipe();
    let wrote = 0;
    const pid = await fork(async () => {
      await ltp.SAFE_CLOSE(r);
      wrote = await sys("write", w, big, 70000);
      return 0;
    });
    await ltp.SAFE_CLOSE(w);
    t.ok(await untilAsleep(target, pid), "the writer sleeps with the pipe full");
    t.equal(target.kernel.pids.find(pid).waitChannel, "pipe_write", "in pipe_write");
    // probe: the child blocked in write(70000): read(100000) 65536, later 4464, then 0; the child's write 70000
    t.equal(await sys("read", r, big, 100000), 65536, "exactly 65536 bytes were in before it blocked");
    t.equal(await statusOf(pid), 0, "the writer finished");
    t.equal(wrote, 70000, "its write returned the whole count");
    t.equal(await sys("read", r, big, 100000), 4464, "the rest");
    t.equal(await sys("read", r, big, 100000), 0, "then EOF");

    // Two writers of 4096-byte blocks (PIPE_BUF) and a reader: every block arrives whole.
    const [r2, w2] = await pipe();
    for (const c of [0x41, 0x42]) {
      await fork(async () => {
        await ltp.SAFE_CLOSE(r2);
        const blk = buffer(PAGE, c);
        for (let i = 0; i < 40; i++) if ((await sys("write", w2, blk, PAGE)) !== PAGE) return 1;
        return 0;
      });
    }
    await ltp.SAFE_CLOSE(w2);
    const got: number[] = [];
    for (let n; (n = await sys("read", r2, big, 3 * PAGE)) > 0; ) got.push(...ltp.peekBytes(big, n));
    t.equal(got.length, 80 * PAGE, "all 80 blocks");
    let whole = true;
    for (let i = 0; i < got.length; i += PAGE) if (got.slice(i, i + PAGE).some((b) => b !== got[i])) whole = false;
    t.ok(whole, "no block is mixed with another writer's bytes");
    await ltp.tst_reap_children();
  });
});

t.test("EPIPE and SIGPIPE", async (t) => {
  await clean(t, "defconfig", async (target) => {
    const buf = buffer(16);
    // probe: default SIGPIPE: the child's wait status 0xd
    const pid = await fork(async () => {
      const [r, w] = await pipe();
      await ltp.SAFE_CLOSE(r);
      await sys("write", w, buf, 1);
      return 7;
    });
    t.equal(await statusOf(pid), SIGPIPE, "killed by SIGPIPE (wait status 0xd)");
    // probe: SIGPIPE ignored: EPIPE, and a write of 0: 0
    t.equal(await statusOf(await fork(async () => {
      if ((await ignore(SIGPIPE, target)) !== 0) return 2;
      const [r, w] = await pipe();
      await ltp.SAFE_CLOSE(r);
      if ((await sys("write", w, buf, 10)) !== -EPIPE) return 3;
      return (await sys("write", w, buf, 0)) === 0 ? 0 : 4;
    })), 0, "ignored: the write fails with EPIPE and the process lives; a write of 0 is 0");
    // probe: SIGPIPE blocked: EPIPE and SIGPIPE pending
    t.equal(await statusOf(await fork(async () => {
      const set = buffer(8);
      ltp.pokeBytes(set, new Uint8Array([0, 0x10, 0, 0, 0, 0, 0, 0]));
      await sys("rt_sigprocmask", SIG_BLOCK, set, 0, 8);
      const [r, w] = await pipe();
      await ltp.SAFE_CLOSE(r);
      if ((await sys("write", w, buf, 1)) !== -EPIPE) return 3;
      const pending = buffer(8);
      await sys("rt_sigpending", pending, 8);
      return ltp.peekBytes(pending, 8)[1] === 0x10 ? 0 : 4;
    })), 0, "blocked: EPIPE, SIGPIPE pending for the thread");
    // The last reader leaving wakes a blocked writer, which then gets SIGPIPE.
    const [r, w] = await pipe();
    const big = buffer(70000);
    const writer = await fork(async () => {
      await ltp.SAFE_CLOSE(r);
      await sys("write", w, big, 70000);
      return 0;
    });
    await ltp.SAFE_CLOSE(w);
    t.ok(await untilAsleep(target, writer), "the writer blocks");
    await ltp.SAFE_CLOSE(r);
    t.equal(await statusOf(writer), SIGPIPE, "closing the last read end woke it into SIGPIPE");
  });
});

t.test("FIFOs: mknod, open semantics, a shared pipe per inode", async (t) => {
  await clean(t, "defconfig", async (target) => {
    const buf = buffer(64);
    // probe (umask 022): mknod(S_IFIFO|0666): st_mode 010644, st_size 0, st_blksize 4096, st_blocks 0, st_rdev 0
    t.equal(await sys("mknodat", AT_FDCWD, path("f1"), S_IFIFO | 0o666, 0x103), 0);
    let st = await ltp.SAFE_STAT("f1");
    t.same([st.st_mode, st.st_nlink, st.st_size, st.st_blksize, st.st_blocks, st.st_rdev], [S_IFIFO | 0o644, 1, 0, 4096, 0, 0],
      "a FIFO's stat: the umask applied, no device number");
    // probe: O_WRONLY|O_NONBLOCK without a reader: ENXIO; O_RDONLY|O_NONBLOCK: F_GETFL 34816, read EAGAIN
    t.equal(await sys("openat", AT_FDCWD, path("f1"), O_WRONLY | O_NONBLOCK), -ENXIO, "no reader: ENXIO");
    const r = await ltp.SAFE_OPEN("f1", O_RDONLY | O_NONBLOCK);
    t.equal(await sys("fcntl", r, F_GETFL), 0x8800, "O_RDONLY|O_NONBLOCK|O_LARGEFILE");
    const w = await ltp.SAFE_OPEN("f1", O_WRONLY | O_NONBLOCK);
    t.equal(await sys("fcntl", w, F_GETFL), 0x8801);
    t.equal(await sys("read", r, buf, 10), -EAGAIN, "empty, a writer open: EAGAIN");
    ltp.pokeString(buf, "abc");
    t.equal(await sys("write", w, buf, 3), 3);
    t.equal(await sys("read", r, buf + 10, 10), 3, "through the shared pipe");
    await ltp.SAFE_CLOSE(w);
    t.equal(await sys("read", r, buf, 10), 0, "the writer gone: EOF");
    // probe: O_RDWR: F_GETFL 32770; lseek, pread: ESPIPE
    const rw = await ltp.SAFE_OPEN("f1", O_RDWR);
    t.equal(await sys("fcntl", rw, F_GETFL), 0x8002);
    t.equal(await sys("lseek", rw, 0, SEEK_SET), -ESPIPE);
    t.equal(await sys("pread64", rw, buf, 1, 0), -ESPIPE);
    t.equal(await sys("write", rw, buf, 2), 2);
    t.equal(await sys("read", r, buf, 10), 2, "another open of the same FIFO reads it");
    // probe: O_DIRECT: EINVAL (O_RDWR and O_RDONLY|O_NONBLOCK); O_TRUNC: opens; O_CREAT: opens;
    // O_CREAT|O_EXCL: EEXIST; O_DIRECTORY and "f1/": ENOTDIR
    t.equal(await sys("openat", AT_FDCWD, path("f1"), O_RDWR | O_DIRECT), -EINVAL, "O_DIRECT: EINVAL");
    t.equal(await sys("openat", AT_FDCWD, path("f1"), O_RDONLY | O_NONBLOCK | O_DIRECT), -EINVAL);
    const t1 = await sys("openat", AT_FDCWD, path("f1"), O_RDWR | O_TRUNC);
    t.ok(t1 >= 0, "O_TRUNC is ignored");
    await ltp.SAFE_CLOSE(t1);
    t.equal(await sys("openat", AT_FDCWD, path("f1"), O_RDONLY | O_NONBLOCK | O_CREAT | O_EXCL, 0o600), -EEXIST);
    t.equal(await sys("openat", AT_FDCWD, path("f1"), O_RDONLY | O_NONBLOCK | O_DIRECTORY), -ENOTDIR);
    t.equal(await sys("openat", AT_FDCWD, path("f1/"), O_RDONLY | O_NONBLOCK), -ENOTDIR);
    await ltp.SAFE_CLOSE(rw);
    await ltp.SAFE_CLOSE(r);

    // A blocking O_RDONLY waits for a writer. probe: it returned once a child opened O_WRONLY and
    // wrote "hi"; reads: 2, then 0
    let childOpened = -1;
    const pid = await fork(async () => {
      const reader = await ltp.getppid();
      t.ok(await untilAsleep(target, reader), "the reader waits in its open");
      t.equal(target.kernel.pids.find(reader).waitChannel, "fifo_open", "in fifo_open");
      childOpened = await sys("openat", AT_FDCWD, path("f1"), O_WRONLY);
      ltp.pokeString(buf, "hi");
      await sys("write", childOpened, buf, 2);
      return 0;
    });
    const rd = await ltp.SAFE_OPEN("f1", O_RDONLY);
    t.ok(rd >= 0, "the blocking open returned");
    t.equal(await sys("read", rd, buf + 20, 10), 2);
    t.equal(await statusOf(pid), 0);
    t.ok(childOpened >= 0, "the writer's open did not wait: a reader was there");
    t.equal(await sys("read", rd, buf, 10), 0, "the writer exited: EOF");

    // Data left in a FIFO goes when the last open goes.
    const a = await ltp.SAFE_OPEN("f1", O_RDWR);
    t.equal(await sys("write", a, buf, 2), 2);
    await ltp.SAFE_CLOSE(a);
    await ltp.SAFE_CLOSE(rd);
    const b = await ltp.SAFE_OPEN("f1", O_RDWR | O_NONBLOCK);
    t.equal(await sys("read", b, buf, 10), -EAGAIN, "a FIFO keeps nothing once nobody has it open");

    // probe: an unlinked open FIFO: write 2, read 2, st_nlink 0
    await ltp.SAFE_UNLINK("f1");
    t.equal(await sys("write", b, buf, 2), 2);
    t.equal(await sys("read", b, buf, 10), 2, "still a pipe after its name is gone");
    st = await ltp.SAFE_FSTAT(b);
    t.equal(st.st_nlink, 0, "st_nlink 0");
  });
});

t.test("a FIFO open nobody answers is a deadlock, reported with its wait channel", async (t) => {
  const r = await run("defconfig", async () => {
    await ltp.SAFE_MKFIFO("lonely", 0o600);
    await ltp.open("lonely", O_WRONLY);
  });
  t.match(r.messages.join("\n"), /deadlock: .*in fifo_open/, "the open sleeps in fifo_open forever");
});

t.test("mknod: types, errors, device nodes", async (t) => {
  await clean(t, "defconfig", async (target) => {
    const mk = (name: number | string, mode: number, dev = 0) => sys("mknodat", AT_FDCWD, typeof name === "string" ? path(name) : name, mode, dev);
    // probe: type 0 and S_IFREG: regular files; S_IFDIR: EPERM (even in a missing directory);
    // 0170000, 0110000: EINVAL; existing: EEXIST; "" ENOENT; (char *)8 EFAULT; "nodir/x" ENOENT;
    // "file/x" ENOTDIR; "fx/" ENOENT; "." and "/": EEXIST
    t.equal(await mk("r1", 0o644), 0);
    t.equal((await ltp.SAFE_STAT("r1")).st_mode, S_IFREG | 0o644, "type 0 is a regular file");
    t.equal(await mk("r2", S_IFREG | 0o644), 0);
    t.equal(await mk("d1", S_IFDIR | 0o755), -EPERM, "S_IFDIR: EPERM");
    t.equal(await mk("nodir/x", S_IFDIR | 0o755), -EPERM, "the type before the path");
    t.equal(await mk("x1", 0o170000 | 0o644), -EINVAL);
    t.equal(await mk("x2", 0o110000 | 0o644), -EINVAL);
    t.equal(await mk("f", 0o170000), -EINVAL, "EINVAL before EFAULT");
    t.equal(await mk("r1", S_IFIFO | 0o644), -EEXIST);
    t.equal(await mk("", S_IFIFO), -ENOENT);
    t.equal(await mk(8, S_IFIFO), -EFAULT);
    t.equal(await mk("nodir/x", S_IFIFO), -ENOENT);
    t.equal(await mk("r1/x", S_IFIFO), -ENOTDIR);
    t.equal(await mk("fx/", S_IFIFO | 0o666), -ENOENT, "a trailing slash asks for a directory");
    t.equal(await mk(".", S_IFIFO), -EEXIST);
    t.equal(await mk("/", S_IFIFO), -EEXIST);
    // probe: mknodat(999, "q"): EBADF; with an absolute path: 0; S_IFIFO|07777 with umask 022: 017755
    t.equal(await sys("mknodat", 999, path("q"), S_IFIFO | 0o666, 0), -EBADF);
    t.equal(await sys("mknodat", 999, path("/tmp/q"), S_IFIFO | 0o600, 0), 0, "an absolute path ignores dfd");
    t.equal(await mk("m1", S_IFIFO | 0o7777), 0);
    t.equal((await ltp.SAFE_STAT("m1")).st_mode, S_IFIFO | 0o7755, "set-id and sticky bits stay, the umask goes");
    // probe: S_IFCHR 1:3 as root: 020644, st_rdev 0x103; 240:7: open ENXIO; S_IFSOCK: 0140644, open ENXIO
    t.equal(await mk("c1", S_IFCHR | 0o666, ltp.makedev(1, 3)), 0);
    const st = await ltp.SAFE_STAT("c1");
    t.same([st.st_mode, st.st_rdev, st.st_size], [S_IFCHR | 0o644, 0x103, 0], "a character device node");
    t.equal(await mk("c1", S_IFCHR), -EEXIST, "EEXIST before the capability check");
    t.equal(await mk("c2", S_IFCHR | 0o666, ltp.makedev(240, 7)), 0);
    t.equal(await sys("openat", AT_FDCWD, path("c2"), O_RDWR), -ENXIO, "no driver: ENXIO");
    t.equal(await mk("s1", S_IFSOCK | 0o666), 0);
    t.equal((await ltp.SAFE_STAT("s1")).st_mode, S_IFSOCK | 0o644);
    t.equal(await sys("openat", AT_FDCWD, path("s1"), O_RDONLY), -ENXIO, "a socket node cannot be opened");
    // vfs_mknod(): a device node needs CAP_MKNOD, the whiteout (character 0:0) does not
    t.equal(await statusOf(await fork(async () => {
      commitCreds(target.kernel.sched.current, userCred(1000));
      if ((await mk("c3", S_IFCHR | 0o600, ltp.makedev(1, 3))) !== -EPERM) return 1;
      if ((await mk("w1", S_IFCHR | 0o600, 0)) !== 0) return 2;
      return (await mk("p1", S_IFIFO | 0o600)) === 0 ? 0 : 3;
    })), 0, "unprivileged: a device is EPERM, a whiteout and a FIFO are fine");
    // mkfifo() is mknod(S_IFIFO)
    await ltp.SAFE_MKFIFO("ff", 0o640);
    t.equal((await ltp.SAFE_STAT("ff")).st_mode, S_IFIFO | 0o640);
  });
});

t.test("unlink, unlinkat and rmdir", async (t) => {
  await clean(t, "defconfig", async () => {
    const u = (p: number | string) => sys("unlinkat", AT_FDCWD, typeof p === "string" ? path(p) : p, 0);
    const rd = (p: string) => sys("unlinkat", AT_FDCWD, path(p), AT_REMOVEDIR);
    await ltp.mkdir("d", 0o755);
    await ltp.mkdir("d/sub", 0o755);
    await ltp.mkdir("e", 0o755);
    const f = await ltp.SAFE_OPEN("f", O_CREAT | O_RDWR, 0o644);
    // probe: unlink of d, d/, ., .., /: EISDIR; f/: ENOTDIR; nope, nope/, nodir/x: ENOENT; f/x: ENOTDIR;
    // "": ENOENT; (char *)8: EFAULT
    for (const p of ["d", "d/", ".", "..", "/"]) t.equal(await u(p), -EISDIR, `unlink(${p}): EISDIR`);
    t.equal(await u("f/"), -ENOTDIR);
    for (const p of ["nope", "nope/", "nodir/x", ""]) t.equal(await u(p), -ENOENT, `unlink("${p}"): ENOENT`);
    t.equal(await u("f/x"), -ENOTDIR);
    t.equal(await u(8), -EFAULT);
    // probe: rmdir of non-empty: ENOTEMPTY; file, file/: ENOTDIR; nope: ENOENT; ., d/sub/.: EINVAL;
    // .., d/sub/..: ENOTEMPTY; /: EBUSY; e/: 0, then ENOENT
    t.equal(await rd("d"), -ENOTEMPTY);
    t.equal(await rd("f"), -ENOTDIR);
    t.equal(await rd("f/"), -ENOTDIR);
    t.equal(await rd("nope"), -ENOENT);
    t.equal(await rd("."), -EINVAL);
    t.equal(await rd("d/sub/."), -EINVAL);
    t.equal(await rd(".."), -ENOTEMPTY);
    t.equal(await rd("d/sub/.."), -ENOTEMPTY);
    t.equal(await rd("/"), -EBUSY);
    t.equal(await rd("e/"), 0, "a trailing slash is fine for rmdir");
    t.equal(await rd("e"), -ENOENT, "gone");
    // probe: unlinkat flags 1, ~AT_REMOVEDIR: EINVAL, even for fd 999 or a bad path; (999, "f", 0): EBADF
    t.equal(await sys("unlinkat", AT_FDCWD, path("f"), 1), -EINVAL);
    t.equal(await sys("unlinkat", AT_FDCWD, path("f"), ~AT_REMOVEDIR), -EINVAL);
    t.equal(await sys("unlinkat", 999, path("f"), 1), -EINVAL, "flags before the descriptor");
    t.equal(await sys("unlinkat", AT_FDCWD, 8, 1), -EINVAL, "flags before the path");
    t.equal(await sys("unlinkat", 999, path("f"), 0), -EBADF);
    t.equal(await sys("unlinkat", AT_FDCWD, path("f"), AT_REMOVEDIR), -ENOTDIR);
    // probe: rmdir d/sub: d's st_nlink back to 2, st_size 40
    t.equal((await ltp.SAFE_STAT("d")).st_nlink, 3, "a subdirectory's \"..\" links its parent");
    await ltp.SAFE_RMDIR("d/sub");
    const sd = await ltp.SAFE_STAT("d");
    t.same([sd.st_nlink, sd.st_size], [2, 40], "st_nlink 2 again; an empty tmpfs directory is 40 bytes");
    // probe: unlinked open file: read 5, write 1, st_nlink 0, st_size 6; open by name: ENOENT
    const buf = buffer(16);
    ltp.pokeString(buf, "hello");
    await sys("write", f, buf, 5);
    await ltp.SAFE_UNLINK("f");
    await sys("lseek", f, 0, SEEK_SET);
    t.equal(await sys("read", f, buf, 10), 5, "an unlinked open file still reads");
    t.equal(await sys("write", f, buf, 1), 1, "...and writes");
    const sf = await ltp.SAFE_FSTAT(f);
    t.same([sf.st_nlink, sf.st_size], [0, 6], "st_nlink 0");
    t.equal(await sys("openat", AT_FDCWD, path("f"), O_RDONLY), -ENOENT);
    // probe: rmdir of the working directory: creating in it is ENOENT; stat(".") works, st_nlink 0
    await ltp.mkdir("g", 0o755);
    await ltp.chdir("g");
    t.equal(await rd("../g"), 0, "the working directory can be removed");
    t.equal(await sys("openat", AT_FDCWD, path("new"), O_CREAT | O_RDWR, 0o600), -ENOENT, "no new file in a dead directory");
    t.equal(await sys("mkdirat", AT_FDCWD, path("nd"), 0o755), -ENOENT);
    t.equal(await sys("mknodat", AT_FDCWD, path("ff"), S_IFIFO | 0o600, 0), -ENOENT);
    t.equal((await ltp.SAFE_STAT(".")).st_nlink, 0, "a dead directory has no links");
    await ltp.chdir("..");
  });
});

t.test("struct stat: x86_64's layout and riscv64's generic one", async (t) => {
  await clean(t, "defconfig", async () => {
    // probe: sizeof 144; offsets dev 0 ino 8 nlink 16 mode 24 uid 28 gid 32 rdev 40 size 48 blksize 56 blocks 64 atim 72
    const { fd, b, v } = await statOf5000();
    t.equal(v.getUint32(24, true), S_IFREG | 0o640, "st_mode at 24");
    t.equal(Number(v.getBigUint64(16, true)), 1, "st_nlink, 8 bytes at 16");
    t.equal(Number(v.getBigInt64(48, true)), 5000, "st_size at 48");
    t.equal(Number(v.getBigInt64(56, true)), 4096, "st_blksize, 8 bytes at 56");
    // probe (tmpfs): 5000 bytes: st_blocks 16
    t.equal(Number(v.getBigInt64(64, true)), 16, "st_blocks at 64: two pages");
    t.same([...b.subarray(144, 160)], new Array(16).fill(0xff), "144 bytes written, no more");
    t.same([...b.subarray(120, 144)], new Array(24).fill(0), "the unused tail is zeroed");
    // probe: a byte at 100000: st_size 100001, st_blocks 24 (holes take no blocks)
    await sys("pwrite64", fd, buffer(1), 1, 100000);
    const st = await ltp.SAFE_FSTAT(fd);
    t.same([st.st_size, st.st_blocks], [100001, 24], "a sparse file: blocks only for the pages written");
    // probe: SEEK_DATA/SEEK_HOLE on a tmpfs file with bytes at 100 and 8202 (size 8203): DATA 0: 0, 200: 200,
    // 4096: 8192; HOLE 5000: 5000, 0: 4096, 8200: 8203; at 8203 both ENXIO, at -1 both ENXIO
    const h = await ltp.SAFE_OPEN("h", O_CREAT | O_RDWR, 0o600);
    await sys("pwrite64", h, buffer(1), 1, 100);
    await sys("pwrite64", h, buffer(1), 1, 8202);
    const seeks: [number, number, number][] = [[0, SEEK_DATA, 0], [200, SEEK_DATA, 200], [4096, SEEK_DATA, 8192], [5000, SEEK_HOLE, 5000],
      [0, SEEK_HOLE, 4096], [8200, SEEK_HOLE, 8203], [8203, SEEK_HOLE, -6], [8203, SEEK_DATA, -6], [-1, SEEK_DATA, -6], [-1, SEEK_HOLE, -6]];
    for (const [off, whence, want] of seeks) t.equal(await sys("lseek", h, off, whence), want, `lseek(${off}, ${whence === SEEK_DATA ? "SEEK_DATA" : "SEEK_HOLE"})`);
    // probe (tmpfs): directory 40, with a file and a subdirectory 80, st_nlink 3
    await ltp.mkdir("dd", 0o755);
    t.equal((await ltp.SAFE_STAT("dd")).st_size, 40);
    await ltp.SAFE_CREAT("dd/a", 0o600);
    await ltp.mkdir("dd/sub", 0o700);
    const sd = await ltp.SAFE_STAT("dd");
    t.same([sd.st_mode, sd.st_nlink, sd.st_size, sd.st_blocks], [S_IFDIR | 0o755, 3, 80, 0], "20 bytes per entry, . and .. included");
    // The stat entry points all agree.
    const viaStat = await sys("stat", path("s"), buffer(144));
    t.equal(viaStat, 0, "x86_64's stat()");
    t.equal(await sys("lstat", path("s"), buffer(144)), 0, "x86_64's lstat()");
    t.equal(await sys("fstat", fd, buffer(144)), 0, "x86_64's fstat()");
    // probe: the errors
    const sb = buffer(144);
    t.equal(await sys("newfstatat", AT_FDCWD, path("s/"), sb, 0), -ENOTDIR);
    t.equal(await sys("newfstatat", AT_FDCWD, path("nope"), sb, 0), -ENOENT);
    t.equal(await sys("newfstatat", AT_FDCWD, path(""), sb, 0), -ENOENT, "\"\" without AT_EMPTY_PATH");
    t.equal(await sys("newfstatat", AT_FDCWD, 8, sb, 0), -EFAULT);
    t.equal(await sys("newfstatat", AT_FDCWD, path("s"), 8, 0), -EFAULT, "a bad buffer");
    t.equal(await sys("newfstatat", AT_FDCWD, path("s"), sb, 0x1), -EINVAL, "unknown flags");
    t.equal(await sys("newfstatat", AT_FDCWD, 8, sb, 0x1), -EINVAL, "...before the path's EFAULT");
    t.equal(await sys("newfstatat", AT_FDCWD, path("s"), sb, 0x10000), -EINVAL);
    t.equal(await sys("newfstatat", AT_FDCWD, path("s"), sb, AT_SYMLINK_NOFOLLOW | 0x800), 0, "AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT");
    t.equal(await sys("newfstatat", 999, path("x"), sb, 0), -EBADF);
    t.equal(await sys("newfstatat", 999, path("/tmp"), sb, 0), 0, "an absolute path ignores dfd");
    t.equal(await sys("newfstatat", fd, path("x"), sb, 0), -ENOTDIR, "dfd a regular file");
    t.equal(await sys("newfstatat", 999, path(""), sb, AT_EMPTY_PATH), -EBADF);
    t.equal(await sys("newfstatat", fd, path(""), sb, AT_EMPTY_PATH), 0, "fstat() the glibc way");
    t.equal(await sys("newfstatat", fd, 8, sb, AT_EMPTY_PATH), -EFAULT);
    t.equal(await sys("newfstatat", AT_FDCWD, 0, sb, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW), 0, "NULL with AT_EMPTY_PATH: the working directory (6.11+)");
    t.equal(ltp.readStat(sb).st_mode & 0o170000, S_IFDIR);
    t.equal(await sys("newfstatat", AT_FDCWD, 0, sb, 0), -EFAULT, "NULL without it: EFAULT");
    t.equal(await sys("fstat", 999, sb), -EBADF);
    t.equal(await sys("fstat", fd, 8), -EFAULT);
    // A pipe: probe: st_dev 0xf, st_mode 010600, st_nlink 1, st_size 0 with 3 bytes in it, st_blksize 4096;
    // both ends one inode, the next pipe the next inode
    const [r, w] = await pipe();
    await sys("write", w, buffer(3), 3);
    const pr = await ltp.SAFE_FSTAT(r), pw = await ltp.SAFE_FSTAT(w);
    t.same([pr.st_dev, pr.st_mode, pr.st_nlink, pr.st_size, pr.st_blksize, pr.st_blocks], [0xf, S_IFIFO | 0o600, 1, 0, 4096, 0], "a pipe's stat");
    t.equal(pw.st_ino, pr.st_ino, "one inode for both ends");
    const [r2] = await pipe();
    t.equal((await ltp.SAFE_FSTAT(r2)).st_ino, pr.st_ino + 1, "pipefs numbers its inodes");
  });

  await clean(t, "riscv64", async () => {
    // asm-generic/stat.h: mode u32 at 16, nlink u32 at 20, uid 24, gid 28, rdev 32, size 48, blksize int 56, blocks 64; 128 bytes
    const { fd, b, v } = await statOf5000();
    t.equal(v.getUint32(16, true), S_IFREG | 0o640, "st_mode, 4 bytes at 16");
    t.equal(v.getUint32(20, true), 1, "st_nlink, 4 bytes at 20");
    t.equal(Number(v.getBigInt64(48, true)), 5000, "st_size at 48");
    t.equal(v.getInt32(56, true), 4096, "st_blksize, an int at 56");
    t.equal(v.getInt32(60, true), 0, "__pad2");
    t.equal(Number(v.getBigInt64(64, true)), 16, "st_blocks at 64");
    t.same([...b.subarray(128, 160)], new Array(32).fill(0xff), "128 bytes written, no more");
    const st = await ltp.SAFE_FSTAT(fd);
    t.same([st.st_mode, st.st_nlink, st.st_size, st.st_blksize, st.st_blocks], [S_IFREG | 0o640, 1, 5000, 4096, 16], "readStat() reads the generic layout");
    t.equal(ltp.syscall("stat", 0, 0), -1, "riscv64 has no stat()...");
    t.equal(ltp.syscall("lstat", 0, 0), -1, "...nor lstat()");
    t.equal(await sys("fstat", fd, buffer(128)), 0, "but fstat() (newfstat)");
  });

  await clean(t, "minimal", async () => {
    // ramfs (no CONFIG_SHMEM): no blocks counted, directories of size 0
    const fd = await ltp.SAFE_OPEN("s", O_CREAT | O_RDWR, 0o600);
    await sys("write", fd, buffer(5000, 1), 5000);
    const st = await ltp.SAFE_FSTAT(fd);
    t.same([st.st_size, st.st_blocks], [5000, 0], "ramfs counts no blocks");
    await ltp.mkdir("dd", 0o755);
    t.equal((await ltp.SAFE_STAT("dd")).st_size, 0, "a ramfs directory's size is 0");
    // generic_file_llseek(): the whole file is data
    await sys("pwrite64", fd, buffer(1), 1, 100000);
    t.equal(await sys("lseek", fd, 4096 * 3, SEEK_DATA), 4096 * 3, "SEEK_DATA sees no holes");
    t.equal(await sys("lseek", fd, 0, SEEK_HOLE), 100001, "SEEK_HOLE: the end");
  });
});

t.test("statfs and fstatfs", async (t) => {
  await clean(t, "defconfig", async (target) => {
    const buf = buffer(120);
    await ltp.SAFE_FILE_PRINTF("data", "x");
    // probe (tmpfs): f_type 0x1021994, f_bsize 4096, f_namelen 255, f_frsize 4096
    t.equal(await sys("statfs", path("."), buf), 0);
    const s = ltp.readStatfs(buf);
    const half = target.kernel.totalramPages / 2;
    t.same([s.type, s.bsize, s.blocks, s.namelen, s.frsize, s.flags], [TMPFS_MAGIC, 4096, half, 255, 4096, 0x20], "tmpfs: half the RAM, in pages");
    t.ok(s.bfree < s.blocks && s.ffree < s.files, "some blocks and inodes in use");
    t.equal(await ltp.tst_fs_type("/tmp"), TMPFS_MAGIC, "tst_fs_type()");
    // probe: a pipe's fstatfs: f_type 0x50495045, f_bsize 4096, f_blocks 0, f_namelen 255, f_flags 0x20
    const [r] = await pipe();
    t.equal(await sys("fstatfs", r, buf), 0);
    const p = ltp.readStatfs(buf);
    t.same([p.type, p.bsize, p.blocks, p.files, p.namelen, p.frsize, p.flags], [PIPEFS_MAGIC, 4096, 0, 0, 255, 4096, 0x20], "pipefs");
    // probe: statfs(""): ENOENT; "/nope": ENOENT; (char *)8: EFAULT; bad buffer: EFAULT; fstatfs(999): EBADF
    t.equal(await sys("statfs", path(""), buf), -ENOENT);
    t.equal(await sys("statfs", path("/nope"), buf), -ENOENT);
    t.equal(await sys("statfs", 8, buf), -EFAULT);
    t.equal(await sys("statfs", path("/tmp"), 8), -EFAULT);
    t.equal(await sys("fstatfs", 999, buf), -EBADF);
  });
  await clean(t, "minimal", async () => {
    t.equal(await ltp.tst_fs_type("."), RAMFS_MAGIC, "without CONFIG_SHMEM the root is ramfs");
    t.equal(ltp.tst_fs_type_name(RAMFS_MAGIC), "ramfs");
  });
});

t.test("pread, pwrite, readv, writev: the errors, in Linux's order", async (t) => {
  await clean(t, "defconfig", async () => {
    const big = buffer(4096);
    const fd = await ltp.SAFE_OPEN("pf", O_CREAT | O_RDWR | O_TRUNC, 0o644);
    ltp.pokeString(big, "0123456789");
    await sys("write", fd, big, 10);
    // probe: pread of 5 at 8: 2; pwrite of 2 at 20: 2; position still 10
    t.equal(await sys("pread64", fd, big + 100, 5, 8), 2, "pread stops at the end");
    t.equal(await sys("pwrite64", fd, big, 2, 20), 2);
    t.equal(await sys("lseek", fd, 0, SEEK_CUR), 10, "neither moves the position");
    // probe: pread(0 bytes, -5): EINVAL; pread(1, LLONG_MAX): EINVAL; pwrite(1, LLONG_MAX): EINVAL;
    // pwrite(0, LLONG_MAX): 0; pread at 1 << 62: 0; pwrite from 8: EFAULT; pread into -1 and 8: EFAULT
    t.equal(await sys("pread64", fd, big, 0, -5), -EINVAL);
    t.equal(await sys("pread64", fd, big, 1, 2n ** 63n - 1n), -EINVAL, "offset + count past LLONG_MAX");
    t.equal(await sys("pwrite64", fd, big, 1, 2n ** 63n - 1n), -EINVAL);
    t.equal(await sys("pwrite64", fd, big, 0, 2n ** 63n - 1n), 0, "a count of 0 at LLONG_MAX");
    t.equal(await sys("pread64", fd, big, 1, 2n ** 62n), 0, "far past the end: 0");
    t.equal(await sys("pwrite64", fd, 8, 1, 0), -EFAULT);
    t.equal(await sys("pread64", fd, -1, 1, 0), -EFAULT);
    t.equal(await sys("pread64", fd, 8, 1, 0), -EFAULT);
    const ro = await ltp.SAFE_OPEN("pf", O_RDONLY);
    t.equal(await sys("pwrite64", ro, big, 1, -1), -EINVAL, "the offset before the mode");

    await sys("lseek", fd, 0, SEEK_SET);
    const iov = ltp.iovec(Array.from({ length: 1100 }, (_, i) => [big + 1000 + i, 1] as const));
    // probe: 1025: EINVAL; fd 999 with 1025: EBADF; 1024: 10 (the file's bytes); 0: 0; 1 << 32: 0;
    // (1 << 32) + 2: 2; -1: EINVAL; iov 8 with 2 or 1: EFAULT, with 0: 0; NULL with 1025: EINVAL
    t.equal(await sys("readv", fd, iov, 1025), -EINVAL, "more than UIO_MAXIOV");
    t.equal(await sys("readv", 999, iov, 1025), -EBADF, "the descriptor first");
    t.equal(await sys("readv", fd, iov, 1024), 22, "1024 iovecs of a byte: the whole 22-byte file");
    await sys("lseek", fd, 0, SEEK_SET);
    t.equal(await sys("readv", fd, iov, 0), 0);
    t.equal(await sys("readv", fd, iov, 2 ** 32), 0, "vlen is an unsigned int: 1 << 32 is 0");
    t.equal(await sys("readv", fd, iov, 2 ** 32 + 2), 2, "(1 << 32) + 2 is 2");
    t.equal(await sys("readv", fd, iov, -1), -EINVAL);
    t.equal(await sys("readv", fd, 8, 2), -EFAULT);
    t.equal(await sys("readv", fd, 8, 1), -EFAULT);
    t.equal(await sys("readv", fd, 8, 0), 0, "nothing to copy: 0");
    t.equal(await sys("readv", fd, 0, 1025), -EINVAL);
    // probe: one iov_len of -1: EINVAL; a second of 1 << 63: EINVAL, of 1 << 62: EFAULT; a bad base
    // with a negative second length: EINVAL; 2 x 2^46 at 4096 (unmapped): EFAULT
    t.equal(await sys("readv", fd, ltp.iovec([[big, -1]]), 1), -EINVAL);
    t.equal(await sys("readv", fd, ltp.iovec([[big, 1], [big, 2n ** 63n]]), 2), -EINVAL);
    t.equal(await sys("readv", fd, ltp.iovec([[big, 1], [big, 2n ** 62n]]), 2), -EFAULT);
    t.equal(await sys("readv", fd, ltp.iovec([[-1, 1], [big, -1]]), 2), -EINVAL, "every length before any base");
    await sys("lseek", fd, 0, SEEK_SET);
    t.equal(await sys("readv", fd, ltp.iovec([[4096, 2 ** 46], [4096, 2 ** 46]]), 2), -EFAULT);
    // probe: [big,3],[8,4],[big+10,2] from 0: 3, position 3; [8,3] first: EFAULT
    await sys("lseek", fd, 0, SEEK_SET);
    t.equal(await sys("readv", fd, ltp.iovec([[big, 3], [8, 4], [big + 10, 2]]), 3), 3, "a short read at the faulting segment");
    t.equal(await sys("lseek", fd, 0, SEEK_CUR), 3);
    await sys("lseek", fd, 0, SEEK_SET);
    t.equal(await sys("readv", fd, ltp.iovec([[8, 3], [big, 4]]), 2), -EFAULT);
    t.equal(await sys("writev", fd, iov, 1025), -EINVAL);
    t.equal(await sys("writev", ro, 8, 2), -EBADF, "the mode before the iovecs");
    // writev to a file: probe: [big,5],[8,5]: 5
    t.equal(await sys("writev", fd, ltp.iovec([[big, 5], [8, 5]]), 2), 5, "a file takes what came before the fault");
    // probe: readv of a directory: EISDIR, with 0 iovecs: 0
    const dir = await ltp.SAFE_OPEN(".", O_RDONLY | O_DIRECTORY);
    t.equal(await sys("readv", dir, iov, 1), -EISDIR);
    t.equal(await sys("readv", dir, iov, 0), 0);
    t.equal(await sys("read", dir, big, 0), -EISDIR, "read(dir, buf, 0): EISDIR");
    t.equal(await sys("read", dir, -1, 1), -EFAULT, "access_ok() before EISDIR");
    t.equal(await sys("pread64", dir, big, 1, 0), -EISDIR);
    // probe: lseek(dir, 5, SEEK_SET): 5; SEEK_END: EINVAL
    t.equal(await sys("lseek", dir, 5, SEEK_SET), 5);
    t.equal(await sys("lseek", dir, 0, SEEK_END), -EINVAL);
    // A pipe gathers a readv and a writev whole.
    const [r, w] = await pipe(O_NONBLOCK);
    ltp.pokeString(big, "abcdefgh");
    t.equal(await sys("writev", w, ltp.iovec([[big, 3], [big + 3, 0], [big + 3, 5]]), 3), 8);
    t.equal(await sys("readv", r, ltp.iovec([[big + 100, 2], [big + 200, 10]]), 2), 8, "one readv");
    t.equal(ltp.peekString(big + 200).slice(0, 6), "cdefgh");
    // probe: writev to a pipe: [buf,5],[NULL,5]: EFAULT, nothing readable; [buf,4096],[NULL,5]: 4096
    t.equal(await sys("writev", w, ltp.iovec([[big, 5], [0, 5]]), 2), -EFAULT, "a pipe keeps no part of a faulting page");
    t.equal(await sys("read", r, big, 100), -EAGAIN);
    t.equal(await sys("writev", w, ltp.iovec([[big, 4096], [0, 5]]), 2), 4096, "whole pages before the fault count");
  });
});

t.test("O_DIRECT: tmpfs takes it, ramfs and directories do not", async (t) => {
  await clean(t, "defconfig", async () => {
    await ltp.SAFE_FILE_PRINTF("df", "0123456789012345678901");
    // probe (tmpfs): open O_RDWR|O_DIRECT: a descriptor, F_GETFL 0xc002; read(4096) at a page + 1: 22
    const od = await ltp.SAFE_OPEN("df", O_RDWR | O_DIRECT);
    t.equal(await sys("fcntl", od, F_GETFL), 0xc002);
    const al = ltp.memalign(4096, 4096 * 3);
    t.equal(await sys("read", od, al + 1, 4096), 22, "unaligned reads go through the page cache");
    // probe: a tmpfs directory with O_DIRECT (with or without O_DIRECTORY): EINVAL; F_SETFL O_DIRECT:
    // regular file 0 (F_GETFL 0xc002), directory EINVAL (F_GETFL 0x18000 stays)
    t.equal(await sys("openat", AT_FDCWD, path("."), O_RDONLY | O_DIRECT), -EINVAL);
    t.equal(await sys("openat", AT_FDCWD, path("."), O_RDONLY | O_DIRECTORY | O_DIRECT), -EINVAL);
    const fd = await ltp.SAFE_OPEN("df", O_RDWR);
    t.equal(await sys("fcntl", fd, F_SETFL, O_DIRECT), 0);
    t.equal(await sys("fcntl", fd, F_GETFL), 0xc002);
    const dir = await ltp.SAFE_OPEN(".", O_RDONLY | O_DIRECTORY);
    t.equal(await sys("fcntl", dir, F_SETFL, O_DIRECT), -EINVAL);
    t.equal(await sys("fcntl", dir, F_GETFL), 0x18000);
  });
  await clean(t, "minimal", async () => {
    await ltp.SAFE_FILE_PRINTF("df", "x");
    // ramfs: ram_aops has no ->direct_IO
    t.equal(await sys("openat", AT_FDCWD, path("df"), O_RDWR | O_DIRECT), -EINVAL, "ramfs: EINVAL");
    t.equal(await sys("openat", AT_FDCWD, path("df"), O_RDWR | O_TRUNC | O_DIRECT), -EINVAL);
    t.equal((await ltp.SAFE_STAT("df")).st_size, 1, "a refused O_DIRECT|O_TRUNC open truncates nothing");
    const fd = await ltp.SAFE_OPEN("df", O_RDWR);
    t.equal(await sys("fcntl", fd, F_SETFL, O_DIRECT), -EINVAL);
  });
});

/** Two writers of single bytes and a reader: the order the reader sees, as a string. */
async function interleaving(seed: number): Promise<string> {
  let seen = "";
  await run("defconfig", async () => {
    const [r, w] = await pipe();
    for (const c of ["a", "b"]) {
      await fork(async () => {
        await ltp.SAFE_CLOSE(r);
        const b = buffer(3, c.charCodeAt(0));
        for (let i = 0; i < 300; i++) await sys("write", w, b, 1 + (i % 3));
        return 0;
      });
    }
    await ltp.SAFE_CLOSE(w);
    const buf = buffer(512);
    for (let n; (n = await sys("read", r, buf, 7)) > 0; ) seen += Buffer.from(ltp.peekBytes(buf, n)).toString("latin1");
  }, seed);
  return seen;
}

t.test("the same seed gives the same interleaving through a pipe", async (t) => {
  const a = await interleaving(42);
  t.equal(a.length, 1200, "every byte arrived");
  t.ok(/a+b+a/.test(a) || /b+a+b/.test(a), "the writers' bytes interleave (timeslices and a full pipe switch tasks)");
  t.equal(await interleaving(42), a, "seed 42 twice: the same order");
  const others: string[] = [];
  for (const s of [1, 2, 3, 4]) others.push(await interleaving(s));
  t.ok(others.some((o) => o !== a), "other seeds interleave differently");
});
