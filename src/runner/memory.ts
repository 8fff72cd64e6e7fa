/**
 * The memory a run may use. Two bounds, because a job's memory lives in two places:
 *
 * - its JavaScript heap: each worker thread gets V8's resourceLimits, and V8 ends a worker
 *   whose heap is full (ERR_WORKER_OUT_OF_MEMORY) without touching the others;
 * - ArrayBuffers (the emulated kernel's pages, a testcase's own buffers): their backing stores
 *   are outside the V8 heap, and V8 bounds them nowhere (an ArrayBuffer hog took the machine to
 *   20.4 GB of 23). Worker threads share one process, so only the process's RSS says how much
 *   is held: past the run's bound, the job whose thread faulted in the most memory since it
 *   started is stopped (thread_memory.ts). The check runs on the main thread, which runs no
 *   job code, so a job spinning in a synchronous allocation loop is stopped too.
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

export interface MemoryLimits {
  /** What one job may hold, MiB: the bound of its worker's JavaScript heap. */
  readonly jobMb: number;
  /** The process's RSS past which the job that touched the most memory is stopped. */
  readonly processBytes: number;
}

export function memoryLimits(jobMb: number, workers: number): MemoryLimits {
  return { jobMb, processBytes: (HARNESS_MB + workers * (PER_WORKER_MB + jobMb)) * MiB };
}

export function mib(bytes: number): string {
  return `${Math.round(bytes / MiB)} MiB`;
}
