import { minorFaults } from "./thread_memory.js";
import { mib, type MemoryLimits } from "./memory.js";

/** How often the main thread reads the process's RSS while jobs run, ms: one read of /proc. */
const INTERVAL_MS = 50;
const PAGE = 4096;

interface Watched {
  readonly tid: number;
  readonly faultsAtStart: number;
  /** Stops the job with this TBROK message; resolves once its worker (and its memory) is gone. */
  readonly stop: (message: string) => Promise<void>;
}

/**
 * The process-wide side of the memory bound (memory.ts): while jobs run, reads the RSS; past
 * the bound, stops the job whose thread has faulted in the most pages since it started. Until
 * the stopped worker is gone its memory still counts, so nobody else is blamed for it.
 */
export class MemoryWatch {
  private readonly jobs = new Set<Watched>();
  private timer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | null = null;

  constructor(private readonly limits: MemoryLimits, private readonly rss: () => number = () => process.memoryUsage.rss()) {}

  /** Watches a running job's thread; the returned function ends the watch. */
  watch(tid: number, stop: (message: string) => Promise<void>): () => void {
    const faultsAtStart = minorFaults(tid);
    if (faultsAtStart === null) return () => {};
    const job: Watched = { tid, faultsAtStart, stop };
    this.jobs.add(job);
    this.timer ??= setInterval(() => this.check(), INTERVAL_MS).unref();
    return () => {
      this.jobs.delete(job);
      if (!this.jobs.size) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  private check(): void {
    if (this.stopping) return;
    const rss = this.rss();
    if (rss <= this.limits.processBytes) return;
    let culprit: Watched | undefined, most = -1;
    for (const j of this.jobs) {
      const touched = (minorFaults(j.tid) ?? j.faultsAtStart) - j.faultsAtStart;
      if (touched > most) [culprit, most] = [j, touched];
    }
    if (!culprit) return;
    this.jobs.delete(culprit);
    const message = `out of memory: the run holds ${mib(rss)} of RSS, past its bound of ${mib(this.limits.processBytes)} (${this.limits.jobMb} MiB a job), and this job touched the most memory (${mib(most * PAGE)} since it started)`;
    this.stopping = culprit.stop(message).finally(() => { this.stopping = null; });
  }
}
