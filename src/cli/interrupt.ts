/** Seconds the running jobs get to finish once the run is interrupted. */
const GRACE_SECONDS = 2;

/** What execute() needs to stop a run: the abort, and the time running jobs still get. */
export interface Interruption {
  readonly signal: AbortSignal;
  readonly graceSeconds: number;
}

/**
 * Runs `body` with SIGINT and SIGTERM turned into an interruption: no new jobs start, the
 * running ones get a grace period, and the reports are still written with what finished.
 */
export async function interruptible<T>(body: (interruption: Interruption) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    process.stderr.write(`\nltp-run: ${sig}: no new jobs; running ones get ${GRACE_SECONDS} s to finish\n`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await body({ signal: controller.signal, graceSeconds: GRACE_SECONDS });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
