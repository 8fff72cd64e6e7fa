import t from "tap";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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

const FIXTURES = resolve("test/fixtures");
const TESTCASES = resolve("dist/test/fixtures/testcases");

/** The environment of a run outside CI: no run id a shard could take its seed from. */
function localEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { GITHUB_RUN_ID: _g, CI_PIPELINE_ID: _c, ...rest } = process.env;
  return { ...rest, NO_COLOR: "1", ...env };
}

function ltpRun(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const cwd = opts.cwd ?? mkdtempSync(join(tmpdir(), "ltp-run-cli-"));
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: "utf8", env: localEnv(opts.env) });
  return { code: r.status, out: r.stdout, err: r.stderr, cwd };
}

function runDir(cwd: string): string {
  const runs = readdirSync(join(cwd, "results")).filter((d) => d !== "latest");
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
    ["bad seed", ["--seed", "x"], /--seed takes a whole number from 0 to 18446744073709551615 \(64 bits\), not "x"/],
  ];
  for (const [what, args, re] of cases) {
    const r = ltpRun(args);
    t.equal(r.code, 2, `${what}: exit 2`);
    t.equal(r.err.trim().split("\n").length, 1, `${what}: one line`);
    t.match(r.err, re, what);
    t.notMatch(r.err, /\n\s+at /, `${what}: no stack trace`);
  }
});

t.test("every bad input: one line, exit 2, before any job runs", async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), "ltp-run-bad-"));
  mkdirSync(join(cwd, "adir"));
  writeFileSync(join(cwd, "afile"), "");
  writeFileSync(join(cwd, "dup-runtest"), "kcmp01 kcmp01\nkcmp02 kcmp02\nkcmp01 kcmp03\n");
  const cases: [string, string[], RegExp, Record<string, string>?][] = [
    ["-f DIR", ["-f", "adir"], /^ltp-run: runtest file adir is not a file/],
    ["--config DIR", ["-f", "kcmp", "--config", "adir"], /^ltp-run: config adir is not a file/],
    ["list --testcases /nope", ["list", "--testcases", "/nope"], /^ltp-run: --testcases \/nope: cannot read it: ENOENT/],
    ["--results-dir FILE", ["-f", "kcmp", "--results-dir", "afile"], /^ltp-run: --results-dir afile: cannot create afile\/\S+: a part of afile\/\S+ is a file, not a directory/],
    ["--json DIR", ["-f", "kcmp", "--json", "adir"], /^ltp-run: cannot write adir: it is a directory \(EISDIR\)/],
    ["--junit FILE/x.xml", ["-f", "kcmp", "--junit", "afile/x.xml"], /^ltp-run: cannot write afile\/x.xml: a part of afile is a file, not a directory/],
    ["--expect DIR", ["-f", "kcmp", "--expect", "adir"], /^ltp-run: expectations file adir: cannot read it: .*EISDIR/],
    ["--timeout past Node's longest timer", ["-f", "kcmp", "--timeout", "2147484"], /^ltp-run: --timeout takes a positive number of seconds, at most 2147483 /],
    ["--seed past 64 bits", ["-f", "kcmp", "--seed", "18446744073709551616"], /^ltp-run: --seed takes a whole number from 0 to 18446744073709551615/],
    ["-j past what memory holds", ["-f", "kcmp", "-j", "100000"], /^ltp-run: -j 100000: at most \d+ jobs at once on this machine \(4 per CPU, \d+ CPUs\)/],
    ["-s matching nothing", ["-f", "kcmp", "-s", "^nosuch"], /^ltp-run: -s \^nosuch matches no tag of kcmp/],
    ["a tag given twice", ["-f", "dup-runtest"], /^ltp-run: dup-runtest:3: tag kcmp01 is already at dup-runtest:1/],
    ["a runtest file given twice", ["-f", "kcmp,kcmp"], /^ltp-run: -f: kcmp is given twice/],
    ["--shard without --seed, outside CI", ["-f", "kcmp", "--shard", "1/2"], /^ltp-run: --shard needs --seed N, the same on every shard \(or GITHUB_RUN_ID or CI_PIPELINE_ID set by the CI\)/],
    ["--shard with a CI run id that is no number", ["-f", "kcmp", "--shard", "1/2"], /^ltp-run: GITHUB_RUN_ID takes a whole number/, { GITHUB_RUN_ID: "run-7" }],
  ];
  for (const [what, args, re, env] of cases) {
    const r = ltpRun(args, { cwd, ...(env ? { env } : {}) });
    t.equal(r.code, 2, `${what}: exit 2`);
    t.equal(r.err.trim().split("\n").length, 1, `${what}: one line`);
    t.match(r.err, re, what);
    t.equal(r.out, "", `${what}: nothing announced, no job ran`);
    const runs = existsSync(join(cwd, "results")) ? readdirSync(join(cwd, "results")) : [];
    t.same(runs, [], `${what}: no run directory is left`);
  }
});

t.test("--seed takes 64 bits exactly; a shard takes its seed from the CI's run id", async (t) => {
  const seedOf = (args: string[], env?: Record<string, string>) => {
    const r = ltpRun(["-f", "kcmp", "-s", "kcmp01", "--config", "minimal", ...args, "--json", "r.json"], env ? { env } : {});
    t.equal(r.code, 0, r.err);
    const json = JSON.parse(readFileSync(join(r.cwd, "r.json"), "utf8"));
    return { run: json.ltp_run.seed, job: json.results[0].seed, out: r.out };
  };
  const one = seedOf(["--seed", "1"]);
  const wrapped = seedOf(["--seed", "4294967297"]);
  t.equal(wrapped.run, 4294967297, "2^32 + 1 is not 1");
  t.not(wrapped.job, one.job, "nor are the job seeds");
  const top = seedOf(["--seed", "18446744073709551615"]);
  t.equal(top.run, "18446744073709551615", "past 2^53 the JSON holds it as a decimal string, exactly");
  t.ok(Number.isInteger(top.job) && top.job >= 0 && top.job < 2 ** 32, "a job's seed stays 32 bits");
  const ci = seedOf(["--shard", "1/1"], { GITHUB_RUN_ID: "9876543210123" });
  t.equal(ci.run, 9876543210123);
  t.match(ci.out, "seed 9876543210123 (GITHUB_RUN_ID)");
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

/**
 * Runs a shell script in a mount namespace of its own (as root, or in a user namespace where
 * the kernel allows them), where it can mount a small tmpfs; null where namespaces are refused.
 */
function inMountNamespace(script: string, env: Record<string, string>) {
  const probe = spawnSync("unshare", ["--mount", "--map-root-user", "true"], { encoding: "utf8" });
  if (probe.status !== 0) return null;
  return spawnSync("unshare", ["--mount", "--map-root-user", "sh", "-c", script], { encoding: "utf8", env: localEnv(env) });
}

t.test("a results directory that cannot be written: one line, exit 2, before any job", async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), "ltp-run-ro-"));
  const r = inMountNamespace(`mount -t tmpfs -o ro,size=64k tmpfs "$R" && exec "$NODE" "$MAIN" -f kcmp --results-dir "$R"`,
    { R: cwd, NODE: process.execPath, MAIN });
  if (!r) return t.skip("no mount namespace here");
  t.equal(r.status, 2);
  t.match(r.stderr, new RegExp(`^ltp-run: --results-dir ${cwd}: cannot create ${cwd}/\\S+: read-only file system \\(EROFS\\)\\n$`));
  t.equal(r.stdout, "", "no job ran");
});

t.test("the results disk fills up mid-run: one line per report it cannot hold, the others are written, exit 2", async (t) => {
  const out = mkdtempSync(join(tmpdir(), "ltp-run-full-"));
  const disk = mkdtempSync(join(tmpdir(), "ltp-run-disk-"));
  // Once the run has written a result, the test fills the disk: every later write of the run
  // directory fails (ENOSPC), the copies elsewhere go on.
  const script = `
    mount -t tmpfs -o size=1m tmpfs "$R" || exit 99
    "$NODE" "$MAIN" --testcases "$TESTCASES" -f "$RUNTEST" --config minimal -j 1 --seed 3 --results-dir "$R" \\
      --json "$OUT/r.json" --junit "$OUT/j.xml" --tap "$OUT/t.tap" >"$OUT/stdout" 2>"$OUT/stderr" &
    pid=$!
    i=0
    until grep -qs '"test_fqn"' "$R"/latest/results.json || [ $i -ge 1200 ]; do sleep 0.05; i=$((i + 1)); done
    dd if=/dev/zero of="$R/filler" bs=4k 2>/dev/null
    wait $pid
    echo $? >"$OUT/code"
    ls -A "$R"/latest/ >"$OUT/files"
    cp "$R"/latest/results.json "$OUT/left.json"`;
  const r = inMountNamespace(script, { R: disk, OUT: out, NODE: process.execPath, MAIN, TESTCASES, RUNTEST: join(FIXTURES, "runtest/slow") });
  if (!r) return t.skip("no mount namespace here");
  t.equal(r.status, 0, r.stderr);
  t.equal(readFileSync(join(out, "code"), "utf8").trim(), "2", "every job passed, but reports are missing: exit 2");
  const err = readFileSync(join(out, "stderr"), "utf8");
  const lines = err.trim().split("\n");
  t.ok(lines.length >= 1 && lines.every((l) => /^ltp-run: cannot write \S+\/(results\.json|junit\.xml|results\.tap|minimal\.log): no space left on device \(ENOSPC\)$/.test(l)), err);
  t.match(err, /results\.json: no space left on device/, "the JSON report is named");
  t.notMatch(err, /\n\s+at /, "no stack trace");
  t.match(readFileSync(join(out, "stdout"), "utf8"), /\n12 passed, 0 failed, 0 broken, 0 skipped\n/, "the run went on to the end");
  t.same(readFileSync(join(out, "files"), "utf8").split("\n").filter((f) => f.endsWith(".tmp")), [], "no .tmp file is left");
  t.equal(JSON.parse(readFileSync(join(out, "left.json"), "utf8")).ltp_run.state, "incomplete", "what the full disk kept does not claim to be complete");

  const json = JSON.parse(readFileSync(join(out, "r.json"), "utf8"));
  t.equal(json.results.length, 12, "the --json copy is complete");
  t.equal(json.ltp_run.state, "complete");
  t.equal(XMLValidator.validate(readFileSync(join(out, "j.xml"), "utf8")), true, "the --junit copy parses");
  t.match(readFileSync(join(out, "t.tap"), "utf8"), /^TAP version 14\n1\.\.1\n/, "the --tap copy is there");
});

/** Starts a run of the slow fixtures (12 jobs of 0.3 s, -j 1) with copies of every report in `cwd`. */
function slowRun(cwd: string) {
  return spawn(process.execPath, [MAIN, "--testcases", TESTCASES, "-f", join(FIXTURES, "runtest/slow"), "--config", "minimal", "-j", "1",
    "--json", "r.json", "--junit", "j.xml", "--tap", "t.tap"], { cwd, env: localEnv() });
}

/** Resolves once the run's JSON report holds `n` results (or after a minute, when the test's checks will say what went wrong). */
async function resultsWritten(cwd: string, n: number): Promise<void> {
  for (const end = Date.now() + 60_000; Date.now() < end;) {
    try {
      if (JSON.parse(readFileSync(join(cwd, "r.json"), "utf8")).results.length >= n) return;
    } catch {
      // Not written yet.
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}

function junitOf(cwd: string) {
  const xml = readFileSync(join(cwd, "j.xml"), "utf8");
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => ["testsuite", "testcase", "property"].includes(n) }).parse(xml);
  const suite = doc.testsuites.testsuite[0];
  return {
    valid: XMLValidator.validate(xml) === true,
    cases: suite.testcase as { "@_name": string; error?: { "@_message": string } }[],
    state: suite.properties.property.find((p: Record<string, string>) => p["@_name"] === "ltp-run.state")?.["@_value"],
  };
}

t.test("SIGKILL mid-run: every report reads incomplete and lists the jobs without a result", async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), "ltp-run-kill-"));
  const child = slowRun(cwd);
  const closed = new Promise((done) => child.on("close", done));
  await resultsWritten(cwd, 2);
  child.kill("SIGKILL");
  await closed;

  const json = JSON.parse(readFileSync(join(cwd, "r.json"), "utf8"));
  const finished = json.results.length;
  t.ok(finished >= 2 && finished < 12, `${finished} of 12 finished`);
  t.match(json.ltp_run, { state: "incomplete", finished: null, interrupted: false }, "JSON: incomplete");
  t.equal(json.ltp_run.not_run.length, 12 - finished);
  const junit = junitOf(cwd);
  t.ok(junit.valid);
  t.equal(junit.state, "incomplete", "JUnit: incomplete");
  t.equal(junit.cases.length, 12);
  t.equal(junit.cases.filter((c) => c.error?.["@_message"] === "not run: the run did not finish").length, 12 - finished);
  const log = readFileSync(join(runDir(cwd), "minimal.log"), "utf8");
  t.match(log, "\nRun State: incomplete (it is still running, or it was killed)\n", "log: incomplete");
  t.match(log, "\nPlanned Tests: 12\n");
  const tap = readFileSync(join(cwd, "t.tap"), "utf8");
  t.match(tap, "\n# run incomplete: it is still running, or it was killed\n", "TAP: incomplete");
  t.match(tap, /\nnot ok 1 - minimal \(x86_64\)\n/);
});

t.test("SIGINT mid-run: JUnit, TAP and the log list the jobs not run", async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), "ltp-run-int-"));
  const child = slowRun(cwd);
  const closed = new Promise<number | null>((done) => child.on("close", done));
  await resultsWritten(cwd, 2);
  child.kill("SIGINT");
  t.equal(await closed, 130);

  const json = JSON.parse(readFileSync(join(cwd, "r.json"), "utf8"));
  const finished = json.results.length;
  const notRun = json.ltp_run.not_run.map((j: { tag: string }) => j.tag);
  t.equal(json.ltp_run.state, "interrupted");
  t.equal(notRun.length, 12 - finished);
  t.ok(notRun.length > 0, "the run was interrupted mid-way");
  const junit = junitOf(cwd);
  t.equal(junit.state, "interrupted");
  t.same(junit.cases.filter((c) => c.error?.["@_message"] === "not run: interrupted").map((c) => c["@_name"]), notRun, "JUnit: an error per job not run");
  const tap = readFileSync(join(cwd, "t.tap"), "utf8");
  t.same([...tap.matchAll(/^ {4}not ok \d+ - (\S+)\n {6}---\n {6}status: "not run"\n {6}reason: "interrupted"\n/gm)].map((m) => m[1]), notRun, "TAP: not ok per job not run");
  const log = readFileSync(join(runDir(cwd), "minimal.log"), "utf8");
  t.same([...log.matchAll(/^(\S+)\s+NOTRUN\s+-$/gm)].map((m) => m[1]), notRun, "log: a NOTRUN row per job not run");
  t.match(log, `\nTotal Tests: ${finished}\nTotal Skipped Tests: 0\nTotal Failures: 0\nPlanned Tests: 12\nNot Run Tests: ${12 - finished} (interrupted)\n`);
});
