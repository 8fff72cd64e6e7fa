import type { ReportFormat, RunFileFormat } from "./format.js";
import { jsonFormat } from "./json.js";
import { junitFormat } from "./junit.js";
import { ltplogFormat } from "./ltplog.js";
import { tapFormat } from "./tap.js";

/**
 * Every report a run writes into its directory, rewritten as jobs finish. The command line
 * offers the run-wide ones as --<name> <path>, in this order.
 */
export const REPORT_FORMATS: readonly ReportFormat[] = [ltplogFormat, junitFormat, tapFormat, jsonFormat];

/** The formats with one file for the whole run: those --<name> <path> can copy. */
export function runFileFormats(): RunFileFormat[] {
  return REPORT_FORMATS.filter((f): f is RunFileFormat => f.scope === "run");
}
