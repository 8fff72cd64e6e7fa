import { createRequire } from "node:module";
import type { Builder, TestCase } from "junit-report-builder";
import { firstMeaningful, type JobResult } from "./jobresult.js";
import type { RunMeta } from "./meta.js";
import { TWARN } from "./result.js";
import { byConfig, totals } from "./summary.js";

/**
 * Loaded on demand: it costs a noticeable time to load, and it is CommonJS whose default
 * export NodeNext types wrongly, so it is required rather than imported.
 */
function newBuilder(): Builder {
  const require = createRequire(import.meta.url);
  const m = require("junit-report-builder") as Builder & { default?: Builder };
  return (m.default ?? m).newBuilder();
}

/**
 * junit-report-builder writes <skipped/> without a message; CI systems show the message, so
 * the reason is added to the element the builder makes.
 */
function skippedWithMessage(tc: TestCase, message: string): void {
  tc.skipped();
  const build = tc.build.bind(tc);
  tc.build = (parent) => {
    const el = build(parent);
    for (const child of el.children as { name?: string; att?: (k: string, v: string) => void }[]) {
      if (child.name === "skipped") child.att?.("message", message);
    }
    return el;
  };
}

/** JUnit's timestamp (no zone in its schema), in UTC: the builder would write local time. */
function utc(d: Date): string {
  return d.toISOString().slice(0, 19);
}

/** JUnit XML: one testsuite per configuration; TCONF skipped, TFAIL failure, TBROK error. */
export function junitXml(results: readonly JobResult[], meta: RunMeta): string {
  const builder = newBuilder();
  for (const [config, list] of byConfig(results)) {
    const t = totals(list);
    const fingerprint = meta.configs.find((c) => c.name === config)?.fingerprint ?? "";
    const suite = builder.testSuite().name(`ltp-run.${config}`).timestamp(utc(list[0]!.startedAt))
      .property("config", config).property("arch", list[0]!.arch).property("seed", String(meta.seed))
      .property("config.fingerprint", fingerprint).property("ltp-run.version", meta.version);
    for (const [category, n] of Object.entries(t.tconfByCategory)) suite.property(`skipped.${category}`, String(n));
    for (const r of list) {
      const tc = suite.testCase().className(`ltp-run.${config}`).name(r.tag).time(r.duration / 1000)
        .property("seed", String(r.seed));
      const log = r.log.join("\n");
      tc.standardOutput(log);
      if (r.status === "fail") tc.failure(firstMeaningful(r), "TFAIL").stacktrace(log);
      else if (r.status === "brok") tc.error(firstMeaningful(r), "TBROK", log);
      else if (r.status === "xpass") tc.failure(`XPASS: listed as a known failure (${r.expected?.reason ?? ""}), but it passed`, "XPASS").stacktrace(log);
      else if (r.status === "xfail") skippedWithMessage(tc, `XFAIL: ${r.expected?.reason ?? ""}: ${firstMeaningful(r)}`);
      else if (r.status === "conf") {
        const first = r.tconf[0];
        skippedWithMessage(tc, first ? `TCONF (${first.category}): ${first.reason}` : "TCONF");
      }
      if (r.attempts) {
        tc.property("attempts", r.attempts.map((a) => `${a.status}@${a.seed}`).join(" "));
        if (r.status === "flaky") tc.property("flaky", "true");
      }
      if (r.counts.warnings) tc.standardError(r.lines.filter((l) => l.type === TWARN).map((l) => `TWARN: ${l.message}`).join("\n"));
    }
  }
  return builder.build();
}



/** `compare --format junit`: one testcase per change; a regression is a failure. */
export function compareJunitXml(c: import("./compare.js").Comparison): string {
  const builder = newBuilder();
  const suite = builder.testSuite().name("ltp-run.compare").property("regressions", String(c.regressions));
  for (const x of c.changes) {
    const tc = suite.testCase().className(`ltp-run.compare.${x.config}`).name(x.case === undefined ? x.test : `${x.test}#${x.case}`)
      .property("transition", x.transition).property("old", x.old ?? "-").property("new", x.new ?? "-");
    if (x.transition === "regression") tc.failure(`${x.old ?? "-"} -> ${x.new ?? "-"}: ${x.detail}`, "regression");
    else if (x.transition === "not-run" || x.transition === "removed") skippedWithMessage(tc, x.transition);
  }
  return builder.build();
}
