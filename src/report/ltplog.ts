import { hostname } from "node:os";
import type { JobResult } from "./jobresult.js";
import { failsRun } from "./status.js";

/** ltp-pan's Result column: kirk's status word in capitals (PASS, BROK, CONF; FLAKY, XFAIL, XPASS). */
function resultColumn(r: JobResult): string {
  return r.status.toUpperCase();
}

/** The log runltp writes with -p (ltp-pan's format): one per configuration. */
export function ltpLog(config: string, arch: string, results: readonly JobResult[], started: Date): string {
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
    `Kernel Version: emulated Linux 6.12 (config ${config})`,
    `Machine Architecture: ${arch}`,
    `Hostname: ${hostname()}`,
    "",
  ];
  return lines.join("\n");
}
