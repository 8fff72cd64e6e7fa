/*
 * The command line's numbers, checked as commander parses them: a value out of range is one
 * line and exit 2 before anything runs.
 */
import { parallelismError } from "../runner/parallelism.js";
import { UsageError } from "./errors.js";

export function positiveInt(flag: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${flag} takes a whole number of at least 1, not ${JSON.stringify(v)}`);
    return Number(v);
  };
}

/**
 * Node's timers hold at most 2^31 - 1 ms; a longer one fires at once (TimeoutOverflowWarning),
 * which made every job TBROK the moment it started.
 */
const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export function timeoutArg(v: string): number {
  const n = Number(v);
  if (!(n > 0) || n > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(`--timeout takes a positive number of seconds, at most ${MAX_TIMEOUT_SECONDS} (the longest timer Node.js keeps, about 24 days), not ${JSON.stringify(v)}`);
  }
  return n;
}

/** -j: at least 1, and no more than the machine runs at once (runner/parallelism.ts says why). */
export function jobsArg(v: string): number {
  const n = positiveInt("-j")(v);
  const error = parallelismError(n);
  if (error) throw new UsageError(error);
  return n;
}
