import t from "tap";
import { loadConfig } from "../dist/src/runner/configs.js";
import { link } from "../dist/src/linux/kbuild/link.js";
import { EmulatedTarget } from "../dist/src/targets/emulated.js";
import { defineTest, runTest } from "../dist/src/ltp/lib/tst_test.js";
import * as ltp from "../dist/src/ltp/index.js";
import { unmetKconfigs } from "../dist/src/ltp/lib/tst_kconfig.js";

const linkedCache = new Map<string, ReturnType<typeof link>>();
function run(config: string, desc: Parameters<typeof defineTest>[0], seed = 1) {
  let linked = linkedCache.get(config);
  if (!linked) linkedCache.set(config, (linked = link(loadConfig(config))));
  return runTest(defineTest(desc), new EmulatedTarget(linked, seed), { tid: "apitest", seed });
}

t.test("results and LTP's exit value", async (t) => {
  const pass = await run("defconfig", { test_all: () => ltp.tst_res(ltp.TPASS, "ok") });
  t.equal(pass.exitCode, 0);
  t.match(pass.log.join("\n"), /apitest\.ts: TPASS: ok\n\nSummary:\npassed   1\nfailed   0\nbroken   0\nskipped  0\nwarnings 0/);
  const mixed = await run("defconfig", {
    test_all() {
      ltp.tst_res(ltp.TPASS, "a");
      ltp.tst_res(ltp.TFAIL, "b");
      ltp.tst_res(ltp.TWARN, "c");
      ltp.tst_res(ltp.TCONF, "d");
    },
  });
  t.equal(mixed.exitCode, 1 | 4, "TFAIL | TWARN; TCONF counts only when nothing passed");
  const conf = await run("defconfig", { test_all: () => ltp.tst_res(ltp.TCONF, "skip") });
  t.equal(conf.exitCode, 32);
  const nothing = await run("defconfig", { test_all() {} });
  t.same(nothing.lines.map((l) => l.message), ["Test haven't reported results!"]);
  t.equal(nothing.exitCode, 2);
});

t.test("tcnt runs each case, setup and cleanup run once, tst_brk ends the test and still cleans up", async (t) => {
  const seen: string[] = [];
  await run("defconfig", {
    tcnt: 3,
    setup: () => { seen.push("setup"); },
    cleanup: () => { seen.push("cleanup"); },
    test: (n) => { seen.push(`test ${n}`); ltp.tst_res(ltp.TPASS, `case ${n}`); },
  });
  t.same(seen, ["setup", "test 0", "test 1", "test 2", "cleanup"]);
  seen.length = 0;
  const brk = await run("defconfig", {
    tcnt: 3,
    cleanup: () => { seen.push("cleanup"); },
    test: (n) => { seen.push(`test ${n}`); if (n === 1) ltp.tst_brk(ltp.TBROK, "stop here"); ltp.tst_res(ltp.TPASS, "x"); },
  });
  t.same(seen, ["test 0", "test 1", "cleanup"]);
  t.equal(brk.counts.broken, 1);
});

t.test("children: results from any process, LTP's checks on how they end", async (t) => {
  const ok = await run("defconfig", {
    forks_child: true,
    async test_all() {
      const parent = await ltp.getpid();
      await ltp.SAFE_FORK(async () => {
        ltp.tst_res((await ltp.getppid()) === parent ? ltp.TPASS : ltp.TFAIL, "child sees its parent");
      });
    },
  });
  t.same(ok.counts, { passed: 1, failed: 0, broken: 0, skipped: 0, warnings: 0 });
  const bad = await run("defconfig", {
    forks_child: true,
    async test_all() {
      ltp.tst_res(ltp.TPASS, "before");
      await ltp.SAFE_FORK(() => 3);
    },
  });
  t.match(bad.lines.map((l) => l.message).join("\n"), /Invalid child \(\d+\) exit value 3/);
  t.equal(bad.counts.broken, 1);
  const thrown = await run("defconfig", {
    async test_all() { throw new Error("a bug in the testcase"); },
  });
  t.match(thrown.lines[0]!.message, /^Unhandled exception: Error: a bug in the testcase/);
});

t.test("tst_syscall: ENOSYS becomes TCONF with the resolver's category, or TFAIL when built in", async (t) => {
  const notConfigured = await run("minimal", { async test_all() { await ltp.kcmp(1, 1, 0, 0, 0); ltp.tst_res(ltp.TPASS, "unreachable"); } });
  t.same(notConfigured.lines.map((l) => [l.type, l.category]), [[32, "not-configured"]]);
  const notImplemented = await run("defconfig", { async test_all() { await ltp.tst_syscall("msgget", 0, 0); } });
  t.equal(notImplemented.lines[0]!.category, "not-implemented");
  t.match(notImplemented.lines[0]!.message, "msgget() not implemented");
  const noEntry = await run("riscv64", { async test_all() { await ltp.tst_syscall("fork"); } });
  t.equal(noEntry.lines[0]!.category, "no-entry");
  t.match(noEntry.lines[0]!.message, "libc uses clone(SIGCHLD) there");
});

t.test("needs_kconfigs in LTP's syntax", async (t) => {
  const v = (n: string) => ({ KCMP: "y", DRM: "m", EXPERT: "n", HZ: "250" } as Record<string, string>)[n] ?? "n";
  t.same(unmetKconfigs(["CONFIG_KCMP", "CONFIG_DRM", "CONFIG_DRM=m", "CONFIG_HZ=250"], v), []);
  t.same(unmetKconfigs(["CONFIG_EXPERT", "CONFIG_EXPERT | CONFIG_KCMP", "!CONFIG_KCMP", "CONFIG_KCMP & (CONFIG_EXPERT | CONFIG_DRM=y)"], v),
    ["CONFIG_EXPERT", "!CONFIG_KCMP", "CONFIG_KCMP & (CONFIG_EXPERT | CONFIG_DRM=y)"]);
  t.throws(() => defineTest({ needs_kconfigs: ["CONFIG_A |"], test_all() {} }), { name: "KconfigExprError" });
  const r = await run("minimal", { needs_kconfigs: ["CONFIG_KCMP"], test_all: () => ltp.tst_res(ltp.TPASS, "no") });
  t.same(r.lines.map((l) => l.message), ["Constraint 'CONFIG_KCMP' not satisfied!", "Aborting due to unsuitable kernel config, see above!"]);
  t.equal(r.exitCode, 32);
});

t.test("TST_EXP_* and TEST", async (t) => {
  const r = await run("defconfig", {
    needs_tmpdir: true,
    async test_all() {
      await ltp.TST_EXP_FAIL(ltp.close(99), ltp.EBADF, "close(99)");
      await ltp.TST_EXP_FAIL(ltp.close(99), ltp.EINVAL, "close(99) wrong errno");
      await ltp.TST_EXP_PASS(ltp.mkdir("d", 0o755), "mkdir(d)");
      const fd = await ltp.SAFE_OPEN("f", ltp.O_CREAT | ltp.O_RDWR, 0o600);
      const { ret, err } = await ltp.TEST(ltp.open("f", ltp.O_CREAT | ltp.O_EXCL | ltp.O_RDWR, 0o600));
      ltp.tst_res(ret === -1 && err === ltp.EEXIST ? ltp.TPASS : ltp.TFAIL, `O_EXCL on fd ${fd}'s file`);
    },
  });
  t.same(r.lines.map((l) => `${l.type} ${l.message}`), [
    "0 close(99): EBADF (9)",
    "1 close(99) wrong errno expected EINVAL (22): EBADF (9)",
    "0 mkdir(d) passed",
    "0 O_EXCL on fd 0's file",
  ]);
});

t.test("a testcase whose code never settles ends TBROK after its timeout", async (t) => {
  const { runJob } = await import("../dist/src/runner/run.js");
  const hang = defineTest({ timeout: 0.2, async test_all() { await new Promise(() => {}); } });
  const entry = { tag: "hang01", command: "hang01", args: [], where: "test" };
  const r = await runJob({ entry, config: { spec: "defconfig", config: loadConfig("defconfig") }, target: { kind: "emulated" }, index: 0 }, 1, { load: async () => hang });
  t.equal(r.status, "brok");
  t.match(r.lines[0]!.message, "Test killed! (timeout?)");
});
