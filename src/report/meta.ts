/** What every report says about the run as a whole. */
export interface RunMeta {
  /** results/<runId>/ */
  readonly runId: string;
  /** The run's seed; each job's own seed is derived from it. */
  readonly seed: number;
  readonly started: Date;
  /** When the run ended, or null while it is still going (reports are written as it goes). */
  readonly finished: Date | null;
  /** The configurations of the matrix, in order. */
  readonly configs: readonly { readonly name: string; readonly arch: string; readonly fingerprint: string }[];
  /** The runtest files, as given to -f. */
  readonly runtest: readonly string[];
  /** The run was stopped (SIGINT/SIGTERM) before every job ran. */
  readonly interrupted: boolean;
  /** Jobs of the matrix that did not run (interrupted run), in matrix order. */
  readonly notRun: readonly { readonly tag: string; readonly config: string }[];
  /** ltp-run's version (package.json). */
  readonly version: string;
}
