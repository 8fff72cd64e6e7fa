import { Option } from "commander";
import type { RunFileFormat } from "../report/format.js";
import { runFileFormats } from "../report/formats.js";
import { reportOnStdout, type ReportPaths } from "../report/writer.js";

function optionOf(format: RunFileFormat): Option {
  return new Option(`--${format.name} <path>`, format.help);
}

/** --<name> <path> for every run-wide report format, in the formats' order. */
export function reportOptions(): Option[] {
  return runFileFormats().map(optionOf);
}

/** The copies of reports the parsed command line asks for. */
export function reportPaths(opts: Readonly<Record<string, unknown>>): ReportPaths {
  const paths = new Map<string, string>();
  for (const format of runFileFormats()) {
    const path = opts[optionOf(format).attributeName()];
    if (typeof path === "string") paths.set(format.name, path);
  }
  return paths;
}

/** Where what a person reads goes: stdout, or stderr when a report takes stdout (--tap -). */
export function consoleStream(paths: ReportPaths): NodeJS.WritableStream {
  return reportOnStdout(paths) ? process.stderr : process.stdout;
}
