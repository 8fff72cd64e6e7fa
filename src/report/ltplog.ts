import { hostname } from "node:os";
import { failsRun, type JobResult } from "../runner/job.js";

const RESULT: Record<string, string> = {
  pass: "PASS", fail: "FAIL", brok: "BROK", warn: "WARN", conf: "CONF", flaky: "FLAKY", xfail: "XFAIL", xpass: "XPASS",
};

/** The log runltp writes with -p (ltp-pan's format): one per configuration. */
export function ltpLog(config: string, arch: string, results: readonly JobResult[], started: Date): string {
  const lines = [
    `Test Start Time: ${started.toUTCString()}`,
    "-----------------------------------------",
    `${"Testcase".padEnd(50)} ${"Result".padEnd(10)} Exit Value`,
    `${"--------".padEnd(50)} ${"------".padEnd(10)} ----------`,
    ...results.map((r) => `${r.tag.padEnd(50)} ${RESULT[r.status]!.padEnd(10)} ${r.exitCode}`),
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
