import type { RunFileFormat } from "./format.js";
import { firstMeaningful, type JobResult } from "./jobresult.js";
import { newBuilder, skippedWithMessage } from "./junitbuilder.js";
import type { RunMeta } from "./meta.js";
import { TWARN } from "./result.js";
import { byConfig, totals } from "./summary.js";

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
      .property("config.fingerprint", fingerprint).property("ltp-run.version", meta.version)
      .property("target", meta.target.text).property("kernel", meta.target.kernel);
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

export const junitFormat: RunFileFormat = {
  scope: "run", name: "junit", fileName: "junit.xml", help: "also write the JUnit XML report here",
  render: ({ results, meta }) => junitXml(results, meta),
};
