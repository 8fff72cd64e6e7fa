import { changeName, verdictLine, type Comparison } from "./compare.js";
import { junitDocument, JunitSuite } from "./junitbuilder.js";

/** A way to write a comparison of two runs (`ltp-run compare --format <name>`). */
export interface ComparisonFormat {
  readonly name: string;
  render(c: Comparison): string;
}

/** A table a reviewer reads in ten seconds: every change that is not "unchanged". */
export function compareText(c: Comparison): string {
  const rows = c.changes.filter((x) => x.transition !== "unchanged");
  const lines: string[] = [];
  if (rows.length) {
    const w = [16, 18, 14, 20];
    lines.push(`${"transition".padEnd(w[0]!)} ${"test".padEnd(w[1]!)} ${"config".padEnd(w[2]!)} ${"old -> new".padEnd(w[3]!)} detail`);
    for (const r of rows) {
      const d = r.detail.length > 100 ? `${r.detail.slice(0, 99)}…` : r.detail;
      lines.push(`${r.transition.padEnd(w[0]!)} ${changeName(r).padEnd(w[1]!)} ${r.config.padEnd(w[2]!)} ${`${r.old ?? "-"} -> ${r.new ?? "-"}`.padEnd(w[3]!)} ${d}`);
    }
    lines.push("");
  }
  lines.push(verdictLine(c));
  return lines.join("\n") + "\n";
}

function mdCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** For pasting into a review. */
function compareMarkdown(c: Comparison): string {
  const rows = c.changes.filter((x) => x.transition !== "unchanged");
  const out = [`**${verdictLine(c)}**`, ""];
  if (rows.length) {
    out.push("| transition | test | config | old | new | detail |", "|---|---|---|---|---|---|");
    for (const r of rows) out.push(`| ${r.transition} | ${mdCell(changeName(r))} | ${mdCell(r.config)} | ${r.old ?? "-"} | ${r.new ?? "-"} | ${mdCell(r.detail)} |`);
  }
  return out.join("\n") + "\n";
}

function compareJson(c: Comparison): string {
  return JSON.stringify({ regressions: c.regressions, counts: c.counts, changes: c.changes }, null, 2) + "\n";
}

/** For CI systems that show JUnit: one testcase per change; a regression is a failure. */
function compareJunitXml(c: Comparison): string {
  const suite = new JunitSuite("ltp-run.compare").property("regressions", String(c.regressions));
  for (const x of c.changes) {
    const tc = suite.testCase(`ltp-run.compare.${x.config}`, changeName(x))
      .property("transition", x.transition).property("old", x.old ?? "-").property("new", x.new ?? "-");
    if (x.transition === "regression") tc.failure(`${x.old ?? "-"} -> ${x.new ?? "-"}: ${x.detail}`, "regression");
    else if (x.transition === "not-run" || x.transition === "removed") tc.skipped(x.transition);
  }
  return junitDocument([suite]);
}

/** Every format `compare --format` offers. */
export const COMPARISON_FORMATS: readonly ComparisonFormat[] = [
  { name: "text", render: compareText },
  { name: "json", render: compareJson },
  { name: "junit", render: compareJunitXml },
  { name: "markdown", render: compareMarkdown },
];

/** "text, json, junit or markdown": the formats `compare --format` offers. */
export function comparisonFormatNames(): string {
  const names = COMPARISON_FORMATS.map((f) => f.name);
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}
