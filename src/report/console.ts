import { firstMeaningful, type JobResult } from "./jobresult.js";
import { statusLabel, type JobStatus } from "./status.js";
import { byConfig, totals } from "./summary.js";

/** ANSI foreground colours (SGR 30-37). */
const RED = 31, GREEN = 32, YELLOW = 33, MAGENTA = 35, CYAN = 36;

const COLOUR: Readonly<Record<JobStatus, number>> = {
  pass: GREEN, fail: RED, brok: MAGENTA, warn: YELLOW, conf: CYAN, flaky: YELLOW, xfail: CYAN, xpass: RED,
};

function color(): boolean {
  return !process.env.NO_COLOR && process.stdout.isTTY === true;
}

function paint(status: JobStatus, text: string): string {
  if (!color()) return text;
  return `\x1b[${COLOUR[status]}m${text}\x1b[0m`;
}

/** One line per finished job: tag, config, result, the first meaningful message. */
export function jobLine(r: JobResult): string {
  const msg = firstMeaningful(r);
  return `${r.tag.padEnd(14)} ${r.config.padEnd(12)} ${paint(r.status, statusLabel(r.status))}  ${msg}`;
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
