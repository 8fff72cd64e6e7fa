import t from "tap";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { XMLValidator } from "fast-xml-parser";

const MAIN = resolve("bin/ltp-run.js");
const FIXTURES = resolve("test/fixtures");
const TESTCASES = resolve("dist/test/fixtures/testcases");

function ltpRun(args: string[], cwd: string, env: Record<string, string> = {}) {
  const fixtures = args.some((a) => a.startsWith(FIXTURES)) && args[0] !== "replay" ? ["--testcases", TESTCASES] : [];
  const r = spawnSync(process.execPath, [MAIN, ...args, ...fixtures], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = () => mkdtempSync(join(tmpdir(), "ltp-run-gate-"));

/** A report without what differs from run to run: times, durations, the run's id. */
function stable(path: string): string {
  const drop = new Set(["started", "finished", "duration", "runtime", "run_id"]);
  return JSON.stringify(JSON.parse(readFileSync(path, "utf8")), (k, v) => (drop.has(k) ? undefined : v));
}

t.test("baseline: a run compared with itself has no regressions; a broken link is one", async (t) => {
  const cwd = dir();
  t.equal(ltpRun(["-f", "kcmp", "--config", "all", "--json", "base.json", "--seed", "1"], cwd).code, 0);
  const same = ltpRun(["-f", "kcmp", "--config", "all", "--baseline", "base.json", "--seed", "2"], cwd);
  t.equal(same.code, 0, same.err);
  t.match(same.out, "no regressions (15 unchanged)");
  const self = ltpRun(["compare", "base.json", "base.json"], cwd);
  t.equal(self.code, 0);
  t.match(self.out, "no regressions");

  const broken = ltpRun(["-f", "kcmp", "--config", "all", "--baseline", "base.json", "--omit-syscall", "kcmp", "--json", "broken.json"], cwd);
  t.equal(broken.code, 1, "a regression fails the gate");
  t.match(broken.out, /regression\s+kcmp01#0\s+defconfig\s+pass -> fail\s+kcmp\(\) returned ENOSYS but the config builds it in/, "a row per case that changed");
  t.match(broken.out, "9 regressions (9 regression, 6 unchanged)", "minimal and nommu never had kcmp: unchanged");

  const offline = ltpRun(["compare", "base.json", "broken.json"], cwd);
  t.equal(offline.code, 1, "compare gives the same verdict offline");
  const md = ltpRun(["compare", "base.json", "broken.json", "--format", "markdown"], cwd);
  t.match(md.out, /^\*\*9 regressions/);
  t.match(md.out, "| regression | kcmp01#0 | defconfig | pass | fail |");
  const json = JSON.parse(ltpRun(["compare", "base.json", "broken.json", "--format", "json"], cwd).out);
  t.equal(json.regressions, 9);
  const junit = ltpRun(["compare", "base.json", "broken.json", "--format", "junit"], cwd).out;
  t.equal(XMLValidator.validate(junit), true);
  t.equal((junit.match(/<failure /g) ?? []).length, 36, "one failure per regressed case: 5 + 1 + 6 cases on 3 configs");
  t.equal(ltpRun(["compare", "base.json", "broken.json", "--format", "yaml"], cwd).code, 2);

  const fixed = ltpRun(["compare", "broken.json", "base.json"], cwd);
  t.equal(fixed.code, 0);
  t.match(fixed.out, "no regressions (9 fixed, 6 unchanged)");
});

t.test("--update-baseline and baseline save write the baseline", async (t) => {
  const cwd = dir();
  const r = ltpRun(["-f", "kcmp", "--config", "minimal", "--baseline", "b.json", "--update-baseline"], cwd);
  t.equal(r.code, 0, r.err);
  t.equal(JSON.parse(readFileSync(join(cwd, "b.json"), "utf8")).results.length, 3);
  t.equal(ltpRun(["baseline", "save", "b.json", "c.json"], cwd).code, 0);
  t.equal(stable(join(cwd, "c.json")), stable(join(cwd, "b.json")));
  t.equal(ltpRun(["-f", "kcmp", "--baseline", "missing.json"], cwd).code, 2, "a missing baseline is bad input");
});

t.test("a baseline or expectations file with the right keys but wrong rows: one line, exit 2, before any job", async (t) => {
  const cwd = dir();
  t.equal(ltpRun(["-f", "kcmp", "--config", "minimal", "--json", "good.json"], cwd).code, 0);
  const good = JSON.parse(readFileSync(join(cwd, "good.json"), "utf8"));
  const broken: [string, (r: any) => void, RegExp][] = [
    ["a row of other keys", (r) => { r.results = [{ name: "kcmp01", result: "pass" }]; }, /results\[0\]\.test_fqn: Invalid input: expected string, received undefined/],
    ["a log that is no text", (r) => { r.results[1].test.log = 5; }, /results\[1\]\.test\.log: Invalid input: expected string, received number/],
    ["an unknown status", (r) => { r.results[2].status = "ok"; }, /results\[2\]\.status: Invalid option: expected one of "pass"\|"fail".*/],
    ["a seed past 64 bits", (r) => { r.ltp_run.seed = "18446744073709551616"; }, /ltp_run\.seed: expected a seed of at most 64 bits/],
  ];
  for (const [what, change, re] of broken) {
    const report = structuredClone(good);
    change(report);
    writeFileSync(join(cwd, "bad.json"), JSON.stringify(report));
    for (const args of [["-f", "kcmp", "--baseline", "bad.json"], ["compare", "good.json", "bad.json"], ["merge", "bad.json", "-o", "m.json"]]) {
      const r = ltpRun(args, cwd);
      t.equal(r.code, 2, `${what}: ${args[0]}: exit 2`);
      t.match(r.err, new RegExp(`^ltp-run: bad\\.json: not an ltp-run JSON report: ${re.source}\n$`), `${what}: ${args[0]}: one line naming the place`);
      t.equal(r.out, "", `${what}: ${args[0]}: no job ran`);
    }
  }
  writeFileSync(join(cwd, "expect.json"), JSON.stringify({ expectations: [{ test: "kcmp01", config: "minimal", case: "two", reason: "r" }] }));
  const e = ltpRun(["-f", "kcmp", "--expect", "expect.json"], cwd);
  t.equal(e.code, 2);
  t.match(e.err, /^ltp-run: expectations file expect\.json: expectations\[0\]\.case: Invalid input: expected number, received string\n$/);
  t.equal(e.out, "");
});

t.test("per-case comparison: a case that newly fails is a regression", async (t) => {
  const cwd = dir();
  const rt = join(FIXTURES, "runtest/gate");
  t.equal(ltpRun(["-f", rt, "-s", "cases01", "--config", "minimal", "--json", "base.json"], cwd).code, 0);
  const r = ltpRun(["-f", rt, "-s", "cases01", "--config", "minimal", "--baseline", "base.json"], cwd, { LTP_RUN_FAIL_CASE: "1" });
  t.equal(r.code, 1);
  t.match(r.out, /regression\s+cases01#1\s+minimal\s+pass -> fail\s+case 1/);
});

t.test("known failures: XFAIL passes the gate, XPASS fails it, stale entries are reported", async (t) => {
  const cwd = dir();
  writeFileSync(join(cwd, "expect.json"), JSON.stringify({
    expectations: [
      { test: "kcmp01", config: "def*", reason: "the table of this emulator lacks kcmp", link: "https://example.org/issue/1" },
      { test: "nosuch01", config: "minimal", reason: "an entry for a testcase that is gone" },
    ],
  }));
  const xfail = ltpRun(["-f", "kcmp", "-s", "kcmp01", "--config", "defconfig", "--omit-syscall", "kcmp", "--expect", "expect.json", "--json", "r.json"], cwd);
  t.equal(xfail.code, 0, "a listed failure does not fail the run");
  t.match(xfail.out, /kcmp01\s+defconfig\s+XFAIL/);
  t.match(xfail.out, "1 expected failures");
  t.match(xfail.out, "stale expectation: nosuch01 on minimal matches no job of this run");
  const report = JSON.parse(readFileSync(join(cwd, "r.json"), "utf8"));
  t.equal(report.results[0].status, "xfail");
  t.equal(report.results[0].expected.link, "https://example.org/issue/1");
  t.equal(report.ltp_run.stale_expectations[0].test, "nosuch01");

  const xpass = ltpRun(["-f", "kcmp", "-s", "kcmp01", "--config", "defconfig", "--expect", "expect.json"], cwd);
  t.equal(xpass.code, 1, "a listed failure that passes fails the run: the list is stale");
  t.match(xpass.out, /kcmp01\s+defconfig\s+XPASS/);

  t.equal(ltpRun(["-f", "kcmp", "--config", "defconfig", "--omit-syscall", "kcmp", "--json", "fails.json"], cwd).code, 1);
  const from = ltpRun(["expect", "--from", "fails.json", "-o", "start.json"], cwd);
  t.equal(from.code, 0);
  const start = JSON.parse(readFileSync(join(cwd, "start.json"), "utf8"));
  t.same(start.expectations.map((e: { test: string }) => e.test), ["kcmp01", "kcmp02", "kcmp03"]);
  const refused = ltpRun(["-f", "kcmp", "--expect", "start.json"], cwd);
  t.equal(refused.code, 2, "placeholder reasons are refused");
  t.match(refused.err, /entry 1 \(kcmp01 on defconfig\): write the reason this failure is expected/);
});

t.test("--retries: a job that fails and then passes is FLAKY", async (t) => {
  const cwd = dir();
  const env = { LTP_RUN_FLAKY_FILE: join(cwd, "count") };
  const rt = join(FIXTURES, "runtest/gate");
  const r = ltpRun(["-f", rt, "-s", "flaky01", "--config", "minimal", "--retries", "2", "--json", "r.json", "--seed", "8"], cwd, env);
  t.equal(r.code, 0, r.err);
  t.match(r.out, /flaky01\s+minimal\s+FLAKY/);
  t.match(r.out, "1 flaky");
  const res = JSON.parse(readFileSync(join(cwd, "r.json"), "utf8")).results[0];
  t.equal(res.status, "flaky");
  t.same(res.attempts.map((a: { status: string }) => a.status), ["fail", "pass"]);
  t.equal(res.attempts[0].seed, res.attempts[1].seed, "the first rerun keeps the seed");
  writeFileSync(join(cwd, "count"), "0");
  t.equal(ltpRun(["-f", rt, "-s", "flaky01", "--config", "minimal", "--retries", "2", "--flaky-fails"], cwd, env).code, 1, "--flaky-fails");
  writeFileSync(join(cwd, "count"), "0");
  t.equal(ltpRun(["-f", rt, "-s", "flaky01", "--config", "minimal"], cwd, env).code, 1, "without retries it is a failure");
});

t.test("seeds: the same seed gives the same report, whatever -j; replay reproduces a job", async (t) => {
  const cwd = dir();
  const args = ["-f", "kcmp", "--config", "all", "--seed", "42"];
  t.equal(ltpRun([...args, "-j", "1", "--json", "a.json"], cwd).code, 0);
  t.equal(ltpRun([...args, "-j", "2", "--json", "b.json"], cwd).code, 0);
  t.equal(ltpRun([...args, "-j", "2", "--json", "c.json"], cwd).code, 0);
  t.equal(stable(join(cwd, "b.json")), stable(join(cwd, "a.json")), "-j 1 and -j 2");
  t.equal(stable(join(cwd, "c.json")), stable(join(cwd, "b.json")), "two runs");
  const a = JSON.parse(readFileSync(join(cwd, "a.json"), "utf8"));
  t.ok(a.ltp_run.configs.every((c: { fingerprint: string }) => /^[0-9a-f]{8}$/.test(c.fingerprint)));
  t.ok(a.results.every((r: { seed: number }) => Number.isInteger(r.seed)));
  for (const [tag, config] of [["kcmp02", "minimal"], ["kcmp01", "defconfig"], ["kcmp03", "riscv64"]]) {
    const r = ltpRun(["replay", "a.json", "--tag", tag!, "--config", config!], cwd);
    t.equal(r.code, 0, `${tag} on ${config}: ${r.out.split("\n").slice(-2).join(" ")}`);
    t.match(r.out, `with seed ${a.results.find((x: { test_fqn: string; config: string }) => x.test_fqn === tag && x.config === config).seed}: same result`);
  }
  t.equal(ltpRun(["replay", "a.json", "--tag", "nosuch", "--config", "minimal"], cwd).code, 2);
});

t.test("shards: 1/3, 2/3 and 3/3 merged are the unsharded run", async (t) => {
  const cwd = dir();
  const args = ["-f", "kcmp", "--config", "all", "--seed", "9"];
  t.equal(ltpRun([...args, "--json", "all.json"], cwd).code, 0);
  for (const i of [1, 2, 3]) {
    const r = ltpRun([...args, "--shard", `${i}/3`, "--json", `s${i}.json`], cwd);
    t.equal(r.code, 0);
    t.equal(JSON.parse(readFileSync(join(cwd, `s${i}.json`), "utf8")).results.length, 5, `shard ${i} has a third of the jobs`);
  }
  const m = ltpRun(["merge", "s1.json", "s2.json", "s3.json", "-o", "merged.json", "--junit", "merged.xml"], cwd);
  t.equal(m.code, 0, m.err);
  const strip = (p: string) => JSON.parse(stable(join(cwd, p))).results;
  t.same(strip("merged.json"), strip("all.json"), "the same results, in the same order");
  t.equal(XMLValidator.validate(readFileSync(join(cwd, "merged.xml"), "utf8")), true);
  t.equal(ltpRun([...args.slice(0, -1), "10", "--shard", "1/3", "--json", "other.json"], cwd).code, 0);
  const bad = ltpRun(["merge", "s1.json", "other.json", "-o", "x.json"], cwd);
  t.equal(bad.code, 2);
  t.match(bad.err, "another seed");
  t.equal(ltpRun(["merge", "s1.json", "s1.json", "-o", "x.json"], cwd).code, 2, "a job in two reports");
  mkdirSync(join(cwd, "adir"));
  const toDir = ltpRun(["merge", "s1.json", "s2.json", "s3.json", "-o", "adir"], cwd);
  t.equal(toDir.code, 2, "merge -o DIR");
  t.equal(toDir.err, "ltp-run: cannot write adir: it is a directory (EISDIR)\n");

  // Shards in CI without --seed share the pipeline's run id as their seed.
  const ci = { GITHUB_RUN_ID: "31415926535" };
  for (const i of [1, 2]) t.equal(ltpRun(["-f", "kcmp", "--config", "all", "--shard", `${i}/2`, "--json", `ci${i}.json`], cwd, ci).code, 0);
  const merged = ltpRun(["merge", "ci1.json", "ci2.json", "-o", "ci.json"], cwd);
  t.equal(merged.code, 0, merged.err);
  t.equal(JSON.parse(readFileSync(join(cwd, "ci.json"), "utf8")).ltp_run.seed, 31415926535);
  t.equal(ltpRun([...args, "--shard", "4/3"], cwd).code, 2);
});
