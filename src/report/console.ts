import { firstMeaningful, type JobResult } from "../runner/job.js";
import { byConfig, totals } from "./summary.js";

const LABEL: Record<string, string> = {
  pass: "TPASS", fail: "TFAIL", brok: "TBROK", warn: "TWARN", conf: "TCONF", flaky: "FLAKY", xfail: "XFAIL", xpass: "XPASS",
};

function color(): boolean {
  return !process.env.NO_COLOR && process.stdout.isTTY === true;
}

function paint(status: string, text: string): string {
  if (!color()) return text;
  const code = { pass: 32, fail: 31, brok: 35, warn: 33, conf: 36, flaky: 33, xfail: 36, xpass: 31 }[status] ?? 0;
  return `\x1b[${code}m${text}\x1b[0m`;
}

/** One line per finished job: tag, config, result, the first meaningful message. */
export function jobLine(r: JobResult): string {
  const msg = firstMeaningful(r);
  return `${r.tag.padEnd(14)} ${r.config.padEnd(12)} ${paint(r.status, LABEL[r.status]!)}  ${msg}`;
}

/** Totals per config, then the final line CI log readers look for. */
export function summaryLines(results: readonly JobResult[]): string[] {
  const out = [""];
  for (const [config, list] of byConfig(results)) {
    const t = totals(list);
    const cats = Object.entries(t.tconfByCategory).map(([k, v]) => `${k} ${v}`).join(", ");
    out.push(`${config} (${list[0]!.arch}): ${t.jobs} jobs: ${t.byStatus.pass} passed, ${t.byStatus.fail} failed, ${t.byStatus.brok} broken, ${t.byStatus.conf} skipped${t.byStatus.warn ? `, ${t.byStatus.warn} with warnings` : ""}${cats ? ` (skipped: ${cats})` : ""}`);
  }
  const all = totals(results);
  const b = all.byStatus;
  const gate = [b.flaky && `${b.flaky} flaky`, b.xfail && `${b.xfail} expected failures`, b.xpass && `${b.xpass} unexpected passes`].filter(Boolean);
  out.push(`${b.pass + b.warn} passed, ${b.fail} failed, ${b.brok} broken, ${b.conf} skipped${gate.length ? `, ${gate.join(", ")}` : ""}`);
  return out;
}
