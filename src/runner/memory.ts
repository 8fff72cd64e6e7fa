/**
 * The memory a run may use. Worker threads share one process, and a job's memory lives in two
 * places:
 *
 * - ArrayBuffers (the emulated kernel's pages, a testcase's own buffers): their backing stores
 *   are outside the V8 heap, and V8 bounds them nowhere, not even under a worker's
 *   resourceLimits (an ArrayBuffer hog took the machine to 20.4 GB of 23);
 * - its JavaScript heap: V8 ends a worker whose heap reaches its resourceLimits
 *   (ERR_WORKER_OUT_OF_MEMORY), but Node gives the worker only 16 MiB of headroom to stop in,
 *   and one allocation larger than that (a 64 MiB array) near the limit is a fatal OOM of the
 *   whole process, every job and the reports with it.
 *
 * So what bounds both is the process's RSS, read by the main thread (which runs no job code, so
 * a job spinning in a synchronous allocation loop is seen too): past the run's bound, the job
 * whose thread faulted in the most memory since it started is stopped (memory_watch.ts). The
 * heap limit stays as a backstop above that bound, where the watch has always acted first.
 */
import { totalmem } from "node:os";

const MiB = 1024 * 1024;

/** A job's memory when the run does not say: 2 GiB, less when that many jobs would fill half of this machine. */
export function defaultJobMemoryMb(workers: number, machineBytes = totalmem()): number {
  return Math.max(256, Math.min(2048, Math.floor(machineBytes / 2 / workers / MiB)));
}

/**
 * RSS of the harness itself, beside what its jobs hold: the main thread, and per worker its
 * isolate, the loaded modules and the linked configurations (about 100 MiB each, measured on
 * the syscalls suite).
 */
const HARNESS_MB = 256, PER_WORKER_MB = 128;

/**
 * How far above the run's bound the heap backstop sits: a heap can only reach the bound once
 * the RSS has, and the watch reads the RSS every 50 ms, in which a hog grows by far less.
 */
const HEAP_MARGIN_MB = 512;

export interface MemoryLimits {
  /** What one job may hold, MiB. */
  readonly jobMb: number;
  /** The process's RSS past which the job that touched the most memory is stopped. */
  readonly processBytes: number;
  /** The JavaScript heap of each worker, MiB (resourceLimits): above processBytes, a backstop. */
  readonly heapMb: number;
}

export function memoryLimits(jobMb: number, workers: number): MemoryLimits {
  const processMb = HARNESS_MB + workers * (PER_WORKER_MB + jobMb);
  return { jobMb, processBytes: processMb * MiB, heapMb: processMb + HEAP_MARGIN_MB };
}

export function mib(bytes: number): string {
  return `${Math.round(bytes / MiB)} MiB`;
}
