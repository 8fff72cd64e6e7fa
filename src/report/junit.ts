import type { ConfigPart, RunFileFormat, RunReport } from "./format.js";
import { firstMeaningful, type JobResult } from "./jobresult.js";
import { junitDocument, JunitSuite } from "./junitbuilder.js";
import { notRunReason, runState, type RunMeta } from "./meta.js";
import { TWARN } from "./result.js";
import { configParts, totals } from "./summary.js";

/** JUnit's timestamp (no zone in its schema), in UTC. */
function utc(d: Date): string {
  return d.toISOString().slice(0, 19);
}

/** A finished job: TCONF skipped, TFAIL failure, TBROK error, its output as system-out. */
function jobCase(suite: JunitSuite, r: JobResult): void {
  const tc = suite.testCase(suite.name, r.tag, r.duration / 1000).property("seed", String(r.seed));
  const log = r.log.join("\n");
  if (r.status === "fail") tc.failure(firstMeaningful(r), "TFAIL", log);
  else if (r.status === "brok") tc.error(firstMeaningful(r), "TBROK", log);
  else if (r.status === "xpass") tc.failure(`XPASS: listed as a known failure (${r.expected?.reason ?? ""}), but it passed`, "XPASS", log);
  else if (r.status === "xfail") tc.skipped(`XFAIL: ${r.expected?.reason ?? ""}: ${firstMeaningful(r)}`);
  else if (r.status === "conf") {
    const first = r.tconf[0];
    tc.skipped(first ? `TCONF (${first.category}): ${first.reason}` : "TCONF");
  }
  if (r.attempts) {
    tc.property("attempts", r.attempts.map((a) => `${a.status}@${a.seed}`).join(" "));
    if (r.status === "flaky") tc.property("flaky", "true");
  }
  tc.systemOut(log);
  if (r.counts.warnings) tc.systemErr(r.lines.filter((l) => l.type === TWARN).map((l) => `TWARN: ${l.message}`).join("\n"));
}

function configSuite(part: ConfigPart, meta: RunMeta): JunitSuite {
  const { name, results } = part;
  const fingerprint = meta.configs.find((c) => c.name === name)?.fingerprint ?? "";
  const state = runState(meta);
  const suite = new JunitSuite(`ltp-run.${name}`, utc(results[0]?.startedAt ?? meta.started))
    .property("config", name).property("arch", part.arch).property("seed", String(meta.seed))
    .property("config.fingerprint", fingerprint).property("ltp-run.version", meta.version)
    .property("target", meta.target.text).property("kernel", meta.target.kernel).property("ltp-run.state", state);
  for (const [category, n] of Object.entries(totals(results).tconfByCategory)) suite.property(`skipped.${category}`, String(n));
  for (const r of results) jobCase(suite, r);
  // A job without a result is an error, so a CI system never shows an unfinished run as green.
  const reason = `not run: ${notRunReason(state)}`;
  for (const tag of part.notRun) suite.testCase(suite.name, tag).error(reason, "not-run", reason);
  return suite;
}

/**
 * JUnit XML: one testsuite per configuration; TCONF skipped, TFAIL failure, TBROK error, and
 * an error for each job without a result (interrupted, or the run not finished).
 */
export function junitXml(run: RunReport): string {
  const parts = configParts(run).filter((p) => p.results.length + p.notRun.length > 0);
  return junitDocument(parts.map((part) => configSuite(part, run.meta)));
}

export const junitFormat: RunFileFormat = {
  scope: "run", name: "junit", fileName: "junit.xml", help: "also write the JUnit XML report here",
  render: junitXml,
};
