/**
 * The host target: the test API on this machine's real kernel, each process a native agent
 * making the exact system calls asked for, with the emulated target's addresses; signal
 * handlers, fork and machine code for real; each job isolated in namespaces of its own and
 * killed as a whole. Then the proof: the testcases pass on the real kernel.
 *
 * Skipped, with the reason, where the agent was not built (no C compiler), the machine is not
 * the agent's arch, or the running kernel's config cannot be read. Imports are from ../dist.
 */
import t from "tap";
import { spawn } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { machine, release, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { hostConfigPath, loadConfig } from "../dist/src/runner/configs.js";
import { link } from "../dist/src/linux/kbuild/link.js";
import { HostTarget } from "../dist/src/targets/host/host_target.js";
import { findAgent } from "../dist/src/targets/host/agent_binary.js";
import { defineTest, runTest, TEST_ENVIRONMENT } from "../dist/src/ltp/lib/tst_test.js";
import * as ltp from "../dist/src/ltp/index.js";
import { runOn, sys } from "./harness/emulated.js";
import { WORD_ANSWERS, wordAnswers } from "./harness/words.js";

/* ---- ABI constants, written out from the uapi headers ---- */
const ENOSYS = 38, EINVAL = 22, EINTR = 4, EPERM = 1, ENOENT = 2, ESRCH = 3;
const SIGKILL = 9, SIGSEGV = 11, SIGUSR1 = 10, SIGUSR2 = 12, SIGCHLD = 17;
const SA_RESTART = 0x10000000, SA_SIGINFO = 4, SIG_BLOCK = 0;
const SEEK_SET = 0, KCMP_FILE = 0;
const CLONE_VM = 0x100, CLONE_VFORK = 0x4000;
const USER_DATA_BASE = 0x10000000, USER_DATA_SIZE = 16 << 20;

/** Why the host target cannot run here, or null. */
function unavailable(): string | null {
  try {
    findAgent();
  } catch (e) {
    return (e as Error).message;
  }
  if (machine() !== "x86_64") return `the agent is built for ${machine()}; these tests are written for x86_64`;
  if (!hostConfigPath()) return "the running kernel's config is not readable (/proc/config.gz, /boot/config-$(uname -r))";
  return null;
}

const skip = unavailable();
if (skip) {
  t.plan(0, `host target unavailable: ${skip}`);
} else {
  hostTests();
}

function hostTests(): void {
  const linked = link(loadConfig("host"));

  /**
   * The agents of this file's jobs running now: every process of every job is one (none may
   * outlive its job). The file runs its own copy of the agent, so that the jobs of test files
   * running at the same time are not counted. (Beside the built one, not in /tmp: a job's /tmp
   * is a fresh one of its own.)
   */
  const agentPath = join(mkdtempSync(join(dirname(findAgent()), ".host-test-")), "ltp-host-agent");
  copyFileSync(findAgent(), agentPath);
  chmodSync(agentPath, 0o755);
  t.teardown(() => rmSync(dirname(agentPath), { recursive: true, force: true }));
  function agents(): number[] {
    const pids: number[] = [];
    for (const d of readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      try {
        if (readlinkSync(`/proc/${d}/exe`) === agentPath) pids.push(Number(d));
      } catch { /* gone, or not ours to look at */ }
    }
    return pids;
  }

  interface HostRun {
    readonly outcome: any;
    readonly target: HostTarget;
    readonly messages: string[];
  }

  /**
   * Runs `body` as a testcase's test_all on a fresh host target (killed after `timeoutMs`);
   * returns what it reported and the target.
   */
  async function run(body: (target: HostTarget) => Promise<void>, opts: { target?: object; timeoutMs?: number; desc?: object } = {}): Promise<HostRun> {
    const target = new HostTarget(linked, { agent: agentPath, ...opts.target });
    const timer = setTimeout(() => void target.dispose(), opts.timeoutMs ?? 30_000);
    const r = await runOn(target, body, { tid: "host01", ...(opts.desc ? { desc: opts.desc as Record<string, unknown> } : {}) });
    clearTimeout(timer);
    return r;
  }

  /** run() that expects the body to run to its end with nothing broken and no fault. */
  async function clean(t: any, body: (target: HostTarget) => Promise<void>, opts: { target?: object } = {}): Promise<HostRun> {
    const r = await run(body, opts);
    t.ok(r.messages.includes("0 body done"), "the body ran to its end");
    t.equal(r.outcome.counts.broken, 0, `nothing broke (${r.messages.filter((m) => m.startsWith("2 ")).join("; ")})`);
    t.same(r.target.faults(), [], "no agent or protocol fault");
    return r;
  }

  /** The raw call on the running process: the kernel's value or -errno, nothing in between. */
  const raw = (target: HostTarget, nr: number, ...args: (number | bigint)[]) => target.current().syscall(nr, ...args);

  t.test("raw system calls: the exact words in, the kernel's value or -errno out", async (t) => {
    const got: Record<string, unknown> = {};
    const r = await clean(t, async (target) => {
      got.pid = await ltp.getpid();
      got.ppid = await ltp.getppid();
      got.unknown = await raw(target, 1000);
      // do_syscall_64() takes the number as an int: (1 << 32) + 39 is getpid.
      got.wideNumber = await raw(target, 2 ** 32 + 39);
      const fd = await ltp.SAFE_OPEN("words", ltp.O_CREAT | ltp.O_RDWR, 0o600);
      // lseek's offset is a 64-bit loff_t: 2^53 comes back exactly; -1 and 2^63 are negative offsets.
      got.seek2to53 = await raw(target, 8, fd, 2n ** 53n, SEEK_SET);
      got.seekMinus1 = await raw(target, 8, fd, -1, SEEK_SET);
      got.seek2to63 = await raw(target, 8, fd, 2n ** 63n, SEEK_SET);
      // C's ~0UL is the bigint 0xffffffffffffffffn (the number literal would be the double 2^64).
      got.allOnes = await raw(target, 8, fd, 0xffffffffffffffffn, SEEK_SET);
      got.allOnesPid = await sys("kcmp", 0xffffffffffffffffn, 0xffffffffffffffffn, KCMP_FILE, fd, fd);
      // kcmp's pids are pid_t and its KCMP_FILE indexes unsigned int: the upper 32 bits go.
      const me = await ltp.getpid();
      got.kcmpTruncated = await sys("kcmp", me + 2 ** 32, me, KCMP_FILE, fd + 2 ** 32, fd);
      // mmap's 64-bit address, and the break right after the data segment, as in the emulated kernel.
      got.brk = await raw(target, 12, 0);
      const map = await raw(target, 9, 0, 4096, ltp.PROT_READ, ltp.MAP_PRIVATE | ltp.MAP_ANONYMOUS, -1, 0);
      got.mmapHigh = map > 2 ** 32 && map < 2 ** 47;
      got.heap = target.current().heap;
      got.argv = ltp.argv();
      got.environ = ltp.environ();
    });
    const isolated = r.target.isolation!.isolated;
    if (isolated) {
      t.equal(got.pid, 2, "the test process is pid 2 of the job's namespace (pid 1 is the library's main)");
      t.equal(got.ppid, 1);
    }
    t.equal(got.unknown, -ENOSYS, "a number past the table: -ENOSYS");
    t.equal(got.wideNumber, got.pid, "the number's upper 32 bits are ignored (x86-64)");
    t.equal(got.seek2to53, 2n ** 53n, "lseek to 2^53 returns it exactly");
    t.equal(got.seekMinus1, -EINVAL);
    t.equal(got.seek2to63, -EINVAL);
    t.equal(got.allOnes, -EINVAL, "an offset of all ones is -1");
    t.equal(got.allOnesPid, -ESRCH, "pid_t all ones is -1: no such process");
    t.equal(got.kcmpTruncated, 0, "kcmp(pid + 2^32, pid, KCMP_FILE, fd + 2^32, fd): the same file");
    t.equal(got.brk, USER_DATA_BASE + USER_DATA_SIZE, "the break starts right after the data segment");
    t.equal(got.mmapHigh, true);
    t.same(got.heap, { start: USER_DATA_BASE, size: USER_DATA_SIZE });
    t.same(got.argv, ["host01"], "argv is the program image's");
    t.same(got.environ, TEST_ENVIRONMENT, "so is the environment");
  });

  t.test("exact 64-bit words: the real kernel's answers, the emulated kernel's (kernel.test.ts)", async (t) => {
    let got: Record<string, unknown> = {};
    const r = await clean(t, async (target) => {
      got = await wordAnswers(target);
    });
    if (r.target.isolation!.isolated) t.same(got, WORD_ANSWERS);
    else t.skip("not isolated: the job's /tmp is the machine's, which need not be tmpfs");
  });

  t.test("memory: loads and stores fault where C's would", async (t) => {
    const got: Record<string, unknown> = {};
    await clean(t, async (target) => {
      const mem = target.current().memory;
      const end = USER_DATA_BASE + USER_DATA_SIZE;
      got.lastWord = mem.putInt32(end - 4, 0x11223344) && mem.getInt32(end - 4);
      got.readAcross = mem.read(end - 4, 8);
      got.writeAcross = mem.write(end - 4, new Uint8Array(8).fill(0xff));
      got.untouched = mem.getInt32(end - 4);
      got.below = mem.read(USER_DATA_BASE - 4, 4);
      // /proc/<pid>/mem would read a PROT_NONE page and write a read-only one; C cannot.
      const page = await ltp.SAFE_MMAP(0, 4096, ltp.PROT_NONE, ltp.MAP_PRIVATE | ltp.MAP_ANONYMOUS, -1, 0);
      got.protNone = mem.read(page, 1);
      await ltp.SAFE_MPROTECT(page, 4096, ltp.PROT_READ);
      got.readOnly = [mem.read(page, 1), mem.write(page, new Uint8Array(1))];
      await ltp.SAFE_MPROTECT(page, 4096, ltp.PROT_READ | ltp.PROT_WRITE);
      got.readWrite = mem.write(page, new Uint8Array([7])) && mem.read(page, 1);
      // A load the MMU refuses kills the process with the real SIGSEGV (no core: RLIMIT_CORE 0).
      const child = await ltp.SAFE_FORK(async () => { ltp.peekInt(8); });
      got.faulted = (await ltp.SAFE_WAITPID(child)).status;
    });
    t.equal(got.lastWord, 0x11223344, "the data segment's last word");
    t.equal(got.readAcross, null, "a read past its end faults");
    t.equal(got.writeAcross, false, "so does a write...");
    t.equal(got.untouched, 0x11223344, "...which stores nothing");
    t.equal(got.below, null, "nothing is mapped just below it");
    t.equal(got.protNone, null, "PROT_NONE: no read");
    t.same(got.readOnly, [new Uint8Array(1), false], "PROT_READ: a read, no write");
    t.same(got.readWrite, new Uint8Array([7]));
    t.equal(got.faulted, SIGSEGV, "peekInt(8) in a child: killed by SIGSEGV");
  });

  t.test("fork, vfork, clone: real children running their entries", async (t) => {
    const got: Record<string, unknown> = {};
    await clean(t, async () => {
      const parent = await ltp.getpid();
      const shared = ltp.malloc(8);
      ltp.pokeInt(shared, 1);
      const child = await ltp.SAFE_FORK(async () => {
        ltp.pokeInt(shared, 2);
        return (await ltp.getppid()) === parent ? 42 : 1;
      });
      const { pid, status } = await ltp.SAFE_WAITPID(child);
      got.fork = [pid === child, ltp.WIFEXITED(status), ltp.WEXITSTATUS(status), ltp.peekInt(shared)];
      // vfork: the parent sleeps until the child exits, and sees what it stored.
      const vchild = await ltp.vfork(async () => { ltp.pokeInt(shared, 3); await ltp._exit(5); });
      got.vfork = [ltp.peekInt(shared), ltp.WEXITSTATUS((await ltp.SAFE_WAITPID(vchild)).status)];
      // clone(CLONE_VM): memory shared, the child on a stack of its own.
      const cchild = await ltp.ltp_clone(CLONE_VM | SIGCHLD, async () => { ltp.pokeInt(shared, 4); return 6; });
      got.cloneVm = [ltp.WEXITSTATUS((await ltp.SAFE_WAITPID(cchild)).status), ltp.peekInt(shared)];
      const vm = await ltp.ltp_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, async () => 8);
      got.cloneVfork = ltp.WEXITSTATUS((await ltp.SAFE_WAITPID(vm)).status);
    });
    t.same(got.fork, [true, true, 42, 1], "fork: the child's exit status; its memory was a copy");
    t.same(got.vfork, [3, 5], "vfork: the store is the parent's memory");
    t.same(got.cloneVm, [6, 4]);
    t.equal(got.cloneVfork, 8);
  });

  t.test("signals: real handlers, Linux's own restart rules", async (t) => {
    const got: Record<string, unknown> = {};
    await clean(t, async () => {
      const self = await ltp.getpid();
      const buf = ltp.malloc(64);
      for (const flags of [SA_RESTART, 0]) {
        let hits = 0;
        await ltp.SAFE_SIGACTION(SIGUSR1, { handler: () => { hits++; }, flags });
        const [rfd, wfd] = await ltp.SAFE_PIPE(buf);
        // SIGUSR1 at 0.1 s, a byte at 0.2 s: read() restarted (and gets it), or EINTR.
        const killer = await ltp.tst_kill_after(100, self, SIGUSR1, () => ltp.SAFE_WRITE(1, wfd, buf, 1));
        const r = await ltp.read(rfd, buf + 8, 1);
        got[flags ? "restart" : "eintr"] = [r === -1 ? -ltp.errno() : r, hits];
        await ltp.SAFE_WAITPID(killer);
      }
      // The handler's calls run inside the real handler: the kernel blocks the signal there.
      await ltp.SAFE_SIGACTION(SIGUSR2, {
        flags: SA_SIGINFO,
        handler: async (sig, info) => {
          const mask = await ltp.sigprocmask(SIG_BLOCK, null);
          got.inHandler = [sig, ltp.peekInt(info), ltp.peekInt(info + 16) === self, mask !== -1 && ltp.sigismember(mask, SIGUSR2)];
        },
      });
      await ltp.kill(self, SIGUSR2);
      const after = await ltp.sigprocmask(SIG_BLOCK, null);
      got.maskAfter = after !== -1 && ltp.sigismember(after, SIGUSR2);
    });
    t.same(got.restart, [1, 1], "SA_RESTART: the read is restarted and returns the byte");
    t.same(got.eintr, [-EINTR, 1], "without: EINTR after the handler");
    t.same(got.inHandler, [SIGUSR2, SIGUSR2, true, true], "SA_SIGINFO: si_signo, si_pid; the signal blocked while it runs");
    t.equal(got.maskAfter, false, "rt_sigreturn restored the mask");
  });

  t.test("signals: handlers nest, fork, and interrupt machine code", async (t) => {
    const got: Record<string, unknown> = {};
    await clean(t, async () => {
      const self = await ltp.getpid();
      const buf = ltp.malloc(64);
      const [rfd] = await ltp.SAFE_PIPE(buf);
      const order: string[] = [];
      // SIGUSR2 comes while SIGUSR1's handler sleeps in read(): it runs nested, the read is EINTR.
      await ltp.SAFE_SIGACTION(SIGUSR2, { handler: () => { order.push("usr2"); } });
      await ltp.SAFE_SIGACTION(SIGUSR1, {
        handler: async () => {
          const killer = await ltp.tst_kill_after(100, self, SIGUSR2);
          order.push(`read ${(await ltp.read(rfd, buf + 8, 1)) === -1 ? -ltp.errno() : "data"}`);
          await ltp.SAFE_WAITPID(killer);
          const child = await ltp.SAFE_FORK(async () => 3);
          order.push(`forked child ${ltp.WEXITSTATUS((await ltp.SAFE_WAITPID(child)).status)}`);
        },
      });
      await ltp.kill(self, SIGUSR1);
      order.push("main");
      got.order = order;
      // A handler of the program's runs on machine code's own stack and returns into it.
      const flag = ltp.malloc(8);
      ltp.pokeInt(flag, 0);
      const code = await ltp.tst_load_code(`
          mov rbx, ${flag}
      spin:
          mov eax, [rbx]
          test eax, eax
          jz spin
          mov eax, 60
          mov edi, 9
          syscall`);
      const spinner = await ltp.SAFE_FORK(async () => {
        await ltp.SAFE_SIGACTION(SIGUSR1, { handler: () => { ltp.pokeInt(flag, 1); } });
        return ltp.tst_run_code_at(code.addr);
      });
      await ltp.nanosleep({ sec: 0, nsec: 100e6 });
      await ltp.kill(spinner, SIGUSR1);
      got.spinner = (await ltp.SAFE_WAITPID(spinner)).status;
    });
    t.same(got.order, ["usr2", `read ${-EINTR}`, "forked child 3", "main"]);
    t.equal(ltp.WEXITSTATUS(got.spinner as number), 9, "the handler's store ended the machine code's loop");
  });

  t.test("machine code runs natively", async (t) => {
    const got: Record<string, unknown> = {};
    await clean(t, async () => {
      const exit7 = await ltp.SAFE_FORK(() => ltp.tst_run_code(`
          mov eax, 60
          mov edi, 7
          syscall`));
      got.exit = (await ltp.SAFE_WAITPID(exit7)).status;
      const fault = await ltp.SAFE_FORK(() => ltp.tst_run_code(`
          mov rax, 8
          mov rbx, [rax]`));
      got.fault = (await ltp.SAFE_WAITPID(fault)).status;
    });
    t.equal(ltp.WEXITSTATUS(got.exit as number), 7, "exit(7) from machine code");
    t.equal(got.fault, SIGSEGV, "a load from address 8: SIGSEGV");
  });

  t.test("isolation: the job's processes and /tmp are its own", async (t) => {
    const outside = spawn("sleep", ["60"], { stdio: "ignore" });
    const marker = `ltp-host-test-${process.pid}`;
    writeFileSync(join(tmpdir(), `${marker}.outside`), "");
    const got: Record<string, unknown> = {};
    const r = await run(async () => {
      const st = await ltp.open(`/tmp/${marker}.outside`, ltp.O_RDONLY);
      got.outsideFile = st === -1 ? -ltp.errno() : st;
      await ltp.SAFE_FILE_PRINTF(`/tmp/${marker}.inside`, "x");
      // kill(-1, SIGKILL): every process of the job but the caller and the init.
      const sleeper = await ltp.SAFE_FORK(async () => { await ltp.pause(); });
      got.killAll = await sys("kill", -1, SIGKILL);
      got.sleeper = (await ltp.SAFE_WAITPID(sleeper)).status;
    });
    const isolation = r.target.isolation!;
    if (!isolation.isolated) {
      t.comment(`not isolated here: ${isolation.detail}`);
      t.match(r.target.faults().join("\n"), /kill\(-1, \.\.\.\) refused/, "kill(-1) is refused without a PID namespace");
    } else {
      t.same([got.killAll, got.sleeper], [0, SIGKILL], "kill(-1, SIGKILL) inside killed the job's other processes");
      t.equal(outside.exitCode === null && outside.signalCode === null, true, "a process outside the job is untouched");
      t.equal(got.outsideFile, -ENOENT, "the job's /tmp does not show the machine's");
      t.equal(existsSync(join("/tmp", `${marker}.inside`)), false, "nor the machine's the job's");
    }
    outside.kill("SIGKILL");
    rmSync(join(tmpdir(), `${marker}.outside`), { force: true });
  });

  t.test("without isolation: kill(-1) is refused, the init reaps orphans as a subreaper", async (t) => {
    const got: Record<string, unknown> = {};
    const r = await run(async () => {
      got.pid = await ltp.getpid();
      got.killAll = await sys("kill", -1, 0);
    }, { target: { isolate: false } });
    t.same(r.target.isolation, { isolated: false, detail: "isolation was not asked for" });
    t.not(got.pid, 2, "real pids");
    t.equal(got.killAll, -EPERM, "kill(-1, ...) refused by the agent");
    t.match(r.target.faults(), [/kill\(-1, \.\.\.\) refused/], "and reported");
  });

  t.test("a hung job is killed as a whole; nothing outlives it", async (t) => {
    const before = agents();
    for (const isolate of [true, false]) {
      const parent = mkdtempSync(join(tmpdir(), "ltp-host-test-"));
      const r = await run(async () => {
        await ltp.SAFE_FORK(async () => { await ltp.pause(); });
        await ltp.SAFE_FORK(async () => { await ltp.SAFE_FORK(async () => { await ltp.pause(); }); });
        await ltp.pause();
      }, { target: { isolate, runtimeParent: parent }, timeoutMs: 500 });
      t.equal(r.outcome.machine.kind, "halted");
      t.equal(r.outcome.machine.status, SIGKILL, `isolate ${isolate}: the init was killed`);
      t.same(readdirSync(parent), [], "its runtime directory is gone");
      t.same(agents().filter((p) => !before.includes(p)), [], "no agent is left");
      rmSync(parent, { recursive: true, force: true });
    }
  });

  t.test("a wrapper: the agent under a user-mode emulator (qemu-x86_64)", async (t) => {
    const qemu = (process.env.PATH ?? "").split(":").map((d) => join(d, "qemu-x86_64")).find((p) => existsSync(p));
    if (!qemu) {
      t.skip("qemu-x86_64 is not installed");
      return;
    }
    const got: Record<string, unknown> = {};
    await clean(t, async (target) => {
      got.brk = await raw(target, 12, 0);
      const child = await ltp.SAFE_FORK(async () => 4);
      got.child = ltp.WEXITSTATUS((await ltp.SAFE_WAITPID(child)).status);
    }, { target: { wrapper: ["qemu-x86_64", "{agent}"] } });
    // (Not the pids: qemu's own threads take some.)
    t.same(got, { brk: USER_DATA_BASE + USER_DATA_SIZE, child: 4 }, "the same calls, answered through qemu");
  });

  t.test("an agent under /tmp starts although the job's own /tmp hides it (the package may be checked out there)", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "ltp-run-agent-"));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const agent = join(dir, "ltp-host-agent");
    copyFileSync(agentPath, agent);
    chmodSync(agent, 0o755);
    for (const wrapper of existsSync("/usr/bin/qemu-x86_64") ? [[], ["/usr/bin/qemu-x86_64", "{agent}"]] : [[]]) {
      const r = await clean(t, async () => {
        const { getpid } = ltp;
        t.ok((await getpid()) > 0, `the agent runs${wrapper.length ? " under qemu-x86_64" : ""}`);
      }, { target: { agent, wrapper } });
      t.same(r.target.faults(), []);
    }
  });

  t.test("a missing agent: one clear error", async (t) => {
    const target = new HostTarget(linked, { agent: "/nonexistent/ltp-host-agent" });
    await t.rejects(target.run(async () => undefined), { name: "HostAgentMissingError", message: /native agent.*C compiler/ });
  });

  t.test("the testcases pass on the real kernel", async (t) => {
    const base = new URL("../dist/testcases/kernel/syscalls/", import.meta.url).pathname;
    for (const family of readdirSync(base).sort()) {
      for (const file of readdirSync(join(base, family)).filter((f) => f.endsWith(".js")).sort()) {
        const name = file.slice(0, -3);
        const test = (await import(join(base, family, file))).default;
        const target = new HostTarget(linked, { agent: agentPath });
        const timer = setTimeout(() => void target.dispose(), 60_000);
        const out: any = await runTest(test, target, { tid: name, seed: 1 });
        clearTimeout(timer);
        const bad = out.lines.filter((l: any) => l.type === ltp.TFAIL || l.type === ltp.TBROK).map((l: any) => l.message);
        t.same(bad, [], `${name}: exit ${out.exitCode}, passed ${out.counts.passed}, skipped ${out.counts.skipped}`);
      }
    }
  });
}
