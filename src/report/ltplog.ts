import { hostname } from "node:os";
import type { ConfigFileFormat, ConfigPart } from "./format.js";
import type { JobResult } from "./jobresult.js";
import { notRunReason, runState, stateExplanation, type RunMeta } from "./meta.js";
import { failsRun } from "./status.js";

/** ltp-pan's Result column: kirk's status word in capitals (PASS, BROK, CONF; FLAKY, XFAIL, XPASS). */
function resultColumn(r: JobResult): string {
  return r.status.toUpperCase();
}

/** The Result of a job without a result; its Exit Value is "-". */
const NOT_RUN = "NOTRUN";

/**
 * The log runltp writes with -p (ltp-pan's format), one per configuration: a row per job,
 * those without a result too, and after ltp-pan's totals how many were planned and where the
 * run stands, so a log cut short by a kill says so.
 */
export function ltpLog(part: ConfigPart, meta: RunMeta): string {
  const { results } = part;
  const state = runState(meta);
  const kernel = meta.target.kind === "emulated" ? "emulated Linux 6.12" : meta.target.kernel;
  const lines = [
    `Test Start Time: ${meta.started.toUTCString()}`,
    "-----------------------------------------",
    `${"Testcase".padEnd(50)} ${"Result".padEnd(10)} Exit Value`,
    `${"--------".padEnd(50)} ${"------".padEnd(10)} ----------`,
    ...results.map((r) => `${r.tag.padEnd(50)} ${resultColumn(r).padEnd(10)} ${r.exitCode}`),
    ...part.notRun.map((tag) => `${tag.padEnd(50)} ${NOT_RUN.padEnd(10)} -`),
    "",
    "-----------------------------------------------",
    `Total Tests: ${results.length}`,
    `Total Skipped Tests: ${results.filter((r) => r.status === "conf").length}`,
    `Total Failures: ${results.filter((r) => failsRun(r.status)).length}`,
    `Planned Tests: ${results.length + part.notRun.length}`,
    `Not Run Tests: ${part.notRun.length}${part.notRun.length ? ` (${notRunReason(state)})` : ""}`,
    `Run State: ${state} (${stateExplanation(state)})`,
    `Kernel Version: ${kernel} (config ${part.name})`,
    `Machine Architecture: ${part.arch}`,
    `Hostname: ${hostname()}`,
    "",
  ];
  return lines.join("\n");
}

/** A file name for a configuration's log: overrides keep their + and =, slashes go. */
function safeName(config: string): string {
  return config.replace(/[^A-Za-z0-9_.=+-]/g, "_");
}

export const ltplogFormat: ConfigFileFormat = {
  scope: "config", name: "ltplog", fileName: (config) => `${safeName(config)}.log`,
  render: ltpLog,
};
