import t from "tap";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { Parser } from "tap-parser";
import { loadConfigs } from "../dist/src/runner/configs.js";
import { execute } from "../dist/src/runner/execute.js";
import { jobMatrix } from "../dist/src/runner/job.js";
import { parallelismError, workerCount } from "../dist/src/runner/parallelism.js";
import { parseRuntest } from "../dist/src/runner/runtest.js";

const MAIN = resolve("bin/ltp-run.js");
const FIXTURES = resolve("test/fixtures");
const TESTCASES = resolve("dist/test/fixtures/testcases");

/** Runs the CLI; runtest files from the fixtures use the fixture testcases. */
function ltpRun(args: string[], cwd = mkdtempSync(join(tmpdir(), "ltp-run-runner-"))) {
  const fixtures = args.some((a) => a.startsWith(FIXTURES)) ? ["--testcases", TESTCASES] : [];
  const r = spawnSync(process.execPath, [MAIN, ...fixtures, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr, cwd };
}

function lineOf(out: string, tag: string, config: string): string {
  return out.split("\n").find((l) => new RegExp(`^${tag}\\s+${config.replace(/[+]/g, "\\+")}\\s`).test(l)) ?? "";
}

t.test("every way a job can end, on two configs in parallel", async (t) => {
  const r = ltpRun(["-f", join(FIXTURES, "runtest/harness"), "--config", "defconfig,minimal", "-j", "2", "--seed", "5"]);
  t.equal(r.code, 1, "broken jobs make the run fail");
  for (const config of ["defconfig", "minimal"]) {
    t.match(lineOf(r.out, "ok01", config), "TPASS");
    t.match(lineOf(r.out, "ok02", config), "TPASS", "the run goes on after every kind of breakage");
    t.match(lineOf(r.out, "hang01", config), /TBROK\s+Test killed! \(timeout\?\): no result within 1 s/);
    t.match(lineOf(r.out, "spin01", config), /TBROK\s+Test killed! \(timeout\?\).*the worker was terminated/);
    t.match(lineOf(r.out, "deadlock01", config), /TBROK\s+deadlock: every task is blocked and no timer is pending: .*pid 3 \(ltp\) in pause/,
      "a deadlock is reported as one, not as a timeout");
    t.match(lineOf(r.out, "throw01", config), /TBROK\s+Unhandled exception: TypeError: fixture bug/);
    t.match(lineOf(r.out, "crash01", config), /TBROK\s+the worker running the testcase exited with code 7/);
    t.match(lineOf(r.out, "silent01", config), /TBROK\s+Test haven't reported results!/);
    t.match(lineOf(r.out, "loadfail01", config), /TBROK\s+loadfail01: cannot load the testcase: fixture: this module fails while it loads/);
  }
  t.match(r.out, /\n4 passed, 0 failed, 14 broken, 0 skipped\n/);
});

t.test("a job that leaves something behind in its worker is the broken one; the next job in that worker passes", async (t) => {
  const r = ltpRun(["-f", join(FIXTURES, "runtest/isolation"), "--config", "minimal", "-j", "1", "--json", "r.json"]);
  t.equal(r.code, 1, r.err);
  for (const what of ["throw", "exit", "reject"]) {
    t.match(lineOf(r.out, `leak_${what}`, "minimal"), /TBROK\s+Test leaked 1 Timeout past its end; its worker thread is replaced/, `a timer that will ${what}`);
    t.match(lineOf(r.out, `after_${what}`, "minimal"), "TPASS", `the job after the timer that would ${what}`);
  }
  t.match(lineOf(r.out, "leak_global", "minimal"), /TBROK\s+Test leaked the global fixtureLeftover/);
  t.match(lineOf(r.out, "after_global", "minimal"), "TPASS");
  t.match(lineOf(r.out, "leak_late", "minimal"), /TBROK\s+the worker running the testcase crashed: Error: fixture: rejected after the test reported/,
    "a rejection after the result is the job's own");
  t.match(lineOf(r.out, "after_late", "minimal"), "TPASS");
  const json = JSON.parse(readFileSync(join(r.cwd, "r.json"), "utf8"));
  const leakThrow = json.results.find((x: { test_fqn: string }) => x.test_fqn === "leak_throw");
  t.match(leakThrow.test.log, /TPASS: reported before leaving something behind[^]*TBROK: Test leaked/, "what the culprit reported stays, then its TBROK");
  t.same([leakThrow.test.passed, leakThrow.test.broken], [1, 1]);
});

t.test("a job past its memory is TBROK out of memory, the others pass and the machine keeps its memory", async (t) => {
  const text = readFileSync(join(FIXTURES, "runtest/memory"), "utf8");
  const matrix = jobMatrix(parseRuntest(text, "memory"), loadConfigs("minimal"));
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 10);
  const run = await execute(matrix, { parallel: 2, runSeed: 1, defaultTimeout: 60, testcasesDir: TESTCASES, jobMemoryMb: 256 });
  clearInterval(sampler);
  const byTag = new Map(run.results.map((x) => [x!.tag, x!]));
  for (const tag of ["ok_first", "ok_between", "ok_last"]) t.equal(byTag.get(tag)?.status, "pass", tag);
  for (const [tag, what] of [["hog_buffers", "ArrayBuffers, outside the heap"], ["hog_heap", "the heap"]]) {
    t.equal(byTag.get(tag)?.status, "brok", tag);
    t.match(byTag.get(tag)?.lines[0]?.message, /^out of memory: the run holds \d+ MiB of RSS, past its bound of 1024 MiB \(256 MiB a job\), and this job touched the most memory/,
      `${what}: bounded by the run's RSS`);
  }
  t.ok(peak < 2 * 1024 ** 3, `peak RSS ${Math.round(peak / 1024 ** 2)} MiB, under 2 GiB`);
});

t.test("-j: never more workers than jobs or than 4 per CPU", async (t) => {
  t.equal(parallelismError(8, 2), null);
  t.equal(parallelismError(9, 2), "-j 9: at most 8 jobs at once on this machine (4 per CPU, 2 CPUs)");
  t.equal(parallelismError(100000, 2), "-j 100000: at most 8 jobs at once on this machine (4 per CPU, 2 CPUs)");
  t.equal(workerCount(100000, 3, 2), 3, "no more workers than jobs");
  t.equal(workerCount(100000, 500, 2), 8, "a caller that did not ask gets the machine's bound");
  const matrix = jobMatrix(parseRuntest("a ok01\nb ok01\nc ok01\n", "j"), loadConfigs("minimal"));
  const run = await execute(matrix, { parallel: 100000, runSeed: 1, defaultTimeout: 10, testcasesDir: TESTCASES });
  t.same(run.results.map((x) => x!.status), ["pass", "pass", "pass"], "-j 100000 on three jobs runs them");
});

t.test("the order of results does not depend on -j", async (t) => {
  const strip = (json: string) => (JSON.parse(json) as { results: { test_fqn: string; config: string; status: string; test: { log: string } }[] }).results
    .map((r) => `${r.test_fqn} ${r.config} ${r.status} ${r.test.log}`);
  const args = ["-f", "kcmp", "--config", "all", "--seed", "11", "--json", "r.json"];
  const one = ltpRun([...args, "-j", "1"]);
  const two = ltpRun([...args, "-j", "2"]);
  t.equal(one.code, 0, one.err);
  t.equal(two.code, 0, two.err);
  const a = strip(readFileSync(join(one.cwd, "r.json"), "utf8"));
  t.equal(a.length, 15, "one result per job");
  t.same(strip(readFileSync(join(two.cwd, "r.json"), "utf8")), a, "same jobs, same order, same logs");
  const consoleLines = (out: string) => out.split("\n").filter((l) => /^kcmp0/.test(l));
  t.same(consoleLines(two.out), consoleLines(one.out), "the console lists jobs in matrix order");
});

t.test("every report from one run", async (t) => {
  const r = ltpRun(["-f", "syscalls", "--config", "all", "-j", "2", "--junit", "out/j.xml", "--tap", "out/t.tap", "--json", "out/r.json"]);
  t.equal(r.code, 0, r.err);
  const xml = readFileSync(join(r.cwd, "out/j.xml"), "utf8");
  t.equal(XMLValidator.validate(xml), true);
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => ["testsuite", "testcase", "property"].includes(n) }).parse(xml);
  t.equal(doc.testsuites.testsuite.length, 5, "one testsuite per config");
  const props = doc.testsuites.testsuite[0].properties.property.map((p: Record<string, string>) => p["@_name"]);
  t.ok(props.includes("config") && props.includes("arch") && props.includes("seed"), "suite properties: config, arch, seed");

  const tap = readFileSync(join(r.cwd, "out/t.tap"), "utf8");
  const parsed = await new Promise<{ ok: boolean; count: number }>((done) => {
    const p = new Parser();
    p.on("complete", done);
    p.end(tap);
  });
  t.ok(parsed.ok, "the TAP parses and passes");
  t.equal(parsed.count, 5, "one subtest per config");

  const json = JSON.parse(readFileSync(join(r.cwd, "out/r.json"), "utf8"));
  t.equal(json.results.length, 230, "one result per job: 46 testcases on 5 configs");
  t.equal(json.stats.tconf_by_category["not-configured"], 33, "kcmp and alarm on minimal; kcmp and everything that forks on nommu");
  t.equal(json.stats.tconf_by_category["arch-unsupported"], 22, "the single-step and x86-only ptrace testcases on riscv64 and nommu");
  t.equal(json.stats.tconf_by_category["no-entry"], 2, "alarm on riscv64 and nommu (riscv has no alarm syscall)");
  const dir = readdirSync(join(r.cwd, "results")).filter((d) => d !== "latest");
  t.equal(dir.length, 1);
  t.same(readdirSync(join(r.cwd, "results", "latest")).sort(), readdirSync(join(r.cwd, "results", dir[0]!)).sort(), "results/latest points at the run");
  for (const f of ["junit.xml", "results.json", "results.tap", "minimal.log"]) t.ok(readdirSync(join(r.cwd, "results", dir[0]!)).includes(f), f);
});

t.test("--tap - writes TAP alone on stdout", async (t) => {
  const r = ltpRun(["-f", "kcmp", "--config", "minimal", "--tap", "-"]);
  t.equal(r.code, 0);
  t.match(r.out, /^TAP version 14\n/);
  t.match(r.err, "kcmp01");
});

t.test("-S skips whole tags only, and lists them as skipped", async (t) => {
  const r = ltpRun(["-f", join(FIXTURES, "runtest/skip"), "-S", join(FIXTURES, "runtest/skipfile"), "--config", "minimal", "--json", "r.json"]);
  t.equal(r.code, 0, r.err);
  t.match(lineOf(r.out, "ftest01", "minimal"), /TCONF\s+ftest01 is listed in the skip file/);
  t.match(lineOf(r.out, "lftest01", "minimal"), "TPASS", "not a substring match");
  t.match(lineOf(r.out, "ftest011", "minimal"), "TPASS");
  const json = JSON.parse(readFileSync(join(r.cwd, "r.json"), "utf8"));
  t.same(json.results.map((x: { test_fqn: string; status: string }) => `${x.test_fqn} ${x.status}`), ["ftest01 conf", "lftest01 pass", "ftest011 pass"]);
  const s = ltpRun(["-f", join(FIXTURES, "runtest/skip"), "-s", "^l", "--config", "minimal"]);
  t.match(s.out, /1 passed, 0 failed, 0 broken, 0 skipped/, "-s selects by regex");
});

t.test("bad input stops before any job", async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), "ltp-run-bad-"));
  writeFileSync(join(cwd, "badskip"), "ftest01 extra words\n");
  const cases: [string[], RegExp][] = [
    [["-j", "0"], /-j takes a whole number of at least 1/],
    [["-f", "kcmp", "-S", join(cwd, "badskip")], /badskip:1: one testcase tag per line/],
    [["-f", "kcmp", "-S", join(cwd, "nosuch")], /cannot read skip file/],
    [["-f", "kcmp", "--timeout", "-1"], /--timeout takes a positive number/],
    [["-f", "kcmp", "-s", "("], /-s: not a regular expression/],
  ];
  for (const [args, re] of cases) {
    const r = ltpRun(args, cwd);
    t.equal(r.code, 2, args.join(" "));
    t.match(r.err, re);
    t.equal(r.err.trim().split("\n").length, 1);
  }
  t.same(readdirSync(cwd).sort(), ["badskip"], "no results directory was made");
});

t.test("SIGINT mid-run: reports hold every finished job, the rest is not run, exit 130", async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), "ltp-run-int-"));
  const child = spawn(process.execPath, [MAIN, "--testcases", TESTCASES, "-f", join(FIXTURES, "runtest/slow"), "--config", "minimal", "-j", "1", "--junit", "j.xml", "--json", "r.json"], { cwd, env: { ...process.env, NO_COLOR: "1" } });
  let out = "";
  let sent = false;
  child.stdout.on("data", (d: Buffer) => {
    out += d;
    // Interrupt once two jobs have finished.
    if (!sent && (out.match(/^slow\d+\s+minimal\s+TPASS/gm) ?? []).length >= 2) {
      sent = true;
      child.kill("SIGINT");
    }
  });
  const code = await new Promise<number | null>((done) => child.on("close", done));
  t.ok(sent, "the run was interrupted mid-way");
  t.equal(code, 130);
  const json = JSON.parse(readFileSync(join(cwd, "r.json"), "utf8"));
  const finished = json.results.length;
  t.ok(finished >= 2 && finished < 12, `${finished} of 12 finished`);
  t.equal(json.ltp_run.interrupted, true);
  t.equal(json.ltp_run.not_run.length, 12 - finished, "the rest is listed as not run");
  const xml = readFileSync(join(cwd, "j.xml"), "utf8");
  t.equal(XMLValidator.validate(xml), true, "the JUnit file is complete XML");
  t.equal((xml.match(/<testcase /g) ?? []).length, 12, "every job, those not run too");
  t.equal((xml.match(/<error message="not run: interrupted"/g) ?? []).length, 12 - finished);
  t.match(out, /jobs not run \(interrupted\)/);
});

t.test("list and configs", async (t) => {
  const l = ltpRun(["list", "-f", "kcmp"]);
  t.equal(l.code, 0);
  t.match(l.out, /kcmp01\s+kcmp01\s+tcnt=5\s+forks_child\s+needs_tmpdir/);
  const j = JSON.parse(ltpRun(["list", "-f", "kcmp", "--json"]).out);
  t.same(j.map((x: { tag: string }) => x.tag), ["kcmp01", "kcmp02", "kcmp03"]);
  const c = ltpRun(["configs"]);
  t.equal(c.code, 0);
  t.match(c.out, /CONFIG_KCMP\s+n\s+y\s+y/, "KCMP: off in minimal, on in defconfig and full");
  t.match(c.out, /arch\s+x86_64\s+x86_64\s+x86_64\s+riscv64\s+riscv64/);
  const cj = JSON.parse(ltpRun(["configs", "--json"]).out);
  t.same(cj.map((x: { name: string }) => x.name), ["minimal", "defconfig", "full", "nommu", "riscv64"]);
});
