import t from "tap";
import { Parser } from "tap-parser";
import { tapReport } from "../dist/src/report/tap.js";
import { jsonReport } from "../dist/src/report/json.js";
import { junitXml } from "../dist/src/report/junit.js";
import { ltpLog } from "../dist/src/report/ltplog.js";
import { configParts } from "../dist/src/report/summary.js";
import { XMLParser, XMLValidator } from "fast-xml-parser";

// dist has no declarations: the shapes of src/report/jobresult.ts's JobResult and src/report/meta.ts's RunMeta.
type Counts = { passed: number; failed: number; broken: number; skipped: number; warnings: number };
type Line = { type: number; message: string; category?: string };
interface JobResult {
  index: number; tag: string; command: string; args: string[]; config: string; configSpec: string; arch: string; target: string; seed: number;
  status: "pass" | "fail" | "brok" | "warn" | "conf"; testStatus: string; cases: { n: number; status: string }[];
  exitCode: number; counts: Counts;
  lines: Line[]; log: string[]; duration: number; tconf: { category: string; reason: string }[]; startedAt: Date;
}
interface RunMeta {
  runId: string; seed: bigint; started: Date; finished: Date | null;
  configs: { name: string; arch: string; fingerprint: string }[]; runtest: string[];
  interrupted: boolean; notRun: { tag: string; config: string }[]; version: string; matrixSize: number;
  target: { kind: string; text: string; kernel: string };
}

const T = { PASS: 0, FAIL: 1, BROK: 2, WARN: 4, INFO: 16, CONF: 32 } as const;

function job(p: Partial<JobResult> & Pick<JobResult, "tag" | "config" | "status">): JobResult {
  const lines: Line[] = p.lines ?? [];
  const count = (type: number) => lines.filter((l) => l.type === type).length;
  return {
    index: 0,
    command: p.tag,
    configSpec: p.config,
    testStatus: p.status,
    cases: [],
    args: [],
    arch: p.config === "riscv64" ? "riscv64" : "x86_64",
    target: "emulated",
    seed: 1234,
    exitCode: 0,
    counts: { passed: count(T.PASS), failed: count(T.FAIL), broken: count(T.BROK), skipped: count(T.CONF), warnings: count(T.WARN) },
    log: lines.map((l) => `${p.tag}.ts: ${l.message}`),
    duration: 12.5,
    tconf: [],
    startedAt: new Date("2025-01-02T03:04:05.678Z"),
    ...p,
    lines,
  };
}

// A log written to break a careless YAML writer: comments, mapping and sequence syntax, document
// markers, TAP test points, leading spaces, tabs, backslashes, a blank line.
const failLog = [
  "tst_test.ts: TINFO: Tested kernel: emulated Linux 6.12 minimal x86_64",
  "kcmp02.ts: TFAIL: kcmp(KCMP_FILE) # expected 0: got -1 (EBADF)",
  '- foo: "bar"',
  "  indented: line with: colons",
  "",
  "---",
  "...",
  "ok 7 - not a test point # SKIP nope",
  "key: value # not a comment",
  "C:\\path\\with\\backslashes\tand a tab",
  "Summary:",
  "failed   1",
];
const brokLog = ["brok01.ts: TBROK: setup failed: 'quoted' & {braces} [brackets] | pipe > gt", "Summary:", ""];
const fail = job({
  tag: "kcmp02", config: "minimal", status: "fail", exitCode: 1, seed: 42,
  lines: [{ type: T.INFO, message: "Tested kernel" }, { type: T.FAIL, message: "kcmp(KCMP_FILE) # expected 0: got -1 (EBADF)" }],
  log: failLog,
});
const brok = job({
  tag: "brok01", config: "minimal", status: "brok", exitCode: 2,
  lines: [{ type: T.BROK, message: "setup failed: 'quoted' & {braces}" }], log: brokLog,
});
const ctrl = job({
  tag: "ctrl01", config: "riscv64", status: "fail", exitCode: 1,
  lines: [{ type: T.FAIL, message: "bell \u0007 and NEL \u0085" }], log: ["ctrl01.ts: TFAIL: bell \u0007 and NEL \u0085", "next line"],
});
const warn = job({
  tag: "warn01", config: "minimal", status: "warn", exitCode: 4,
  lines: [{ type: T.PASS, message: "ok" }, { type: T.WARN, message: "cleanup: close(3) # EBADF" }, { type: T.WARN, message: '- "second"' }],
});
const pass = job({ tag: "kcmp01", config: "minimal", status: "pass", lines: [{ type: T.PASS, message: "kcmp() ok" }] });
const confReason = "kcmp() not configured: needs CONFIG_KCMP # via DRM \\ or CHECKPOINT_RESTORE";
const conf = job({
  tag: "kcmp03", config: "minimal", status: "conf", exitCode: 32,
  lines: [{ type: T.CONF, message: confReason, category: "not-configured" }],
  tconf: [{ category: "not-configured", reason: confReason }],
});
const noEntry = job({
  tag: "fork01", config: "riscv64", status: "conf", exitCode: 32,
  lines: [{ type: T.CONF, message: "fork() has no entry in riscv64's table", category: "no-entry" }],
  tconf: [{ category: "no-entry", reason: "fork() has no entry in riscv64's table" }],
});
const plainConf = job({ tag: "conf02", config: "riscv64", status: "conf", exitCode: 32, lines: [{ type: T.CONF, message: "needs root" }] });
const pass2 = job({ tag: "kcmp01", config: "riscv64", status: "pass", lines: [{ type: T.PASS, message: "kcmp() ok" }] });

const results: JobResult[] = [pass, fail, conf, brok, warn, pass2, noEntry, plainConf, ctrl];
const meta: RunMeta = {
  runId: "20250102-030405", seed: 7n,
  started: new Date("2025-01-02T03:04:05Z"), finished: new Date("2025-01-02T03:04:09Z"),
  configs: [{ name: "minimal", arch: "x86_64", fingerprint: "sha256:aa" }, { name: "riscv64", arch: "riscv64", fingerprint: "sha256:bb" }],
  runtest: ["syscalls"], interrupted: true,
  notRun: [{ tag: "kcmp02", config: "riscv64" }], version: "0.1.0", matrixSize: 10,
  target: { kind: "emulated", text: "emulated", kernel: "Linux 6.12 (emulated)" },
};
const host = { kernel: "Linux 6.1.0", arch: "x86_64", cpu: "Test CPU", RAM: "1024 kB" };

interface Parsed {
  name: string;
  complete: Parser["results"] & {};
  asserts: { name: string; ok: boolean; skip: string | boolean; diag: Record<string, unknown> | null; time: number | null }[];
}

function parseTap(tap: string) {
  const errors: unknown[] = [];
  const children: Parsed[] = [];
  const parser = new Parser({ strict: true });
  let final: Parser["results"] = null;
  parser.on("complete", (r) => { final = r; });
  parser.on("bailout", (reason) => errors.push(`bailout: ${reason}`));
  parser.on("extra", (data) => errors.push(`non-TAP: ${data}`));
  parser.on("child", (child: Parser) => {
    const c: Parsed = { name: child.name, complete: null as never, asserts: [] };
    children.push(c);
    child.on("assert", (a) => c.asserts.push(a));
    child.on("extra", (data) => errors.push(`non-TAP in ${child.name}: ${data}`));
    child.on("complete", (r) => { c.complete = r; });
  });
  parser.end(tap);
  return { final: final as unknown as NonNullable<Parser["results"]>, children, errors };
}

t.test("TAP 14: parses strictly, one subtest per config, YAML diagnostics", async (t) => {
  const tap = tapReport({ results, meta });
  t.ok(tap.startsWith("TAP version 14\n1..2\n"), "version line, then the plan");
  t.notMatch(tap, /\n {4}TAP version/, "no version line in the child streams");
  const { final, children, errors } = parseTap(tap);
  t.same(errors, [], "no non-TAP data, no bailout");
  t.ok(final, "complete");
  t.equal(final.count, 2);
  t.equal(final.plan.end, 2);
  t.equal(final.fail, 2, "both configs have a failing job (riscv64: a job that did not run)");
  t.same(final.failures.map((f) => f.name), ["minimal (x86_64)", "riscv64 (riscv64)"], "no parse errors among the failures");
  t.same(children.map((c) => c.name), ["minimal (x86_64)", "riscv64 (riscv64)"]);

  const [min, rv] = children as [Parsed, Parsed];
  t.equal(min.complete.count, 5);
  t.equal(min.complete.fail, 2);
  t.equal(min.complete.skip, 1);
  t.same(min.complete.failures.map((f) => f.name), ["kcmp02", "brok01"], "only the TFAIL and TBROK jobs fail");
  t.equal(rv.complete.count, 5);
  t.equal(rv.complete.fail, 2);
  t.equal(rv.complete.skip, 2, "two TCONF jobs");
  t.same(rv.complete.failures.map((f) => f.name), ["ctrl01", "kcmp02"], "the job that did not run fails the stream");

  const byName = (p: Parsed, name: string) => p.asserts.find((a) => a.name === name)!;
  const f = byName(min, "kcmp02");
  t.ok(f.diag, "the failure has a YAML block that parsed");
  t.match(f.diag, { status: "fail", exitCode: 1, seed: 42, message: "kcmp(KCMP_FILE) # expected 0: got -1 (EBADF)" });
  t.same(f.diag!.counts, { passed: 0, failed: 1, broken: 0, skipped: 0, warnings: 0 });
  t.equal(f.time, 12.5, "duration_ms (tap-parser moves it to the result's time)");
  t.equal(f.diag!.log, failLog.join("\n") + "\n", "the log survives YAML byte for byte");
  const b = byName(min, "brok01");
  t.match(b.diag, { status: "brok", exitCode: 2, message: "setup failed: 'quoted' & {braces}" });
  t.equal(b.diag!.log, brokLog.join("\n") + "\n", "a trailing blank line is kept");
  t.equal(byName(rv, "ctrl01").diag!.log, ctrl.log.join("\n") + "\n", "control characters fall back to a quoted string");

  const w = byName(min, "warn01");
  t.equal(w.ok, true);
  t.same(w.diag!.warnings, ["cleanup: close(3) # EBADF", '- "second"']);
  t.equal(byName(min, "kcmp01").diag, null, "a pass has no YAML block");

  t.equal(byName(min, "kcmp03").skip, `not-configured: ${confReason}`, "# and \\ in the SKIP reason round-trip");
  t.equal(byName(rv, "fork01").skip, "no-entry: fork() has no entry in riscv64's table");
  t.equal(byName(rv, "conf02").skip, "needs root", "without a category: the first TCONF line");
  t.same(byName(rv, "kcmp02").diag, { status: "not run", reason: "interrupted" });
  t.match(tap, /\n# total: 10 jobs: 3 passed, 2 failed, 1 broken, 3 skipped, 1 not run\n# run interrupted: SIGINT or SIGTERM stopped it before every job ran\n/);
});

t.test("TAP: a clean run is ok; descriptions escape # and \\", async (t) => {
  const tag = job({ tag: "we#ird\\tag", config: "minimal", status: "pass" });
  const tap = tapReport({ results: [pass, tag], meta: { ...meta, configs: [meta.configs[0]!], notRun: [], interrupted: false } });
  t.match(tap, "ok 2 - we\\#ird\\\\tag\n");
  const { final, children, errors } = parseTap(tap);
  t.same(errors, []);
  t.equal(final.ok, true);
  t.equal(final.count, 1);
  t.same(children[0]!.asserts.map((a) => a.name), ["kcmp01", "we#ird\\tag"]);
});

t.test("JSON: kirk's schema plus ltp-run's keys", async (t) => {
  const report = jsonReport(results, meta, host) as Record<string, any>;
  t.same(JSON.parse(JSON.stringify(report)), report, "JSON.stringify round trips");
  t.same(Object.keys(report).sort(), ["environment", "ltp_run", "results", "stats"]);
  t.equal(report.results.length, results.length, "one result per job that ran");
  t.same(report.results.map((r: any) => `${r.test_fqn}@${r.config}`), results.map((r) => `${r.tag}@${r.config}`), "in the given order");

  const kirkTest = ["arguments", "broken", "command", "duration", "failed", "log", "passed", "result", "retval", "skipped", "warnings"];
  for (const r of report.results) {
    t.same(Object.keys(r.test).sort(), kirkTest);
    t.type(r.test_fqn, "string");
    t.ok(["pass", "fail", "brok", "warn", "conf"].includes(r.status));
    t.equal(r.test.result, r.status);
    t.type(r.test.command, "string");
    t.ok(Array.isArray(r.test.arguments));
    t.type(r.test.log, "string");
    t.ok(Array.isArray(r.test.retval) && r.test.retval.every((x: unknown) => typeof x === "string"), "retval: [str]");
    for (const k of ["duration", "failed", "passed", "broken", "skipped", "warnings"]) t.type(r.test[k], "number");
    t.type(r.seed, "number");
    t.match(r.started, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  }
  const f = report.results[1];
  t.match(f, { test_fqn: "kcmp02", status: "fail", config: "minimal", arch: "x86_64", seed: 42, tconf: [] });
  t.match(f.test, { command: "kcmp02", retval: ["1"], duration: 0.0125, failed: 1, log: failLog.join("\n") + "\n" });
  t.same(report.results[2].tconf, [{ category: "not-configured", reason: confReason }]);

  const sum = (k: "passed" | "failed" | "broken" | "skipped" | "warnings") => results.reduce((a, r) => a + r.counts[k], 0);
  t.same(report.stats, {
    runtime: (results.length * 12.5) / 1000,
    passed: sum("passed"), failed: sum("failed"), broken: sum("broken"), skipped: sum("skipped"), warnings: sum("warnings"),
    tconf_by_category: { "not-configured": 1, "no-entry": 1, other: 1 },
  });
  t.equal(report.stats.failed, 2);

  t.same(Object.keys(report.environment).sort(), ["RAM", "arch", "cpu", "distribution", "distribution_version", "kernel", "swap"]);
  t.match(report.environment, { kernel: "Linux 6.12 (emulated, configs minimal, riscv64)", arch: "x86_64, riscv64", cpu: "Test CPU", RAM: "1024 kB" });
  t.same(report.ltp_run, {
    version: "0.1.0", run_id: "20250102-030405", seed: 7,
    started: "2025-01-02T03:04:05.000Z", finished: "2025-01-02T03:04:09.000Z", interrupted: true, state: "interrupted",
    configs: meta.configs, runtest: ["syscalls"], not_run: [{ tag: "kcmp02", config: "riscv64" }], host, matrix_size: 10,
    target: meta.target,
  });
  const onHost = jsonReport(results, { ...meta, target: { kind: "host", text: "host", kernel: "Linux 6.18.44 (this machine's kernel)" } }) as Record<string, any>;
  t.equal(onHost.environment.kernel, "Linux 6.18.44 (this machine's kernel)", "the agent targets' kernel is the real one");

  const one = jsonReport([pass], { ...meta, configs: [meta.configs[0]!], finished: null }) as Record<string, any>;
  t.equal(one.environment.kernel, "Linux 6.12 (emulated, config minimal)");
  t.equal(one.ltp_run.finished, null);
  t.equal(one.ltp_run.state, "incomplete", "a report written while the run goes says so");
  t.match(one.environment.RAM, /^\d+ kB$/, "this machine's memory, as kirk writes it");
});

/** What XML 1.0 can carry (its Char production); anything else the writer shows as a \uXXXX escape. */
function xmlCarried(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff;
    if (pair) {
      out += text.slice(i, i + 2);
      i++;
    } else if (c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd)) {
      out += text[i];
    } else {
      out += `\\u${c.toString(16).padStart(4, "0")}`;
    }
  }
  return out;
}

/**
 * XML 1.0's rules that fast-xml-parser's validator does not check: every character allowed,
 * no "]]>" in character data (it may stand in a CDATA section or an attribute value).
 */
function strictXmlProblems(xml: string): string[] {
  const problems: string[] = [];
  if (xmlCarried(xml) !== xml) problems.push("a character XML 1.0 does not allow");
  if (xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "").replace(/="[^"]*"/g, "").includes("]]>")) problems.push("]]> outside a CDATA section");
  return problems;
}

t.test("JUnit XML: any text survives, every ]]>, control character and unpaired surrogate", async (t) => {
  const controls = Array.from({ length: 32 }, (_, c) => String.fromCharCode(c)).join("") + "\x7f";
  const nasty = [
    "a]]>b]]>c", "]]]]>>]]>]]", "]]", controls, "cr\r\nlf\rcr", "lone high \ud800, lone low \udc00, a pair \ud83d\ude00",
    "\ufffe\uffff", "& < > \" ' <![CDATA[ not a section", "]]\x07>", "ends with ]",
  ];
  const message = nasty.join(" | ");
  const r = job({ tag: "nasty01", config: "minimal", status: "fail", exitCode: 1, lines: [{ type: T.FAIL, message }], log: nasty });
  const xml = junitXml({ results: [r], meta: { ...meta, notRun: [] } });
  t.same(strictXmlProblems(xml), [], "well-formed by XML 1.0's character and CDATA rules");
  t.equal(XMLValidator.validate(xml), true);
  const doc = new XMLParser({ ignoreAttributes: false, trimValues: false, parseTagValue: false, parseAttributeValue: false, htmlEntities: true }).parse(xml);
  const tc = doc.testsuites.testsuite.testcase;
  const log = nasty.join("\n");
  t.equal(tc["system-out"], xmlCarried(log), "the output comes back as written, with what XML cannot carry escaped");
  t.equal(tc.failure["#text"], xmlCarried(log));
  t.equal(tc.failure["@_message"], xmlCarried(message), "attributes keep tabs, line breaks and quotes");
  t.match(tc["system-out"], "a]]>b]]>c\n]]]]>>]]>]]\n", "every ]]>, not only the first");
  t.match(tc["system-out"], "\\u0000\\u0001", "control characters are shown, not dropped");
  t.match(tc["system-out"], "lone high \\ud800, lone low \\udc00, a pair \ud83d\ude00");
  t.match(tc["system-out"], "]]\\u0007>", "removing a character never makes a ]]>");
});

t.test("JUnit, TAP and the log list the jobs without a result, and say a run that did not finish is incomplete", async (t) => {
  const interrupted = { results, meta };
  const xml = junitXml(interrupted);
  t.same(strictXmlProblems(xml), []);
  const parse = (x: string) => new XMLParser({ ignoreAttributes: false, isArray: (n) => ["testsuite", "testcase", "property"].includes(n) }).parse(x);
  const rv = parse(xml).testsuites.testsuite[1];
  const notRun = rv.testcase.find((c: { "@_name": string }) => c["@_name"] === "kcmp02");
  t.match(notRun.error, { "@_message": "not run: interrupted", "@_type": "not-run" }, "JUnit: an error");
  t.equal(rv["@_errors"], "1");
  t.equal(rv["@_tests"], "5", "the suite counts the job");
  const state = (suite: { properties: { property: Record<string, string>[] } }) => suite.properties.property.find((p) => p["@_name"] === "ltp-run.state")?.["@_value"];
  t.equal(state(rv), "interrupted");

  const rvPart = configParts(interrupted).find((p: { name: string }) => p.name === "riscv64");
  const log = ltpLog(rvPart, meta);
  t.match(log, /\nkcmp02\s+NOTRUN\s+-\n/, "the log: a row for it");
  t.match(log, "\nTotal Tests: 4\n");
  t.match(log, "\nPlanned Tests: 5\nNot Run Tests: 1 (interrupted)\nRun State: interrupted (SIGINT or SIGTERM stopped it before every job ran)\n");

  // What a run killed mid-way leaves: the last reports written while it went.
  const running = { ...meta, finished: null, interrupted: false };
  const killed = { results: [pass], meta: { ...running, notRun: [{ tag: "kcmp02", config: "minimal" }, { tag: "kcmp01", config: "riscv64" }] } };
  const kx = parse(junitXml(killed));
  t.same(kx.testsuites.testsuite.map(state), ["incomplete", "incomplete"]);
  t.same(kx.testsuites.testsuite[1].testcase[0].error["@_message"], "not run: the run did not finish");
  const tap = tapReport(killed);
  const { final, errors } = parseTap(tap);
  t.same(errors, []);
  t.equal(final.ok, false, "TAP: a run that did not finish does not pass");
  t.match(tap, "\n# run incomplete: it is still running, or it was killed\n");
  const minimal = ltpLog(configParts(killed)[0], killed.meta);
  t.match(minimal, "\nPlanned Tests: 2\nNot Run Tests: 1 (the run did not finish)\nRun State: incomplete (it is still running, or it was killed)\n");
  t.equal((jsonReport(killed.results, killed.meta, host) as Record<string, any>).ltp_run.state, "incomplete");
});
