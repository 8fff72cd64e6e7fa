import t from "tap";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { loadConfig } from "../dist/src/runner/configs.js";
import { link } from "../dist/src/linux/kbuild/link.js";
import { EmulatedTarget } from "../dist/src/targets/emulated.js";
import { runTest } from "../dist/src/ltp/lib/tst_test.js";
import { loadTestcase } from "../dist/src/runner/testcases.js";
import { findAgent } from "../dist/src/targets/host/agent_binary.js";

const MAIN = resolve("dist/src/cli/main.js");

function ltpRun(args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), "ltp-run-cli-"));
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr, cwd };
}

function runDir(cwd: string): string {
  const runs = readdirSync(join(cwd, "results"));
  return join(cwd, "results", runs[0]!);
}

t.test("-f syscalls --config minimal: kcmp is not configured, exit 0", async (t) => {
  const r = ltpRun(["-f", "syscalls", "--config", "minimal", "--seed", "7"]);
  t.equal(r.code, 0, r.err);
  for (const tc of ["kcmp01", "kcmp02", "kcmp03"]) {
    t.match(r.out, new RegExp(`${tc}\\s+minimal\\s+TCONF\\s+kcmp\\(\\) not configured: kernel/kcmp.c is built only with CONFIG_KCMP`));
  }
  // alarm() is not built either: kernel/time/itimer.c needs CONFIG_POSIX_TIMERS.
  t.match(r.out, /alarm_restart01\s+minimal\s+TCONF\s+alarm\(\) not configured: kernel\/time\/itimer.c is built only with CONFIG_POSIX_TIMERS/);
  t.match(r.out, "minimal (x86_64): 46 jobs: 42 passed, 0 failed, 0 broken, 4 skipped (skipped: not-configured 4)");
  t.match(r.out, /\n42 passed, 0 failed, 0 broken, 4 skipped\n/);
  const dir = runDir(r.cwd);
  const log = readFileSync(join(dir, "minimal.log"), "utf8");
  t.match(log, /Testcase\s+Result\s+Exit Value/);
  t.match(log, /kcmp01\s+CONF\s+32/);

  const xml = readFileSync(join(dir, "junit.xml"), "utf8");
  t.equal(XMLValidator.validate(xml), true, "junit.xml is well-formed XML");
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => ["testsuite", "testcase", "property"].includes(n) }).parse(xml);
  t.equal(doc.testsuites.testsuite.length, 1, "one testsuite per config");
  const cases = doc.testsuites.testsuite[0].testcase;
  t.equal(cases.length, 46);
  const skipped = cases.filter((c: { skipped?: unknown }) => c.skipped !== undefined);
  t.same(skipped.map((c: { "@_name": string }) => c["@_name"]), ["kcmp01", "kcmp02", "kcmp03", "alarm_restart01"]);
  for (const c of skipped) t.match(c.skipped["@_message"], /^TCONF \(not-configured\): (kcmp|alarm)\(\) not configured/);
});

t.test("defconfig, full and the override turning kcmp on: every case TPASS", async (t) => {
  const r = ltpRun(["-f", "kcmp", "--config", "defconfig,full,minimal+CONFIG_PROC_FS=y+CONFIG_CHECKPOINT_RESTORE=y", "--junit", "out/j.xml"]);
  t.equal(r.code, 0, r.err);
  t.match(r.out, /\n9 passed, 0 failed, 0 broken, 0 skipped\n/);
  const xml = readFileSync(join(r.cwd, "out/j.xml"), "utf8");
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => ["testsuite", "testcase"].includes(n) }).parse(xml);
  t.same(doc.testsuites.testsuite.map((s: { "@_name": string }) => s["@_name"]), [
    "ltp-run.defconfig", "ltp-run.full", "ltp-run.minimal+CONFIG_PROC_FS=y+CONFIG_CHECKPOINT_RESTORE=y",
  ]);
  t.match(xml, "kcmp01.ts: TPASS: kcmp() returned the expected value");
});

t.test("an override whose dependency is unmet warns and stays off", async (t) => {
  const r = ltpRun(["-f", "kcmp", "--config", "minimal+CONFIG_CHECKPOINT_RESTORE=y"]);
  t.equal(r.code, 0);
  t.match(r.err, "CONFIG_CHECKPOINT_RESTORE=y was requested but stays n: it depends on PROC_FS");
  t.match(r.out, /kcmp01\s+\S+\s+TCONF/);
});

t.test("resolve", async (t) => {
  const m = ltpRun(["resolve", "kcmp", "--config", "minimal"]);
  t.equal(m.code, 0);
  t.match(m.out, "kernel/kcmp.c");
  t.match(m.out, "CONFIG_KCMP is not set");
  t.match(m.out, "CHECKPOINT_RESTORE");
  const d = ltpRun(["resolve", "kcmp", "--config", "defconfig"]);
  t.match(d.out, "->  sys_kcmp   implemented");
  t.match(d.out, "selected by DRM=y");
  t.match(ltpRun(["resolve", "fork", "--config", "riscv64"]).out, "no entry");
  const all = ltpRun(["resolve", "--all", "--config", "minimal", "--json"]);
  const json = JSON.parse(all.out);
  t.equal(json.syscalls.length, 375, "one entry per x86_64 slot (abi common and 64)");
  t.equal(Object.values(json.totals as Record<string, number>).reduce((a, b) => a + b, 0), 375);
});

t.test("bad input: one line on stderr, exit 2", async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), "ltp-run-bad-"));
  writeFileSync(join(cwd, "bad.config"), "CONFIG_X86_64=y\ngarbage\n");
  writeFileSync(join(cwd, "bad-runtest"), "kcmp01 kcmp01\nnosuch01 nosuch01\n");
  const cases: [string, string[], RegExp][] = [
    ["unknown syscall", ["resolve", "no_such_call"], /unknown syscall: no_such_call/],
    ["unknown config", ["-f", "kcmp", "--config", "nosuch"], /unknown config: nosuch/],
    ["malformed .config", ["resolve", "kcmp", "--config", join(cwd, "bad.config")], /malformed config: .*bad\.config:2/],
    ["missing runtest file", ["-f", "nosuch"], /runtest file not found: nosuch/],
    ["runtest naming a missing testcase", ["-f", join(cwd, "bad-runtest")], /bad-runtest:2: no testcase named nosuch01/],
    ["unknown option", ["--bogus"], /unknown option '--bogus'/],
    ["bad seed", ["--seed", "x"], /--seed takes a non-negative integer/],
  ];
  for (const [what, args, re] of cases) {
    const r = ltpRun(args);
    t.equal(r.code, 2, `${what}: exit 2`);
    t.equal(r.err.trim().split("\n").length, 1, `${what}: one line`);
    t.match(r.err, re, what);
    t.notMatch(r.err, /\n\s+at /, `${what}: no stack trace`);
  }
});

t.test("a broken link makes kcmp01 fail: built in, yet ENOSYS", async (t) => {
  const linked = link(loadConfig("defconfig"), { omit: ["kcmp"] });
  const test = await loadTestcase("kcmp01");
  const out = await runTest(test, new EmulatedTarget(linked, 1), { tid: "kcmp01", seed: 1 });
  t.equal(out.counts.failed, 5);
  t.equal(out.exitCode & 1, 1, "TFAIL bit");
  t.match(out.lines[0]!.message, /^kcmp\(\) returned ENOSYS but the config builds it in: /);
});

/** Why the host target cannot run here, or null: where no C compiler built its agent, its tests are skipped with this. */
function hostUnavailable(): string | null {
  try {
    findAgent();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

t.test("diff: the emulated kernel against this machine's kernel", async (t) => {
  const why = hostUnavailable();
  if (why) return t.skip(why);
  const clean = ltpRun(["diff", "-f", "syscalls", "--seed", "5"]);
  t.equal(clean.code, 0, "no divergence on the syscalls suite", { out: clean.out.slice(-2000), err: clean.err });
  t.match(clean.out, /46 jobs compared: 0 divergences \(0 explained, 0 unexplained\)/);
  const doc = JSON.parse(readFileSync(join(runDir(clean.cwd), "diff.json"), "utf8"));
  t.same([doc.target.kind, doc.reference.kind, doc.jobs_compared, doc.divergences], ["emulated", "host", 46, []]);
  t.ok(readdirSync(runDir(clean.cwd)).includes("results-host.json"), "both sides' reports are kept");

  // A deliberately broken emulated kernel: the diff must catch it.
  const broken = ltpRun(["diff", "-f", "kcmp", "--omit-syscall", "kcmp", "--seed", "5"]);
  t.equal(broken.code, 1, "a divergence fails the diff");
  t.match(broken.out, /kcmp01\s+host\s+status\s+fail\s+pass/);
  t.match(broken.out, /3 jobs compared: \d+ divergences \(0 explained, \d+ unexplained\)/);

  // Explained divergences pass; an entry that matches nothing is reported stale.
  const expect = join(broken.cwd, "expect.json");
  writeFileSync(expect, JSON.stringify({ expectations: [
    ...["kcmp01", "kcmp02", "kcmp03"].map((test) => ({ test, config: "host", reason: "kcmp is left out of the link on purpose" })),
    { test: "fork01", config: "host", reason: "no such divergence" },
  ] }));
  const explained = ltpRun(["diff", "-f", "kcmp", "--omit-syscall", "kcmp", "--seed", "5", "--expect", expect]);
  t.equal(explained.code, 0, "every divergence explained");
  t.match(explained.out, /explained: kcmp is left out of the link on purpose/);
  t.match(explained.out, /stale expectation: fork01 on host matches no divergence/);

  const usage = ltpRun(["diff", "--target", "host"]);
  t.equal(usage.code, 2);
  t.match(usage.err, /^ltp-run: diff compares a target with this machine's kernel/);
});

t.test("--target: the host's kernel, and bad targets", async (t) => {
  const bad = ltpRun(["-f", "kcmp", "--target", "qemu-x86_64"]);
  t.equal(bad.code, 2);
  t.match(bad.err, /^ltp-run: unknown target: "qemu-x86_64" \(emulated, host, or a command line with \{agent\}/);
  const why = hostUnavailable();
  if (why) return t.skip(why);
  const notHost = ltpRun(["-f", "kcmp", "--target", "host", "--config", "minimal"]);
  t.equal(notHost.code, 2);
  t.match(notHost.err, /--target host runs on this machine's kernel/);
  const noProgram = ltpRun(["-f", "kcmp", "--target", "no-such-emulator {agent}"]);
  t.equal(noProgram.code, 2);
  t.match(noProgram.err, /no-such-emulator is not an executable on the PATH/);
  const r = ltpRun(["-f", "kcmp", "--target", "host", "--seed", "3"]);
  t.equal(r.code, 0, r.err);
  t.match(r.out, /on host = 3 jobs/);
  const json = JSON.parse(readFileSync(join(runDir(r.cwd), "results.json"), "utf8"));
  t.equal(json.ltp_run.target.kind, "host");
  t.match(json.environment.kernel, /^Linux \S+ \(this machine's kernel\)$/);
  t.same(json.results.map((x: { target: string; status: string }) => [x.target, x.status]), [["host", "pass"], ["host", "pass"], ["host", "pass"]]);
  t.match(json.results[0].test.log, /^tst_test.ts: TINFO: Tested kernel: Linux \S+ host x86_64\n/);
});
