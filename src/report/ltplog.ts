import { hostname } from "node:os";
import type { ConfigFileFormat } from "./format.js";
import type { JobResult } from "./jobresult.js";
import { failsRun } from "./status.js";

/** ltp-pan's Result column: kirk's status word in capitals (PASS, BROK, CONF; FLAKY, XFAIL, XPASS). */
function resultColumn(r: JobResult): string {
  return r.status.toUpperCase();
}

/** The log runltp writes with -p (ltp-pan's format): one per configuration. */
export function ltpLog(config: string, arch: string, results: readonly JobResult[], started: Date, kernel = "emulated Linux 6.12"): string {
  const lines = [
    `Test Start Time: ${started.toUTCString()}`,
    "-----------------------------------------",
    `${"Testcase".padEnd(50)} ${"Result".padEnd(10)} Exit Value`,
    `${"--------".padEnd(50)} ${"------".padEnd(10)} ----------`,
    ...results.map((r) => `${r.tag.padEnd(50)} ${resultColumn(r).padEnd(10)} ${r.exitCode}`),
    "",
    "-----------------------------------------------",
    `Total Tests: ${results.length}`,
    `Total Skipped Tests: ${results.filter((r) => r.status === "conf").length}`,
    `Total Failures: ${results.filter((r) => failsRun(r.status)).length}`,
    `Kernel Version: ${kernel} (config ${config})`,
    `Machine Architecture: ${arch}`,
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
  render: ({ results, meta }) => ltpLog(
    results[0]!.config, results[0]!.arch, results, meta.started, meta.target.kind === "emulated" ? undefined : meta.target.kernel,
  ),
};
