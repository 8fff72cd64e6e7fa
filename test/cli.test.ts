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
