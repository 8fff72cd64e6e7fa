import type { JobResult } from "./jobresult.js";
import type { RunMeta } from "./meta.js";

/** A run as its reports see it: the jobs that finished, in matrix order, and the run's facts. */
export interface RunReport {
  readonly results: readonly JobResult[];
  readonly meta: RunMeta;
}

/** One configuration's part of a run: its jobs that finished, in order, and the tags of those without a result. */
export interface ConfigPart {
  readonly name: string;
  readonly arch: string;
  readonly results: readonly JobResult[];
  readonly notRun: readonly string[];
}

/**
 * A report of the whole run: one file in the run directory, which the command line's
 * `--<name> <path>` copies elsewhere too.
 */
export interface RunFileFormat {
  readonly scope: "run";
  /** Its name, which is also its command-line option: --<name>. */
  readonly name: string;
  /** Its file in the run directory. */
  readonly fileName: string;
  /** The help of --<name> <path>. */
  readonly help: string;
  /** `--<name> -` writes it to stdout once the run ends (everything else then goes to stderr). */
  readonly stdout?: boolean;
  render(run: RunReport): string | Promise<string>;
}

/** A report written once per configuration (runltp's logs); it has no command-line option. */
export interface ConfigFileFormat {
  readonly scope: "config";
  readonly name: string;
  fileName(config: string): string;
  /** One configuration's part of the run. */
  render(part: ConfigPart, meta: RunMeta): string | Promise<string>;
}

/** A report format: one file that exports its descriptor, and one entry in REPORT_FORMATS. */
export type ReportFormat = RunFileFormat | ConfigFileFormat;
