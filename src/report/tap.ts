import type { ConfigPart, RunFileFormat, RunReport } from "./format.js";
import { firstMeaningful, type JobResult } from "./jobresult.js";
import { TCONF, TWARN } from "./result.js";
import { failsRun, testResultName } from "./status.js";
import { notRunReason, runState, stateExplanation } from "./meta.js";
import { configParts, totals } from "./summary.js";

/*
 * TAP version 14 (testanything.org/tap-version-14-specification.html): one subtest per
 * configuration, one test point per job. TFAIL / TBROK jobs carry a YAML diagnostic block with
 * the job's log, TWARN jobs one with their warnings, TCONF jobs are SKIPs with their reason.
 * The YAML is written by hand: every string is a double-quoted (JSON-style) scalar, the log a
 * literal block scalar, so no message can turn into YAML syntax.
 */

/** One child stream level: TAP14 child tests are indented 4 spaces. */
const CHILD = "    ";
/** YAML diagnostics are indented 2 spaces past their test point. */
const YAML = "  ";

/**
 * A description or directive reason on one line, with `\` and `#` escaped as TAP14 requires.
 * A trailing `{` would read as a buffered subtest to node-tap's parser, so one is followed by
 * an ellipsis.
 */
function tapText(s: string): string {
  let out = s.replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, " ").trim().replace(/\\/g, "\\\\").replace(/#/g, "\\#");
  if (out.endsWith("{")) out += " \u2026";
  return out;
}

/** A comment line's text: anything goes but a line break. */
function commentText(s: string): string {
  return s.replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, " ");
}

/**
 * A YAML double-quoted scalar. JSON's string syntax is YAML's double-quoted style; characters
 * outside YAML's printable set (and those YAML 1.1 reads as line breaks) are escaped too.
 */
function yamlString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A line a literal block scalar can carry as it is: printable, no line break, no BOM. */
const BLOCK_SAFE = /^[\t\u0020-\u007e\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]*$/u;

/**
 * `key: |` and the lines, each indented 2 more than the key; its value is the lines joined
 * with "\n" plus a final "\n". An indentation indicator when a line starts with white space
 * (the parser would otherwise take it as indentation), keep-chomping when the last line is
 * blank (clip would drop it). A log a block scalar cannot carry is a double-quoted string.
 */
function yamlBlock(key: string, lines: readonly string[]): string[] {
  if (lines.length === 0) return [`${key}: ""`];
  if (!lines.every((l) => BLOCK_SAFE.test(l))) return [`${key}: ${yamlString(lines.join("\n") + "\n")}`];
  const indicator = lines.some((l) => /^[ \t]/.test(l)) ? "2" : "";
  const chomp = lines[lines.length - 1]!.trim() === "" ? "+" : "";
  return [`${key}: |${indicator}${chomp}`, ...lines.map((l) => `  ${l}`)];
}

/** The YAML block of a test point at `indent`: `---`, the lines, `...`. */
function yamlDiag(indent: string, lines: readonly string[]): string[] {
  const at = indent + YAML;
  return [`${at}---`, ...lines.map((l) => `${at}${l}`), `${at}...`];
}

/** The SKIP reason of a TCONF job: the resolver's category and reason, else the first TCONF line. */
function confReason(r: JobResult): string {
  const first = r.tconf[0];
  if (first) return `${first.category}: ${first.reason}`;
  return r.lines.find((l) => l.type === TCONF)?.message ?? "TCONF";
}

function failureDiag(r: JobResult): string[] {
  const c = r.counts;
  return [
    `status: ${yamlString(r.status)}`,
    `result: ${yamlString(testResultName(r.status) ?? r.status)}`,
    `exitCode: ${r.exitCode}`,
    `seed: ${r.seed}`,
    `duration_ms: ${r.duration}`,
    "counts:",
    `  passed: ${c.passed}`,
    `  failed: ${c.failed}`,
    `  broken: ${c.broken}`,
    `  skipped: ${c.skipped}`,
    `  warnings: ${c.warnings}`,
    `message: ${yamlString(firstMeaningful(r))}`,
    ...yamlBlock("log", r.log),
  ];
}

function warningDiag(r: JobResult): string[] {
  const warnings = r.lines.filter((l) => l.type === TWARN).map((l) => l.message);
  return [
    `status: ${yamlString(r.status)}`,
    `exitCode: ${r.exitCode}`,
    `seed: ${r.seed}`,
    `duration_ms: ${r.duration}`,
    ...(warnings.length ? ["warnings:", ...warnings.map((w) => `  - ${yamlString(w)}`)] : ["warnings: []"]),
  ];
}

/** The test point (and its YAML block) of one job, at `indent`. */
function jobPoint(n: number, r: JobResult, indent: string): string[] {
  const desc = `${n} - ${tapText(r.tag)}`;
  switch (r.status) {
    case "pass":
      return [`${indent}ok ${desc}`];
    case "conf":
      return [`${indent}ok ${desc} # SKIP ${tapText(confReason(r))}`];
    case "warn":
      return [`${indent}ok ${desc}`, ...yamlDiag(indent, warningDiag(r))];
    case "fail":
    case "brok":
    case "xpass":
      return [`${indent}not ok ${desc}`, ...yamlDiag(indent, failureDiag(r))];
    case "xfail":
      // TAP's TODO is an expected failure: a not ok that does not fail the stream.
      return [`${indent}not ok ${desc} # TODO ${tapText(`expected failure: ${r.expected?.reason ?? ""}`)}`];
    case "flaky":
      return [`${indent}ok ${desc}`, ...yamlDiag(indent, flakyDiag(r))];
  }
}

function flakyDiag(r: JobResult): string[] {
  return [
    `status: ${yamlString(r.status)}`,
    "attempts:",
    ...(r.attempts ?? []).map((a) => `  - { seed: ${a.seed}, status: ${yamlString(a.status)} }`),
  ];
}

function totalsComment(label: string, list: readonly JobResult[], notRun: number): string {
  const t = totals(list);
  const cats = Object.entries(t.tconfByCategory).map(([k, v]) => `${k} ${v}`).join(", ");
  return commentText(`# ${label}: ${t.jobs + notRun} jobs: ${t.byStatus.pass} passed, ${t.byStatus.fail} failed, ` +
    `${t.byStatus.brok} broken, ${t.byStatus.conf} skipped` +
    `${t.byStatus.warn ? `, ${t.byStatus.warn} with warnings` : ""}${cats ? ` (skipped: ${cats})` : ""}` +
    `${notRun ? `, ${notRun} not run` : ""}`);
}

/** A job without a result fails the stream: a run that did not run everything is not a pass. */
function notRunPoint(n: number, tag: string, reason: string, indent: string): string[] {
  return [`${indent}not ok ${n} - ${tapText(tag)}`, ...yamlDiag(indent, [`status: "not run"`, `reason: ${yamlString(reason)}`])];
}

/** The subtest of one configuration, test point `i` of the stream, and its totals comment. */
function configSubtest(part: ConfigPart, i: number, reason: string): { lines: string[]; summary: string } {
  const name = `${part.name} (${part.arch})`;
  const jobs = part.results.length + part.notRun.length;
  const out = [`${CHILD}${commentText(`# Subtest: ${name}`)}`];
  if (jobs === 0) {
    out.push(`${CHILD}1..0 # SKIP no jobs`, `ok ${i} - ${tapText(name)} # SKIP no jobs`);
    return { lines: out, summary: totalsComment(name, [], 0) };
  }
  out.push(`${CHILD}1..${jobs}`);
  let n = 0;
  for (const r of part.results) out.push(...jobPoint(++n, r, CHILD));
  for (const tag of part.notRun) out.push(...notRunPoint(++n, tag, reason, CHILD));
  const failed = part.notRun.length > 0 || part.results.some((r) => failsRun(r.status));
  out.push(`${failed ? "not ok" : "ok"} ${i} - ${tapText(name)}`);
  return { lines: out, summary: totalsComment(name, part.results, part.notRun.length) };
}

/**
 * The run as TAP version 14: the plan (one test per configuration, in the order of
 * meta.configs), then per configuration a subtest with one test point per job (jobs that ran,
 * in the given order, then those meta.notRun lists for it: not ok), then comments with the
 * totals and, until the run is over, that it is incomplete.
 */
export function tapReport(run: RunReport): string {
  const { results, meta } = run;
  const state = runState(meta);
  const reason = notRunReason(state);
  const parts = configParts(run);
  const out = ["TAP version 14", `1..${parts.length}`];
  const summary: string[] = [];
  parts.forEach((part, i) => {
    const subtest = configSubtest(part, i + 1, reason);
    out.push(...subtest.lines);
    summary.push(subtest.summary);
  });

  out.push(...summary);
  const all = totals(results);
  out.push(commentText(`# total: ${all.jobs + meta.notRun.length} jobs: ${all.byStatus.pass + all.byStatus.warn} passed, ` +
    `${all.byStatus.fail} failed, ${all.byStatus.brok} broken, ${all.byStatus.conf} skipped` +
    `${meta.notRun.length ? `, ${meta.notRun.length} not run` : ""}`));
  if (state !== "complete") out.push(commentText(`# run ${state}: ${stateExplanation(state)}`));
  out.push(commentText(`# ltp-run ${meta.version}, run ${meta.runId}, seed ${meta.seed}`));
  return out.join("\n") + "\n";
}

export const tapFormat: RunFileFormat = {
  scope: "run", name: "tap", fileName: "results.tap", stdout: true,
  help: "also write the TAP 14 report here (- for stdout; the console then goes to stderr)",
  render: tapReport,
};
