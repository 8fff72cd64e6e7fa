/**
 * Processes and memory: the emulated kernel's address spaces (mmap, munmap, mprotect, brk,
 * copy-on-write fork, CLONE_VM, EFAULT), its processes (fork, vfork, clone, clone3, exit, wait4,
 * waitid, signals to parents, zombies, reparenting), the limits fork meets (RLIMIT_NPROC,
 * pid_max, threads-max, overcommit), and the test API on top (environment, options, guarded
 * buffers, fork on riscv64 and without an MMU).
 *
 * Code runs as emulated processes through the test API (the way testcases run), so raw
 * syscalls give -1 and errno; sys() turns that into the kernel's -errno. Expected values are
 * Linux's: where a detail was in doubt, a C probe ran on the development machine's kernel
 * (6.18, x86_64, core_pattern "core") and its output is quoted as "probe:".
 *
 * Imports are from ../dist (the runner's module instances), never from ../src.
 */
import t from "tap";
import { defineTest } from "../dist/src/ltp/lib/tst_test.js";
import { clean as cleanBody, linked, run as runBody, sys, type RunOptions } from "./harness/emulated.js";
import { commitCreds, userCred } from "../dist/src/linux/kernel/cred.js";
import { resolveSyscall } from "../dist/src/resolver/resolve.js";
import { linkedHandler } from "../dist/src/linux/kernel/entry/syscall_table.js";
import * as ltp from "../dist/src/ltp/index.js";

/* ---- ABI constants, written out from the uapi headers (not imported from the code under test) ---- */

const EPERM = 1, ESRCH = 3, E2BIG = 7, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EFAULT = 14,
  EEXIST = 17, EINVAL = 22, EMFILE = 24, ENOSYS = 38;
const PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_SEM = 8, PROT_GROWSDOWN = 0x01000000, PROT_GROWSUP = 0x02000000;
const MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_SHARED_VALIDATE = 3, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
  MAP_NORESERVE = 0x4000, MAP_FIXED_NOREPLACE = 0x100000;
const CLONE_VM = 0x100, CLONE_SIGHAND = 0x800, CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000, CLONE_THREAD = 0x10000,
  CLONE_DETACHED = 0x400000, CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_SETTID = 0x01000000;
const CLONE_CLEAR_SIGHAND = 2 ** 32, CLONE_INTO_CGROUP = 2 ** 33;
const SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGTERM = 15, SIGCHLD = 17, SIGABRT = 6, SIGURG = 23, SIGCONT = 18;
const SIG_DFL = 0, SIG_IGN = 1, SA_NOCLDWAIT = 2, SIG_BLOCK = 0, SIG_UNBLOCK = 1;
const WNOHANG = 1, WEXITED = 4, WNOWAIT = 0x01000000, __WALL = 0x40000000;
const P_ALL = 0, P_PID = 1;
const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;
const RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_AS = 9;
const RLIM_INFINITY = 2n ** 64n - 1n;
const O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0o100, O_APPEND = 0o2000, O_LARGEFILE = 0o100000;
const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4;
const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;
const PAGE = 4096, GiB = 2 ** 30;

/* ---- harness ---- */

/** run() with the write-probe descriptor forgotten: every boot starts with an empty table. */
function run(config: string, body: (target: any) => Promise<void>, opts: RunOptions = {}) {
  probeFd = -1;
  return runBody(config, body, opts);
}

/** clean() likewise. */
function clean(t: any, config: string, body: (target: any) => Promise<void>, opts: RunOptions = {}) {
  probeFd = -1;
  return cleanBody(t, config, body, opts);
}

/** A fork child running `body`; its pid. */
const fork = (body: () => unknown) => ltp.SAFE_FORK(body as any);

/** The child's wait status (wait4 into a buffer of the caller). */
async function statusOf(pid: number): Promise<number> {
  const { pid: got, status } = await ltp.waitpid(pid, __WALL);
  if (got !== pid) throw new Error(`waitpid(${pid}) gave ${got} errno ${ltp.errno()}`);
  return status;
}

/** Can the process read `len` bytes at addr? (copy_from_user of a write() to a file: EFAULT or not) */
let probeFd = -1;
async function readable(addr: number, len = 1): Promise<boolean> {
  if (probeFd < 0) probeFd = await ltp.SAFE_OPEN("probe", O_CREAT | O_RDWR, 0o600);
  return (await sys("write", probeFd, addr, len)) === len;
}
/** Can it write there? (copy_to_user of a read() from a file) */
async function writable(addr: number, len = 1): Promise<boolean> {
  if (probeFd < 0) probeFd = await ltp.SAFE_OPEN("probe", O_CREAT | O_RDWR, 0o600);
  const buf = ltp.malloc(len);
  ltp.pokeBytes(buf, new Uint8Array(len));
  await sys("write", probeFd, buf, len);
  await sys("lseek", probeFd, -len, SEEK_CUR);
  return (await sys("read", probeFd, addr, len)) === len;
}

function rlimitBytes(cur: bigint, max: bigint): Uint8Array {
  const b = new Uint8Array(16);
  new DataView(b.buffer).setBigUint64(0, cur, true);
  new DataView(b.buffer).setBigUint64(8, max, true);
  return b;
}

/** setrlimit() through the raw syscall, the struct in the caller's heap. */
async function setrlimit(resource: number, cur: bigint, max: bigint): Promise<number> {
  const p = ltp.malloc(16);
  ltp.pokeBytes(p, rlimitBytes(cur, max));
  return sys("setrlimit", resource, p);
}

const anon = (len: number, prot = PROT_READ | PROT_WRITE, flags = MAP_PRIVATE | MAP_ANONYMOUS, addr = 0) =>
  sys("mmap", addr, len, prot, flags, -1, 0);

/* ---- address spaces ---- */

t.test("mmap, munmap, mprotect: the errors, in Linux's order", async (t) => {
  await clean(t, "defconfig", async () => {
    // probe: len 0, no type, anonymous MAP_SHARED_VALIDATE, type 4: EINVAL; no MAP_ANONYMOUS with fd -1:
    // EBADF (even with len 0); unaligned offset: EINVAL; MAP_FIXED at 0x10000001: EINVAL; len (size_t)-1
    // and 2^47: ENOMEM
    t.equal(await anon(0), -EINVAL, "length 0");
    t.equal(await anon(PAGE, PROT_READ, MAP_ANONYMOUS), -EINVAL, "no MAP_SHARED or MAP_PRIVATE");
    t.equal(await anon(PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS), -EINVAL, "MAP_SHARED_VALIDATE is for files");
    t.equal(await sys("mmap", 0, PAGE, PROT_READ, MAP_PRIVATE, -1, 0), -EBADF, "a file mapping of fd -1");
    t.equal(await sys("mmap", 0, 0, PROT_READ, MAP_PRIVATE, -1, 0), -EBADF, "EBADF before the length");
    t.equal(await sys("mmap", 0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 5), -EINVAL, "unaligned offset");
    t.equal(await anon(PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0x10000001), -EINVAL, "MAP_FIXED at an unaligned address");
    t.equal(await anon(-1), -ENOMEM, "(size_t)-1 bytes");
    t.equal(await anon(2 ** 47, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE), -ENOMEM, "more than TASK_SIZE");
    // probe: mmap(PROT 0x10) worked; mprotect(0x10): EINVAL
    const a = await anon(4 * PAGE);
    t.ok(a > 0 && a % PAGE === 0, "a page-aligned address");
    t.ok(await anon(PAGE, 0x10) > 0, "mmap() ignores unknown PROT_ bits");
    // probe: MAP_FIXED_NOREPLACE over a mapping: EEXIST; unaligned: EINVAL; a hint below mmap_min_addr
    // is raised to it (0x1000 -> 0x10000 with mmap_min_addr 65536)
    t.equal(await anon(PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, a + PAGE), -EEXIST, "MAP_FIXED_NOREPLACE over a mapping");
    t.equal(await anon(PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, a + 1), -EINVAL, "MAP_FIXED_NOREPLACE unaligned");
    t.equal(await anon(PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 0x1000), 4096, "a hint at 0x1000 is kept (mmap_min_addr 4096 in defconfig)");
    t.equal(await anon(PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 0x20000001), 0x20000000, "an unaligned hint is rounded down");

    // probe: munmap unaligned, len 0, len (size_t)-1, above TASK_SIZE: EINVAL; of nothing: 0
    t.equal(await sys("munmap", a + 1, PAGE), -EINVAL, "munmap at an unaligned address");
    t.equal(await sys("munmap", a, 0), -EINVAL, "munmap of 0 bytes");
    t.equal(await sys("munmap", a, -1), -EINVAL, "munmap of (size_t)-1 bytes");
    t.equal(await sys("munmap", 2 ** 48, PAGE), -EINVAL, "munmap above TASK_SIZE");
    t.equal(await sys("munmap", 0x30000000, PAGE), 0, "munmap of nothing");
    t.equal(await sys("munmap", a + PAGE, PAGE), 0, "munmap of the second page");
    t.notOk(await readable(a + PAGE), "...which is gone");
    t.ok(await readable(a) && await readable(a + 2 * PAGE), "...and only it");

    // probe: unaligned: EINVAL; len 0 (even with prot 0x10): 0; prot 0x10: EINVAL; PROT_SEM: 0;
    // GROWSDOWN|GROWSUP: EINVAL; over a hole: ENOMEM, the pages before it changed; unmapped start,
    // above TASK_SIZE, wrapping past 2^64: ENOMEM
    t.equal(await sys("mprotect", a + 1, PAGE, PROT_READ), -EINVAL, "mprotect at an unaligned address");
    t.equal(await sys("mprotect", a, 0, 0x10), 0, "mprotect of 0 bytes, before the prot check");
    t.equal(await sys("mprotect", a, PAGE, 0x10), -EINVAL, "mprotect with an unknown PROT_ bit");
    t.equal(await sys("mprotect", a, PAGE, PROT_READ | PROT_WRITE | PROT_SEM), 0, "PROT_SEM is accepted");
    t.equal(await sys("mprotect", a, PAGE, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), -EINVAL, "both PROT_GROWS bits");
    t.equal(await sys("mprotect", a, 3 * PAGE, PROT_READ), -ENOMEM, "mprotect over a hole");
    t.ok(await readable(a), "the first page is still readable");
    t.notOk(await writable(a), "...but no longer writable: the change before the hole stays");
    t.ok(await writable(a + 2 * PAGE), "the page after the hole is untouched");
    t.equal(await sys("mprotect", a + PAGE, PAGE, PROT_READ), -ENOMEM, "mprotect of unmapped memory");
    t.equal(await sys("mprotect", 2 ** 48, PAGE, PROT_READ), -ENOMEM, "mprotect above TASK_SIZE");
    t.equal(await sys("mprotect", -PAGE, 2 * PAGE, PROT_READ), -ENOMEM, "a range wrapping past 2^64");
    t.equal(await sys("mprotect", a + 2 * PAGE, PAGE, PROT_NONE), 0, "PROT_NONE");
    t.notOk(await readable(a + 2 * PAGE), "PROT_NONE memory cannot be read");
  });
});

t.test("brk: never an errno, the old break on failure", async (t) => {
  await clean(t, "defconfig", async () => {
    // probe: brk(0) = b; b+1: b+1; brk(0): b+1; b+3 pages: b+3p; 0x1000 and 2^46: unchanged; back to b: b
    const b = await sys("brk", 0);
    t.ok(b > 0 && b % PAGE === 0, "brk(0) is the current break");
    t.equal(await sys("brk", b + 1), b + 1, "grown by a byte");
    t.equal(await sys("brk", 0), b + 1, "brk(0) tells the same");
    t.equal(await sys("brk", b + 3 * PAGE), b + 3 * PAGE, "grown by pages");
    t.ok(await writable(b + 3 * PAGE - 1) && !(await readable(b + 3 * PAGE)), "the heap ends at the break's page");
    t.equal(await sys("brk", 0x1000), b + 3 * PAGE, "below the start: unchanged");
    t.equal(await sys("brk", 2 ** 46), b + 3 * PAGE, "too far: unchanged");
    t.equal(await sys("brk", b), b, "shrunk back");
    t.notOk(await readable(b), "...and the pages are gone");
    // probe (RLIMIT_DATA 8 KiB): brk could not grow; a 16 KiB writable mmap: ENOMEM; read-only: fine
    t.equal(await setrlimit(RLIMIT_DATA, 8192n, RLIM_INFINITY), 0);
    t.equal(await sys("brk", b + 4 * PAGE), b, "RLIMIT_DATA: the heap cannot grow");
    t.equal(await anon(4 * PAGE), -ENOMEM, "RLIMIT_DATA: nor a private writable mapping");
    t.ok(await anon(4 * PAGE, PROT_READ) > 0, "a read-only mapping is not data");
    // probe (RLIMIT_AS 1 MiB): mmap of 2 MiB: ENOMEM
    t.equal(await setrlimit(RLIMIT_AS, 1n << 20n, RLIM_INFINITY), 0);
    t.equal(await anon(2 << 20, PROT_READ), -ENOMEM, "RLIMIT_AS");
  });
});

t.test("a write of the whole heap into a file: bounded by the machine's memory, a page at a time", async (t) => {
  // brk(2147483647) then pwrite64(fd, heap, 0xffffffff, 1) once took 18.8 s and 3.9 GB of the
  // host: the write was copied whole and its pages stored without limit. Linux copies a page at
  // a time and tmpfs holds at most its default size= (half the RAM): a short write, then ENOSPC;
  // ramfs (minimal, nommu: no CONFIG_SHMEM) has only the RAM: ENOMEM.
  const MiB = 2 ** 20;
  for (const [config, limit, errno] of [["defconfig", 32 * MiB, 28 /* ENOSPC */], ["minimal", 64 * MiB, ENOMEM]] as const) {
    const got: Record<string, unknown> = {};
    const start = Date.now();
    await clean(t, config, async () => {
      const heap = await sys("brk", 0) as number;
      got.brk = await sys("brk", heap + 48 * MiB) === heap + 48 * MiB;
      const fd = await ltp.SAFE_OPEN("heap", O_CREAT | O_RDWR, 0o600);
      let total = 0, last: number;
      for (let off = 1; (last = await sys("pwrite64", fd, heap, 0xffffffff, off) as number) > 0; off += last) total += last;
      got.total = total;
      got.last = last;
    }, { boot: { mem: 64 * MiB } });
    t.same(got, { brk: true, total: limit - 1, last: -errno }, `${config}: ${limit / MiB} MiB held (less the first byte's offset), then -${errno}`);
    t.ok(Date.now() - start < 10_000, `${config}: in ${Date.now() - start} ms`);
  }
});

t.test("fork copies the address space, copy-on-write; CLONE_VM and MAP_SHARED share it", async (t) => {
  const seen: Record<string, string> = {};
  await clean(t, "defconfig", async () => {
    const priv = await anon(PAGE);
    const shared = await anon(PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
    const heap = ltp.malloc(16);
    const put = (addr: number, s: string) => ltp.pokeString(addr, s);
    const get = (addr: number) => ltp.peekString(addr);
    put(priv, "parent");
    put(shared, "parent");
    put(heap, "parent");
    let release = false;
    const pid = await fork(async () => {
      seen.childSaw = `${get(priv)} ${get(heap)}`;
      put(priv, "child");
      put(heap, "child");
      put(shared, "child");
      while (!release) await ltp.getppid();
      seen.childAfterParentWrote = get(priv);
    });
    // The child runs (and writes) while the parent waits for its first writes...
    while (get(shared) !== "child") await ltp.getppid();
    put(priv, "parent2");
    release = true;
    await statusOf(pid);
    t.equal(seen.childSaw, "parent parent", "the child starts with the parent's data");
    t.equal(get(priv), "parent2", "the child's writes to a private page stay in the child");
    t.equal(get(heap), "parent", "...and to the heap");
    t.equal(seen.childAfterParentWrote, "child", "the parent's writes after fork() stay in the parent");
    t.equal(get(shared), "child", "MAP_SHARED memory is shared across fork()");

    const vm = await ltp.ltp_clone(CLONE_VM | SIGCHLD, () => { put(priv, "clone"); put(heap, "clone"); });
    await statusOf(vm);
    t.equal(get(priv), "clone", "a CLONE_VM child writes the parent's memory");
    t.equal(get(heap), "clone", "...the heap included");
  });
});

t.test("copy_to_user and copy_from_user: EFAULT, and short transfers up to a guard page", async (t) => {
  await clean(t, "defconfig", async () => {
    const fd = await ltp.SAFE_OPEN("data", O_CREAT | O_RDWR, 0o600);
    const src = ltp.malloc(8192);
    ltp.pokeBytes(src, new Uint8Array(8192).fill(0x78));
    t.equal(await sys("write", fd, src, 8192), 8192);
    const g = await anon(2 * PAGE);
    t.equal(await sys("mprotect", g + PAGE, PAGE, PROT_NONE), 0);
    // probe: read 100 into 10 bytes before a PROT_NONE page: 10, offset 10; into it: EFAULT, offset 0;
    // write from 10 bytes before it: 10; from it: EFAULT; read count 0 with a bad buffer: 0
    t.equal(await sys("lseek", fd, 0, SEEK_SET), 0);
    t.equal(await sys("read", fd, g + PAGE - 10, 100), 10, "a read stops at the guard page");
    t.equal(await sys("lseek", fd, 0, SEEK_CUR), 10, "the offset moved by what was copied");
    t.equal(await sys("read", fd, g + PAGE, 100), -EFAULT, "a read into the guard page");
    t.equal(await sys("lseek", fd, 0, SEEK_CUR), 10, "...moves nothing");
    t.equal(await sys("write", fd, g + PAGE - 10, 100), 10, "a write stops at the guard page");
    t.equal(await sys("write", fd, g + PAGE, 100), -EFAULT, "a write from the guard page");
    t.equal(await sys("read", fd, 8, 0), 0, "a read of 0 bytes never touches the buffer");
    // probe: wait4 with the status in a read-only page: EFAULT, then ECHILD
    const ro = await anon(PAGE, PROT_READ);
    const pid = await fork(() => 3);
    await sys("getpid");
    t.equal(await sys("wait4", pid, ro, 0, 0), -EFAULT, "wait4 storing the status in a read-only page");
    t.equal(await sys("wait4", pid, 0, WNOHANG, 0), -ECHILD, "...reaped the child all the same");
    // probe: rusage at address 8: EFAULT with the status stored
    const st = ltp.malloc(4);
    const q = await fork(() => 3);
    t.equal(await sys("wait4", q, st, 0, 8), -EFAULT, "a bad rusage pointer: EFAULT");
    t.equal(ltp.peekInt(st), 0x300, "...after the status was stored");
  });
});

t.test("overcommit: fork() fails with ENOMEM once one private writable area is bigger than the machine", async (t) => {
  const mem = 64 << 20;
  await clean(t, "defconfig", async () => {
    // probe (23.5 GiB of RAM, no swap): 1 GiB mappings merged into one area; fork() failed from 24 GiB on
    const chunk = 24 << 20;
    t.ok(await anon(chunk) > 0 && await anon(chunk) > 0, "two 24 MiB mappings (adjacent: one area)");
    t.ok(await fork(() => 0) > 0, "48 MiB: fork() works");
    t.ok(await anon(chunk) > 0, "a third: one 72 MiB area on a 64 MiB machine");
    t.equal(await ltp.fork(() => 0), -1, "fork() fails");
    t.equal(ltp.errno(), ENOMEM, "...with ENOMEM");
    t.ok(await anon(4 * chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE) > 0, "MAP_NORESERVE memory is not charged");
    t.equal(await anon(mem + PAGE), -ENOMEM, "a single private writable mapping larger than memory: ENOMEM");
    t.ok(await anon(mem + PAGE, PROT_READ) > 0, "a read-only one is not charged");
    t.equal(await anon(mem + PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS), -ENOMEM, "shared memory is charged once, at mmap()");
    await ltp.tst_reap_children();
  }, { boot: { mem } });
});

/* ---- processes ---- */

t.test("wait status encoding: exit codes, signals, the core bit", async (t) => {
  const got: Record<string, number> = {};
  const viaSignal = (sig: number, core: bigint) => async () => {
    await setrlimit(RLIMIT_CORE, core, RLIM_INFINITY);
    await ltp.raise(sig);
    return 99;
  };
  await clean(t, "defconfig", async () => {
    got.exit42 = await statusOf(await fork(() => 42));
    got.exit1ff = await statusOf(await fork(() => ltp._exit(0x1ff)));
    got.term = await statusOf(await fork(viaSignal(SIGTERM, RLIM_INFINITY)));
    got.usr1 = await statusOf(await fork(viaSignal(SIGUSR1, 0n)));
    got.rtmin1 = await statusOf(await fork(viaSignal(33, 0n)));
    got.segv0 = await statusOf(await fork(viaSignal(SIGSEGV, 0n)));
    got.segv4095 = await statusOf(await fork(viaSignal(SIGSEGV, 4095n)));
    got.segv4096 = await statusOf(await fork(viaSignal(SIGSEGV, 4096n)));
    const core = await ltp.open("core", O_RDONLY);
    got.coreSize = core >= 0 ? await sys("lseek", core, 0, SEEK_END) : -1;
    got.abrt = await statusOf(await fork(viaSignal(SIGABRT, RLIM_INFINITY)));
    got.chld = await statusOf(await fork(viaSignal(SIGCHLD, 0n)));
    got.urg = await statusOf(await fork(viaSignal(SIGURG, 0n)));
    got.cont = await statusOf(await fork(viaSignal(SIGCONT, 0n)));
    got.fault = await statusOf(await fork(async () => {
      await setrlimit(RLIMIT_CORE, RLIM_INFINITY, RLIM_INFINITY);
      const p = await anon(PAGE, PROT_READ);
      ltp.pokeInt(p, 1);
    }));
    const killed = await fork(async () => { for (;;) await ltp.getppid(); });
    await ltp.SAFE_KILL(killed, SIGKILL);
    got.kill = await statusOf(killed);
  });
  // probe: 0x2a00, 0xff00, 0xf, 0xa, 0x23 (glibc's SIGRTMIN+1, signal 35), 0xb (RLIMIT_CORE 0, 1, 4095), 0x8b (4096),
  // SIGABRT 0x86, SIGCHLD/SIGURG/SIGCONT ignored (exit 99: 0x6300), a write to PROT_READ: 0xb
  // (0x8b with a core limit), SIGKILL 0x9
  t.equal(got.exit42, 0x2a00, "exit(42)");
  t.equal(got.exit1ff, 0xff00, "only the low 8 bits of the exit code");
  t.equal(got.term, 0xf, "SIGTERM: killed, never a core");
  t.equal(got.usr1, 0xa, "SIGUSR1");
  t.equal(got.rtmin1, 0x21, "a real-time signal terminates");
  t.equal(got.segv0, 0xb, "SIGSEGV with RLIMIT_CORE 0: no core");
  t.equal(got.segv4095, 0xb, "RLIMIT_CORE below a page: no core");
  t.equal(got.segv4096, 0x8b, "RLIMIT_CORE of a page: core dumped (0x80)");
  t.ok(got.coreSize! > 0 && got.coreSize! <= 4096, `a "core" file, cut at RLIMIT_CORE (${got.coreSize} bytes)`);
  t.equal(got.abrt, 0x86, "SIGABRT dumps core");
  t.equal(got.chld, 0x6300, "SIGCHLD is ignored by default");
  t.equal(got.urg, 0x6300, "SIGURG too");
  t.equal(got.cont, 0x6300, "SIGCONT too (nothing is stopped)");
  t.equal(got.fault, 0x8b, "a store to a read-only page: SIGSEGV, core dumped");
  t.equal(got.kill, 0x9, "SIGKILL from the parent");

  // tinyconfig has no CONFIG_COREDUMP: never a core.
  let minimal = -1;
  await clean(t, "minimal", async () => { minimal = await statusOf(await fork(viaSignal(SIGSEGV, RLIM_INFINITY))); });
  t.equal(minimal, 0xb, "without CONFIG_COREDUMP no core is dumped");
});

t.test("waitid: siginfo, WNOWAIT, and the infop it always writes", async (t) => {
  const got: Record<string, any> = {};
  await clean(t, "defconfig", async () => {
    const wid = async (idtype: number, id: number, options: number) => ltp.waitid(idtype, id, options);
    got.none = await wid(P_ALL, 0, WEXITED);
    got.noneErrno = ltp.errno();
    const a = await fork(() => 42);
    got.exited = await wid(P_PID, a, WEXITED);
    got.a = a;
    const b = await fork(async () => { for (;;) await ltp.getppid(); });
    got.running = await wid(P_PID, b, WEXITED | WNOHANG);
    await ltp.SAFE_KILL(b, SIGTERM);
    got.peek = await wid(P_PID, b, WEXITED | WNOWAIT);
    got.killed = await wid(P_ALL, 0, WEXITED);
    got.b = b;
    const c = await fork(async () => { await setrlimit(RLIMIT_CORE, RLIM_INFINITY, RLIM_INFINITY); await ltp.raise(SIGSEGV); });
    got.dumped = await wid(P_PID, c, WEXITED);
    got.c = c;
    // probe: no options, a bad option, idtype 7, P_PID 0 or -5: EINVAL; a bad infop: EFAULT even where
    // the result would be ECHILD, and the child is reaped
    got.noOptions = await sys("waitid", P_ALL, 0, 0, 0, 0);
    got.badOption = await sys("waitid", P_ALL, 0, 0, WEXITED | 0x10, 0);
    got.badType = await sys("waitid", 7, 0, 0, WEXITED, 0);
    got.pid0 = await sys("waitid", P_PID, 0, 0, WEXITED, 0);
    got.pidNeg = await sys("waitid", P_PID, -5, 0, WEXITED, 0);
    got.echildBadInfop = await sys("waitid", P_ALL, 0, 8, WEXITED, 0);
    const d = await fork(() => 1);
    got.badInfop = await sys("waitid", P_PID, d, 8, WEXITED, 0);
    got.afterBadInfop = await sys("waitid", P_PID, d, 0, WEXITED | WNOHANG, 0);
  });
  // probe: no children: ECHILD, every field 0 (written over 0x55 bytes); WNOHANG alive: 0, fields 0;
  // SIGTERM: code 2 status 15 (also with WNOWAIT, then again); exit(42): code 1 status 42; SIGSEGV
  // with a core: code 3 status 11
  t.same([got.none.ret, got.noneErrno, got.none.info], [-1, ECHILD, { si_signo: 0, si_code: 0, si_pid: 0, si_uid: 0, si_status: 0 }], "ECHILD, and the siginfo zeroed");
  t.same(got.exited, { ret: 0, info: { si_signo: SIGCHLD, si_code: CLD_EXITED, si_pid: got.a, si_uid: 0, si_status: 42 } }, "CLD_EXITED with the exit code");
  t.same(got.running.info, { si_signo: 0, si_code: 0, si_pid: 0, si_uid: 0, si_status: 0 }, "WNOHANG with the child alive: a zeroed siginfo");
  t.equal(got.running.ret, 0);
  t.same(got.peek.info, { si_signo: SIGCHLD, si_code: CLD_KILLED, si_pid: got.b, si_uid: 0, si_status: SIGTERM }, "WNOWAIT reports CLD_KILLED...");
  t.same(got.killed.info, got.peek.info, "...and leaves the zombie for the next wait");
  t.same(got.dumped.info, { si_signo: SIGCHLD, si_code: CLD_DUMPED, si_pid: got.c, si_uid: 0, si_status: SIGSEGV }, "CLD_DUMPED");
  t.same([got.noOptions, got.badOption, got.badType, got.pid0, got.pidNeg], [-EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL], "EINVAL for options and ids");
  t.equal(got.echildBadInfop, -EFAULT, "a bad infop makes ECHILD an EFAULT");
  t.equal(got.badInfop, -EFAULT, "a bad infop: EFAULT");
  t.equal(got.afterBadInfop, -ECHILD, "...and the child was reaped");
});

t.test("SIGCHLD to the parent; SIG_IGN and SA_NOCLDWAIT reap at once", async (t) => {
  const got: Record<string, any> = {};
  await clean(t, "defconfig", async () => {
    const pending = async () => ltp.sigismember((await ltp.sigpending()) as bigint, SIGCHLD);
    await ltp.sigprocmask(SIG_BLOCK, ltp.sigmask(SIGCHLD));
    const a = await fork(() => 0);
    while ((await sys("kill", a, 0)) === 0 && !(await pending())) await ltp.getppid();
    got.pendingAfterExit = await pending();
    await statusOf(a);
    got.pendingAfterReap = await pending();
    await ltp.sigprocmask(SIG_UNBLOCK, ltp.sigmask(SIGCHLD));
    got.pendingAfterUnblock = await pending();

    await ltp.signal(SIGCHLD, SIG_IGN);
    const b = await fork(async () => { for (let i = 0; i < 200; i++) await ltp.getppid(); });
    got.waitIgnored = await sys("wait4", -1, 0, 0, 0);
    got.killReaped = await sys("kill", b, 0);
    await ltp.sigprocmask(SIG_BLOCK, ltp.sigmask(SIGCHLD));
    await statusOrNothing(await fork(() => 0));
    got.pendingIgnored = await pending();
    await ltp.sigprocmask(SIG_UNBLOCK, ltp.sigmask(SIGCHLD));

    await ltp.sigaction(SIGCHLD, { handler: SIG_DFL, flags: SA_NOCLDWAIT });
    await ltp.sigprocmask(SIG_BLOCK, ltp.sigmask(SIGCHLD));
    await statusOrNothing(await fork(() => 0));
    got.pendingNocldwait = await pending();
    got.waitNocldwait = await sys("wait4", -1, 0, WNOHANG, 0);
    await ltp.sigaction(SIGCHLD, { handler: SIG_DFL });

    // A child cloned with exit signal SIGUSR1 kills its parent (not init) when it exits.
    const parent = await fork(async () => {
      await ltp.ltp_clone(SIGUSR1, () => 0);
      for (;;) await ltp.getppid();
    });
    got.usr1Parent = await statusOf(parent);
    await sys("wait4", -1, 0, __WALL | WNOHANG, 0);
  });
  // probe: blocked SIGCHLD: pending after the child exited, still after reaping, gone once unblocked;
  // SIG_IGN: waitpid() blocked until the child exited, then ECHILD; kill(child, 0): ESRCH; SIG_IGN and
  // blocked: never pending; SA_NOCLDWAIT: pending, and waitpid(WNOHANG) ECHILD; the parent of a
  // clone(SIGUSR1) child: killed, 0xa
  t.ok(got.pendingAfterExit, "a blocked SIGCHLD is pending after the child's exit");
  t.ok(got.pendingAfterReap, "...and after reaping it");
  t.notOk(got.pendingAfterUnblock, "unblocked, the ignored-by-default signal is discarded");
  t.equal(got.waitIgnored, -ECHILD, "SIG_IGN: wait blocks until the child is gone, then ECHILD");
  t.equal(got.killReaped, -ESRCH, "...no zombie was left");
  t.notOk(got.pendingIgnored, "SIG_IGN: no SIGCHLD is sent at all");
  t.ok(got.pendingNocldwait, "SA_NOCLDWAIT: SIGCHLD is sent");
  t.equal(got.waitNocldwait, -ECHILD, "...but the child was reaped at once");
  t.equal(got.usr1Parent, SIGUSR1, "a clone child's exit signal SIGUSR1 kills its parent");
});

/** Waits until the child is gone (reaped by the kernel or not). */
async function statusOrNothing(pid: number): Promise<void> {
  while ((await sys("kill", pid, 0)) === 0) {
    if ((await sys("wait4", pid, 0, WNOHANG, 0)) === pid) return;
    await ltp.getppid();
  }
}

t.test("kill, the signal mask, dispositions", async (t) => {
  const got: Record<string, number | boolean> = {};
  const r = await clean(t, "defconfig", async (target) => {
    const me = await ltp.getpid();
    // probe: sig 65: EINVAL; -1: EINVAL; a pid nobody has: ESRCH (before a bad signal); a zombie: 0
    got.sig65 = await sys("kill", me, 65);
    got.sigNeg = await sys("kill", me, -1);
    got.nobody = await sys("kill", 4194304, 0);
    got.nobody65 = await sys("kill", 4194304, 65);
    const z = await fork(() => 0);
    while ((await ltp.waitid(P_PID, z, WEXITED | WNOHANG | WNOWAIT)).info.si_pid !== z) await ltp.getppid();
    got.zombie = await sys("kill", z, SIGTERM);
    got.zombieStatus = await statusOf(z);
    // probe (a child of pid 1 in a new pid namespace): kill(1, SIGKILL), SIGTERM, SIGUSR1: 0 each,
    // and init lived on
    got.init = await sys("kill", 1, SIGKILL);
    got.initAlive = (await sys("kill", 1, 0)) === 0;
    // probe: a SIGTERM sent while blocked killed the process when unblocked (0xf)
    got.blocked = await statusOf(await fork(async () => {
      await ltp.sigprocmask(SIG_BLOCK, ltp.sigmask(SIGTERM));
      await ltp.raise(SIGTERM);
      if (!ltp.sigismember((await ltp.sigpending()) as bigint, SIGTERM)) return 1;
      await ltp.sigprocmask(SIG_UNBLOCK, ltp.sigmask(SIGTERM));
      return 2;
    }));
    // probe: sigfillset() blocks neither SIGKILL nor SIGSTOP
    const all = await ltp.sigprocmask(SIG_BLOCK, 2n ** 64n - 1n);
    const now = (await ltp.sigprocmask(SIG_BLOCK, 0n)) as bigint;
    got.killBlocked = ltp.sigismember(now, SIGKILL) || ltp.sigismember(now, 19);
    got.oldMaskEmpty = all === 0n;
    await ltp.sigprocmask(2 /* SIG_SETMASK */, 0n);
    // probe: sigaction(SIGKILL) with SIG_DFL or SIG_IGN: EINVAL, a query: 0; sigsetsize 4: EINVAL;
    // rt_sigprocmask how 5: EINVAL (0 without a set); rt_sigpending size 4: 0, bad pointer: EFAULT
    got.actKill = (await ltp.sigaction(SIGKILL, { handler: SIG_IGN })) === -1 ? -ltp.errno() : 0;
    got.queryKill = (await ltp.sigaction(SIGKILL, null)) === -1 ? -ltp.errno() : 0;
    got.actSize = await sys("rt_sigaction", SIGTERM, 0, 0, 4);
    const set = ltp.malloc(8);
    got.how5 = await sys("rt_sigprocmask", 5, set, 0, 8);
    got.how5NoSet = await sys("rt_sigprocmask", 5, 0, 0, 8);
    got.pend4 = await sys("rt_sigpending", set, 4);
    got.pendBad = await sys("rt_sigpending", 8, 8);
    // kill across users: EPERM (kill_ok_by_cred), unless the target is one's own
    const victim = await fork(async () => { for (;;) await ltp.getppid(); });
    got.eperm = await statusOf(await fork(async () => {
      // What setuid(1000) would do (not emulated yet): the child's credentials change.
      commitCreds(target.kernel.sched.current, userCred(1000));
      return -(await sys("kill", victim, SIGTERM));
    }));
    await ltp.SAFE_KILL(victim, SIGKILL);
    await statusOf(victim);
  });
  t.same([got.sig65, got.sigNeg], [-EINVAL, -EINVAL], "invalid signals: EINVAL");
  t.same([got.nobody, got.nobody65], [-ESRCH, -ESRCH], "no such process: ESRCH, before the signal is checked");
  t.equal(got.zombie, 0, "a zombie can be signalled");
  t.equal(got.zombieStatus, 0, "...to no effect");
  t.equal(got.init, 0, "kill(1, SIGKILL) succeeds");
  t.ok(got.initAlive, "...but init ignores signals it has no handler for");
  t.equal(got.blocked, 0xf, "a blocked SIGTERM kills once unblocked");
  t.notOk(got.killBlocked, "SIGKILL and SIGSTOP cannot be blocked");
  t.ok(got.oldMaskEmpty, "the old mask is returned");
  t.same([got.actKill, got.queryKill, got.actSize], [-EINVAL, 0, -EINVAL], "sigaction: SIGKILL cannot be changed, only queried; sigsetsize must be 8");
  t.same([got.how5, got.how5NoSet, got.pend4, got.pendBad], [-EINVAL, 0, 0, -EFAULT], "rt_sigprocmask and rt_sigpending checks");
  t.equal(got.eperm, (EPERM << 8), "an unprivileged user may not signal another's process");
  t.notOk(r.messages.some((m) => m.startsWith("1 ")), "nothing failed");
});

t.test("a process killed in its sleep: its own exit wakes the pipe it sleeps on, and it stays dead", async (t) => {
  // The kill(-1, SIGKILL) then read() on an empty pipe of the issue: the child killed while
  // asleep in pipe_read() holds the pipe's last writer, so its exit_files() wakes the queue it
  // sleeps on. That wakeup once put the dying task back on the run queue with nothing to resume
  // (TypeError: resume is not a function in Scheduler.switchFrom, an oops at the next switch).
  for (const config of ["defconfig", "riscv64", "minimal"]) {
    const got: Record<string, number> = {};
    await clean(t, config, async () => {
      const fds = ltp.malloc(8);
      await sys("pipe2", fds, 0);
      const [rfd, wfd] = [ltp.peekInt(fds), ltp.peekInt(fds + 4)];
      const buf = ltp.malloc(16);
      const sleeper = await fork(async () => { await sys("read", rfd, buf, 10); return 1; });
      await ltp.close(rfd);
      await ltp.close(wfd);
      for (let i = 0; i < 64; i++) await ltp.getppid();
      got.kill = await sys("kill", sleeper, SIGKILL);
      got.status = await statusOf(sleeper);
    });
    t.same(got, { kill: 0, status: SIGKILL }, `${config}: killed in pipe_read, reaped with SIGKILL, no oops`);
    // kill(-1, SIGKILL) from a child, which then sleeps on the pipe: it kills every process but
    // init and itself (the test process too, which LTP reports), and the library kills it.
    const r = await runBody(config, async () => {
      const p = ltp.malloc(8);
      await sys("pipe2", p, 0);
      await fork(async () => {
        await sys("kill", -1, SIGKILL);
        await sys("read", ltp.peekInt(p), p, 4);
      });
      for (;;) await ltp.getppid();
    });
    t.same(r.target.faults(), [], `${config}: kill(-1, SIGKILL), then read() on an empty pipe: no oops`);
    t.ok(r.messages.includes("2 Test killed! (timeout?)"), `${config}: the test process was killed (${r.messages.join("; ")})`);
  }
});

t.test("zombies and orphans: reparented to init, exit signal reset to SIGCHLD", async (t) => {
  const got: Record<string, number> = {};
  await clean(t, "defconfig", async () => {
    const parentPid = await ltp.getpid();
    // probe (a subreaper standing in for init): a grandchild cloned with SIGUSR1 whose parent exited:
    // the new parent got SIGCHLD, not SIGUSR1, and a plain waitpid() reaped it
    let started = false;
    const middle = await fork(async () => {
      got.grandchild = await ltp.ltp_clone(SIGUSR1, async () => {
        got.before = await ltp.getppid();
        started = true;
        while ((await ltp.getppid()) === got.before) await ltp.getpid();
        got.after = await ltp.getppid();
        return 6;
      });
      // The orphan-to-be must have seen its parent before the parent goes.
      while (!started) await ltp.getpid();
    });
    while ((await ltp.waitid(P_PID, middle, WEXITED | WNOHANG | WNOWAIT)).info.si_pid !== middle) await ltp.getppid();
    got.zombieAlive = await sys("kill", middle, 0);
    got.middleStatus = await statusOf(middle);
    got.zombieExists = await sys("kill", middle, 0);
    while (got.after === undefined) await ltp.getpid();
    got.me = parentPid;
    got.middle = middle;
  });
  t.equal(got.zombieAlive, 0, "an exited child stays, a zombie, until it is reaped");
  t.equal(got.middleStatus, 0, "the middle process exits");
  t.equal(got.before, got.middle, "the orphan's getppid() was its parent");
  t.equal(got.after, 1, "then init");
  t.equal(got.zombieExists, -ESRCH, "a reaped zombie is gone");
  // The library's init reaps every orphan at the end; a clone child reparented with SIGUSR1
  // would need __WALL, with SIGCHLD a plain wait does it (the run above ended cleanly).
});

t.test("clone and clone3: the validity rules", async (t) => {
  const got: Record<string, number> = {};
  await clean(t, "defconfig", async () => {
    const clone = (flags: number, ptid = 0, ctid = 0) => sys("clone", flags, 0, ptid, ctid, 0);
    // probe: SIGHAND w/o VM: EINVAL; THREAD w/o SIGHAND: EINVAL
    got.sighand = await clone(CLONE_SIGHAND | SIGCHLD);
    got.thread = await clone(CLONE_THREAD | CLONE_VM | SIGCHLD);
    // probe: CLONE_PARENT_SETTID and CLONE_CHILD_SETTID with address 8: the child is created
    got.parentSettid = await clone(CLONE_PARENT_SETTID | SIGCHLD, 8);
    got.childSettid = await clone(CLONE_CHILD_SETTID | SIGCHLD, 0, 8);
    const args = ltp.malloc(128);
    const clone3 = (fields: Record<number, number | bigint>, size = 88, at = args) => {
      ltp.pokeBytes(at, new Uint8Array(size));
      for (const [off, v] of Object.entries(fields)) ltp.pokeU64(at + Number(off), v);
      return sys("clone3", at, size);
    };
    // struct clone_args: flags 0, pidfd 8, child_tid 16, parent_tid 24, exit_signal 32, stack 40,
    // stack_size 48, tls 56, set_tid 64, set_tid_size 72, cgroup 80
    got.size63 = await clone3({ 32: SIGCHLD }, 63);
    got.size4097 = await sys("clone3", 8, 4097);
    got.badPtr = await sys("clone3", 8, 64);
    ltp.pokeBytes(args, new Uint8Array(128));
    ltp.pokeU64(args + 32, SIGCHLD);
    ltp.pokeBytes(args + 100, new Uint8Array([1]));
    got.trailing = await sys("clone3", args, 128);
    got.sig65 = await clone3({ 32: 65 });
    got.sigHigh = await clone3({ 32: 0x100000000 + SIGCHLD });
    got.threadSig = await clone3({ 0: CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, 32: SIGCHLD });
    got.parentSig = await clone3({ 0: CLONE_PARENT, 32: SIGCHLD });
    got.detached = await clone3({ 0: CLONE_DETACHED, 32: SIGCHLD });
    got.clearSighand = await clone3({ 0: CLONE_CLEAR_SIGHAND + CLONE_SIGHAND + CLONE_VM, 32: SIGCHLD });
    got.bit40 = await clone3({ 0: 2 ** 40, 32: SIGCHLD });
    got.stackNoSize = await clone3({ 32: SIGCHLD, 40: 0x1000 });
    got.sizeNoStack = await clone3({ 32: SIGCHLD, 48: 0x1000 });
    got.setTidSizeOnly = await clone3({ 32: SIGCHLD, 72: 1 });
    got.cgroup = await clone3({ 0: CLONE_INTO_CGROUP, 32: SIGCHLD, 80: 0 });
    // probe: set_tid of a free pid below pid_max: that pid; taken: EEXIST; 0 or 2^23: EINVAL; size 2: EINVAL
    const tid = ltp.malloc(8);
    ltp.pokeInt(tid, 30000);
    got.setTid = await clone3({ 32: SIGCHLD, 64: tid, 72: 1 });
    ltp.pokeInt(tid, await ltp.getpid());
    got.setTidTaken = await clone3({ 32: SIGCHLD, 64: tid, 72: 1 });
    ltp.pokeInt(tid, 0);
    got.setTidZero = await clone3({ 32: SIGCHLD, 64: tid, 72: 1 });
    got.setTidTwo = await clone3({ 32: SIGCHLD, 64: tid, 72: 2 });
    got.v0 = await clone3({ 32: SIGCHLD }, 64);
    while ((await sys("wait4", -1, 0, __WALL, 0)) > 0);
  });
  t.same([got.sighand, got.thread], [-EINVAL, -EINVAL], "CLONE_SIGHAND needs CLONE_VM; CLONE_THREAD needs CLONE_SIGHAND");
  t.ok(got.parentSettid! > 0 && got.childSettid! > 0, "bad tid pointers do not fail the clone");
  t.same([got.size63, got.size4097, got.badPtr, got.trailing], [-EINVAL, -E2BIG, -EFAULT, -E2BIG], "clone3: the size and the struct");
  t.same([got.sig65, got.sigHigh, got.threadSig, got.parentSig, got.detached, got.clearSighand, got.bit40, got.stackNoSize, got.sizeNoStack, got.setTidSizeOnly],
    Array(10).fill(-EINVAL), "clone3: EINVAL for each invalid combination");
  t.equal(got.cgroup, -EBADF, "CLONE_INTO_CGROUP with a descriptor that is no cgroup: EBADF");
  t.equal(got.setTid, 30000, "set_tid picks the pid");
  t.same([got.setTidTaken, got.setTidZero, got.setTidTwo], [-EEXIST, -EINVAL, -EINVAL], "set_tid: taken, out of range, too many levels");
  t.ok(got.v0! > 0, "a version 0 (64-byte) struct works");
});

t.test("the limits fork meets: RLIMIT_NPROC, pid_max, threads-max", async (t) => {
  const got: Record<string, any> = {};
  await clean(t, "defconfig", async (target) => {
    const rl = await ltp.getrlimit(RLIMIT_NPROC);
    got.nproc = rl;
    got.nofile = await ltp.getrlimit(RLIMIT_NOFILE);
    got.core = await ltp.getrlimit(RLIMIT_CORE);
    got.stack = await ltp.getrlimit(RLIMIT_STACK);
    // probe (uid 65534, RLIMIT_NPROC 2): one unreaped child: EAGAIN; reaped: fork works
    got.user = await statusOf(await fork(async () => {
      if (await setrlimit(RLIMIT_NPROC, 2n, 2n)) return 10;
      // What setuid(65534) would do (not emulated yet): the process counts for uid 65534 now.
      commitCreds(target.kernel.sched.current, userCred(65534));
      const z = await ltp.fork(() => 0);
      while ((await ltp.waitid(P_PID, z, WEXITED | WNOHANG | WNOWAIT)).info.si_pid !== z) await ltp.getppid();
      if ((await ltp.fork(() => 0)) !== -1 || ltp.errno() !== EAGAIN) return 11;
      await statusOf(z);
      const ok = await ltp.fork(() => 0);
      if (ok <= 0) return 12;
      await statusOf(ok);
      // probe: raising a hard limit without privilege: EPERM
      return (await setrlimit(RLIMIT_NPROC, 3n, 3n)) === -EPERM ? 0 : 13;
    }));
    // probe: cur > max: EINVAL; NOFILE max 2^20+1: EPERM; resource 16: EINVAL; bad pointer: EFAULT
    got.curOverMax = await setrlimit(RLIMIT_NOFILE, 10n, 5n);
    got.nrOpen = await setrlimit(RLIMIT_NOFILE, 5n, (1n << 20n) + 1n);
    got.res16 = await sys("getrlimit", 16, 8);
    got.badPtr = await sys("setrlimit", RLIMIT_NOFILE, 8);
    got.prlimitNobody = await sys("prlimit64", 4194304, RLIMIT_NOFILE, 0, ltp.malloc(16));
  });
  t.same(got.nproc, { rlim_cur: 8192n, rlim_max: 8192n }, "RLIMIT_NPROC: half of threads-max (2 GiB / 128 KiB)");
  t.same(got.nofile, { rlim_cur: 1024n, rlim_max: 4096n }, "RLIMIT_NOFILE: INR_OPEN_CUR, INR_OPEN_MAX");
  t.same(got.core, { rlim_cur: 0n, rlim_max: RLIM_INFINITY }, "RLIMIT_CORE: 0, unlimited");
  t.same(got.stack, { rlim_cur: 8n << 20n, rlim_max: RLIM_INFINITY }, "RLIMIT_STACK: 8 MiB");
  t.equal(got.user, 0, "RLIMIT_NPROC counts zombies for a non-root user; raising the hard limit is EPERM");
  t.same([got.curOverMax, got.nrOpen, got.res16, got.badPtr, got.prlimitNobody], [-EINVAL, -EPERM, -EINVAL, -EFAULT, -ESRCH], "setrlimit/getrlimit/prlimit64 errors");

  // pid_max 305: pids 3..304 held by zombies, then alloc_pid() has none to give.
  let pidMax: Record<string, number> = {};
  await clean(t, "defconfig", async () => {
    const pids: number[] = [];
    for (;;) {
      const p = await ltp.fork(() => 0);
      if (p === -1) { pidMax.errno = ltp.errno(); break; }
      pids.push(p);
    }
    pidMax.count = pids.length;
    await ltp.tst_reap_children();
    pidMax.after = await ltp.fork(() => 0);
    await ltp.tst_reap_children();
  }, { boot: { pidMax: 305 } });
  t.equal(pidMax.count, 302, "302 children (pids 3..304) fit below pid_max 305");
  t.equal(pidMax.errno, EAGAIN, "then fork() fails with EAGAIN");
  t.equal(pidMax.after, 300, "after reaping, the pids wrap to RESERVED_PIDS (300)");

  // 20 MiB of memory: threads-max is 160 (an eighth of it in 16 KiB kernel stacks), for root too.
  const threads: Record<string, number> = {};
  await clean(t, "defconfig", async () => {
    let n = 0;
    while ((await ltp.fork(() => 0)) > 0) n++;
    threads.errno = ltp.errno();
    threads.count = n;
    await ltp.tst_reap_children();
  }, { boot: { mem: 20 << 20 } });
  t.equal(threads.count, 158, "160 tasks in all: init, the test process and 158 children");
  t.equal(threads.errno, EAGAIN, "then EAGAIN");
});

t.test("open file descriptions across fork: offset and status flags shared, descriptors not", async (t) => {
  const got: Record<string, number> = {};
  await clean(t, "defconfig", async () => {
    const fd = await ltp.SAFE_OPEN("f", O_CREAT | O_RDWR, 0o600);
    const buf = ltp.malloc(16);
    ltp.pokeString(buf, "0123456789");
    await ltp.SAFE_WRITE(true, fd, buf, 10);
    await statusOf(await fork(async () => {
      await sys("lseek", fd, 3, SEEK_SET);
      await sys("fcntl", fd, F_SETFL, O_APPEND);
      await sys("fcntl", fd, F_SETFD, 1);
      await sys("close", fd);
    }));
    got.offset = await sys("lseek", fd, 0, SEEK_CUR);
    got.flags = await sys("fcntl", fd, F_GETFL);
    got.fdflags = await sys("fcntl", fd, F_GETFD);
    got.read = await sys("read", fd, buf, 1);
    got.char = ltp.peekBytes(buf, 1)[0]!;
    // probe: F_DUPFD -1 or 2^20: EINVAL; F_DUPFD 100: 100; F_SETFD 0xff: F_GETFD 1; command 9999: EINVAL;
    // read on O_WRONLY, write on O_RDONLY: EBADF; lseek whence 7 or to a negative offset: EINVAL
    got.dupNeg = await sys("fcntl", fd, F_DUPFD, -1);
    got.dupBig = await sys("fcntl", fd, F_DUPFD, 1 << 20);
    got.dup100 = await sys("fcntl", fd, F_DUPFD, 100);
    await sys("fcntl", fd, F_SETFD, 0xff);
    got.fdflags2 = await sys("fcntl", fd, F_GETFD);
    got.badCmd = await sys("fcntl", fd, 9999);
    const wo = await ltp.SAFE_OPEN("f", O_WRONLY);
    const ro = await ltp.SAFE_OPEN("f", O_RDONLY);
    got.readWo = await sys("read", wo, buf, 1);
    got.writeRo = await sys("write", ro, buf, 1);
    got.whence = await sys("lseek", fd, 0, 7);
    got.negative = await sys("lseek", fd, -1, SEEK_SET);
    got.end = await sys("lseek", fd, 10, SEEK_END);
    // RLIMIT_NOFILE: EMFILE at the limit, for the child too
    await setrlimit(RLIMIT_NOFILE, 8n, 4096n);
    let opened = 0;
    while ((await ltp.open("f", O_RDONLY)) >= 0) opened++;
    got.emfile = ltp.errno();
    got.childEmfile = await statusOf(await fork(async () => ((await sys("dup", fd)) === -EMFILE ? 0 : 1)));
    got.opened = opened;
  });
  t.equal(got.offset, 3, "the child's lseek moved the parent's offset");
  t.equal(got.flags, O_RDWR | O_APPEND | O_LARGEFILE, "the child's F_SETFL O_APPEND shows in the parent (probe: 0x8402)");
  t.equal(got.fdflags, 0, "close-on-exec is per descriptor table (probe: 0)");
  t.equal(got.read, 1, "the child's close() left the parent's descriptor open");
  t.equal(got.char, "3".charCodeAt(0), "reading from the shared offset");
  t.same([got.dupNeg, got.dupBig, got.dup100, got.fdflags2, got.badCmd], [-EINVAL, -EINVAL, 100, 1, -EINVAL], "fcntl");
  t.same([got.readWo, got.writeRo, got.whence, got.negative, got.end], [-EBADF, -EBADF, -EINVAL, -EINVAL, 20], "read, write and lseek checks");
  t.equal(got.emfile, EMFILE, "EMFILE at RLIMIT_NOFILE");
  t.equal(got.childEmfile, 0, "the child has the same table and limit");
});

/* ---- nommu and riscv64 ---- */

t.test("without an MMU: sys_fork is EINVAL, clone without CLONE_VM makes an empty mm over the one memory", async (t) => {
  const got: Record<string, any> = {};
  await clean(t, "nommu", async (target) => {
    const kernel = target.kernel;
    const data = ltp.malloc(8);
    ltp.pokeInt(data, 1);
    // kernel/fork.c: sys_fork() is "can not support in nommu mode" -EINVAL (riscv64 has no number for it)
    got.forkHandler = await linkedHandler(kernel.linked, "fork")(kernel.sched.current, 0, 0, 0, 0, 0, 0);
    // kernel/fork.c dup_mmap() for !CONFIG_MMU copies no areas: clone(SIGCHLD) succeeds with an mm of
    // none; the child addresses the same memory as its parent (no MMU to tell them apart).
    const parentMm = kernel.sched.current.mm;
    const pid = await ltp.ltp_clone(SIGCHLD, () => {
      const me = kernel.sched.current;
      got.childAreas = me.mm.vmas.length;
      got.sameMm = me.mm === parentMm;
      got.childRead = ltp.peekInt(data);
      ltp.pokeInt(data, 2);
    });
    got.clonePid = pid;
    await statusOf(pid);
    got.parentSees = ltp.peekInt(data);
    // vfork works (riscv64: clone(CLONE_VM|CLONE_VFORK|SIGCHLD)), the parent resumes after the child
    const order: string[] = [];
    const v = await ltp.vfork(async () => {
      for (let i = 0; i < 100; i++) await ltp.getpid();
      order.push("child");
    });
    order.push("parent");
    got.vforkOrder = order.join(",");
    await statusOf(v);
    got.libcFork = await ltp.fork(() => 0);
    got.libcForkErrno = ltp.errno();
    // mm/nommu.c: MAP_FIXED is refused; mprotect is not built (ENOSYS)
    got.fixed = await anon(PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0x20000000);
    got.anon = await anon(PAGE);
    got.mprotect = await sys("mprotect", got.anon, PAGE, PROT_READ);
    got.munmapPart = await sys("munmap", got.anon + PAGE, PAGE);
    got.brk = [await sys("brk", 0), await sys("brk", (await sys("brk", 0)) + PAGE)];
  });
  t.equal(got.forkHandler, -EINVAL, "sys_fork() answers EINVAL");
  t.ok(got.clonePid > 0, "clone(SIGCHLD) succeeds");
  t.equal(got.childAreas, 0, "the child's mm has no areas (dup_mmap() without an MMU)");
  t.equal(got.sameMm, false, "it is a different mm");
  t.equal(got.childRead, 1, "yet the child reads its parent's memory");
  t.equal(got.parentSees, 2, "and its writes land there: there is one memory");
  t.equal(got.vforkOrder, "child,parent", "vfork() works");
  t.same([got.libcFork, got.libcForkErrno], [-1, ENOSYS], "the C library's fork() is a stub (uClibc: ENOSYS)");
  t.equal(got.fixed, -EINVAL, "MAP_FIXED: EINVAL");
  t.ok(got.anon > 0, "anonymous mmap works");
  t.equal(got.mprotect, -ENOSYS, "no mprotect without an MMU");
  t.equal(got.munmapPart, -EINVAL, "munmap of a range that is no part of a region: EINVAL");
  t.equal(got.brk[1], got.brk[0], "the break cannot grow");

  // The test API's fork: TCONF naming CONFIG_MMU.
  const tconf = await run("nommu", async () => { await ltp.SAFE_FORK(() => 0); ltp.tst_res(ltp.TPASS, "unreachable"); });
  t.same(tconf.outcome.lines.map((l: any) => [l.type, l.category]), [[32, "not-configured"]], "SAFE_FORK without an MMU: TCONF, not-configured");
  t.match(tconf.outcome.lines[0].message, /CONFIG_MMU is not set/, "naming CONFIG_MMU");
  t.equal(resolveSyscall(linked("nommu"), "mprotect").category, "not-configured", "the resolver: mprotect not configured (mm/mprotect.c needs CONFIG_MMU)");
});

t.test("riscv64: no fork syscall; the test API forks with clone(SIGCHLD)", async (t) => {
  const res = resolveSyscall(linked("riscv64"), "fork");
  t.equal(res.category, "no-entry", "fork has no entry in the riscv64 table");
  t.equal(res.evidence.instead, "clone(SIGCHLD)", "the resolver points at clone(SIGCHLD)");
  const got: Record<string, number> = {};
  await clean(t, "riscv64", async () => {
    got.raw = await sys("fork");
    got.child = await statusOf(await ltp.SAFE_FORK(() => 7));
  });
  t.equal(got.raw, -ENOSYS, "a raw fork: ENOSYS");
  t.equal(got.child, 7 << 8, "SAFE_FORK works through clone");
});

/* ---- the test API ---- */

t.test("environment and argv are the process's memory: inherited by fork, changed privately", async (t) => {
  const got: Record<string, any> = {};
  await clean(t, "defconfig", async () => {
    got.argv = ltp.argv();
    got.path = ltp.getenv("PATH");
    got.missing = ltp.getenv("NOPE");
    got.bad = [ltp.setenv("A=B", "x", 1), ltp.errno(), ltp.setenv("", "x", 1)];
    ltp.SAFE_SETENV("K", "parent", 1);
    got.child = await statusOf(await fork(() => {
      if (ltp.getenv("K") !== "parent" || ltp.getenv("PATH") !== got.path) return 1;
      ltp.SAFE_SETENV("K", "child", 1);
      ltp.unsetenv("PATH");
      ltp.putenv("NEW=1");
      return ltp.getenv("K") === "child" && ltp.getenv("PATH") === null && ltp.getenv("NEW") === "1" ? 0 : 2;
    }));
    got.after = [ltp.getenv("K"), ltp.getenv("PATH") !== null, ltp.getenv("NEW")];
    ltp.setenv("K", "kept", 0);
    got.noOverwrite = ltp.getenv("K");
  }, { args: ["-x", "7"], desc: { options: { "x:": "a value" } } });
  t.same(got.argv, ["body01", "-x", "7"], "argv: the tid and the runtest arguments, from the stack");
  t.match(got.path, /\/bin/, "the environment exec put on the stack");
  t.equal(got.missing, null);
  t.same(got.bad, [-1, EINVAL, -1], "setenv: EINVAL for a name with '=' or an empty one");
  t.equal(got.child, 0, "the child inherits the environment and changes its copy");
  t.same(got.after, ["parent", true, null], "the parent's environment is untouched");
  t.equal(got.noOverwrite, "parent", "setenv without overwrite keeps a value");
});

t.test("options: declared as in LTP, parsed from the runtest line", async (t) => {
  const seen: Record<string, any> = {};
  const desc = { options: { "n:": "Number of processes", "v": "Verbose" } };
  const body = async () => {
    seen.n = ltp.tst_option("n");
    seen.v = ltp.tst_option("v");
    seen.parsed = ltp.tst_parse_int(seen.n, 1, 2147483647);
    ltp.tst_res(ltp.TPASS, "ok");
  };
  await clean(t, "defconfig", body, { args: ["-n", "1000"], desc });
  t.same([seen.n, seen.v, seen.parsed], ["1000", undefined, { ret: 0, value: 1000 }], "-n 1000");
  await clean(t, "defconfig", body, { args: ["-vn7"], desc });
  t.same([seen.n, seen.v], ["7", ""], "-vn7: a flag and a value in one word");
  await clean(t, "defconfig", body, { desc });
  t.same([seen.n, seen.parsed], [undefined, { ret: 0 }], "not given: the default stays");
  t.same(ltp.tst_parse_int("12x", 1, 10), { ret: EINVAL }, "tst_parse_int: EINVAL for junk");
  t.same(ltp.tst_parse_int("12", 1, 10), { ret: 34 }, "ERANGE outside the range");
  const bad = await run("defconfig", body, { args: ["-q"], desc });
  t.same(bad.messages, ["16 invalid option -- 'q'", "16 -n <value>\tNumber of processes", "16 -v\tVerbose", "2 Invalid option"], "an unknown option: the usage and TBROK");
  const missing = await run("defconfig", body, { args: ["-n"], desc });
  t.match(missing.messages[0], /option requires an argument -- 'n'/, "a value missing");
  t.throws(() => defineTest({ options: { "nn:": "x" }, test_all() {} } as any), "option keys are one character");
});

t.test("guarded buffers: an overrun is a segmentation fault", async (t) => {
  const child = await run("defconfig", async () => {
    const buf = await ltp.tst_alloc(10);
    ltp.pokeBytes(buf, new Uint8Array(10));
    ltp.tst_res(ltp.TPASS, "10 bytes fit");
    await ltp.SAFE_FORK(async () => { ltp.pokeBytes(buf, new Uint8Array(11)); });
  });
  t.match(child.messages.join("\n"), /0 10 bytes fit\n[^]*2 Child \(\d+\) killed by signal SIGSEGV/, "a child writing past the end: killed by SIGSEGV");
  t.same(child.target.faults(), [], "a fault, not an oops");
  const test = await run("defconfig", async () => {
    const s = await ltp.tst_strdup("abc");
    ltp.tst_res(ltp.TPASS, ltp.peekString(s));
    ltp.peekBytes(s, 5);
  });
  t.match(test.messages.join("\n"), /0 abc\n2 Test killed by SIGSEGV!/, "the test process reading past the end: killed by SIGSEGV");
});
