/** The system a run's jobs ran on. */
export interface RunTarget {
  /** emulated, host, wrapper */
  readonly kind: string;
  /** As --target takes it: "emulated", "host", "qemu-x86_64 {agent}". */
  readonly text: string;
  readonly kernel: string;
}

/** What every report says about the run as a whole. */
export interface RunMeta {
  /** results/<runId>/ */
  readonly runId: string;
  /** The run's seed, 64 bits (CI run ids are); each job's own 32-bit seed is derived from it. */
  readonly seed: bigint;
  readonly started: Date;
  /** When the run ended, or null while it is still going (reports are written as it goes). */
  readonly finished: Date | null;
  /** What ran the jobs (--target), and the kernel it stands for: "Linux 6.18.44 (this machine)". */
  readonly target: RunTarget;
  /** The configurations of the matrix, in order. */
  readonly configs: readonly { readonly name: string; readonly arch: string; readonly fingerprint: string }[];
  /** The runtest files, as given to -f. */
  readonly runtest: readonly string[];
  /** The run was stopped (SIGINT/SIGTERM) before every job ran. */
  readonly interrupted: boolean;
  /**
   * Jobs of the matrix without a result, in matrix order: those an interrupted run did not
   * start, and while the run goes (see runState) those not finished yet.
   */
  readonly notRun: readonly { readonly tag: string; readonly config: string }[];
  /** ltp-run's version (package.json). */
  readonly version: string;
  /** The git commit of the ltp-run checkout, when there is one. */
  readonly commit?: string;
  /** Jobs in the whole matrix; with --shard, this run ran a slice of them. */
  readonly matrixSize: number;
  readonly shard?: { readonly index: number; readonly count: number };
  /** Expectations-file entries that matched no job. */
  readonly staleExpectations?: readonly { readonly test: string; readonly config: string; readonly case?: number; readonly reason: string }[];
}

/**
 * Where a run stands. Reports are rewritten as jobs finish, and each says "incomplete" until
 * the run's final write: so the reports of a run that was killed (SIGKILL, a crash, a power
 * cut) say so instead of looking finished.
 */
export type RunState = "incomplete" | "interrupted" | "complete";

export function runState(meta: Pick<RunMeta, "finished" | "interrupted">): RunState {
  if (!meta.finished) return "incomplete";
  return meta.interrupted ? "interrupted" : "complete";
}

/** Why the jobs of meta.notRun have no result, as every report words it. */
export function notRunReason(state: RunState): string {
  return state === "interrupted" ? "interrupted" : "the run did not finish";
}

/** What the state means, for a person reading a report: "incomplete (<this>)". */
export function stateExplanation(state: RunState): string {
  switch (state) {
    case "complete": return "every job ran";
    case "interrupted": return "SIGINT or SIGTERM stopped it before every job ran";
    case "incomplete": return "it is still running, or it was killed";
  }
}
