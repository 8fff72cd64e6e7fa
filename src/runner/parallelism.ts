import { availableParallelism } from "node:os";

/**
 * Jobs at once per CPU beyond which more workers only cost memory: each is a V8 isolate with
 * its own heap, loaded modules and linked configurations, and jobs are CPU-bound, so past a
 * few per CPU they stop finishing sooner and start missing their timeouts (-j 100000 made
 * 78 of 230 passing jobs TBROK timeouts at 4.1 GB RSS).
 */
export const MAX_JOBS_PER_CPU = 4;

/** The most jobs a run may have running at once on this machine. */
export function maxParallel(cpus = availableParallelism()): number {
  return cpus * MAX_JOBS_PER_CPU;
}

/** Why -j n is refused, or null when the machine can run that many at once. */
export function parallelismError(n: number, cpus = availableParallelism()): string | null {
  if (!Number.isSafeInteger(n) || n < 1) return `-j takes a whole number of at least 1`;
  const max = maxParallel(cpus);
  return n > max ? `-j ${n}: at most ${max} jobs at once on this machine (${MAX_JOBS_PER_CPU} per CPU, ${cpus} CPUs)` : null;
}

/**
 * The workers a run starts: never more than it has jobs, nor more than the machine's bound
 * (a caller that skipped parallelismError gets the bound, not a thousand isolates).
 */
export function workerCount(requested: number, jobs: number, cpus = availableParallelism()): number {
  return Math.max(1, Math.min(Math.floor(requested), jobs, maxParallel(cpus)));
}
