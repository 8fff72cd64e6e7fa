import { Worker } from "node:worker_threads";
import type { JobResult } from "../report/jobresult.js";
import { singleResult, TBROK } from "../report/result.js";
import { jobResult, type Job } from "./job.js";
import type { MemoryLimits } from "./memory.js";
import { MemoryWatch } from "./memory_watch.js";
import type { JobReply, JobRequest } from "./worker.js";

export interface PoolOptions {
  /** Seconds a testcase without its own .timeout may take. */
  readonly defaultTimeout: number;
  readonly memory: MemoryLimits;
  readonly testcasesDir?: string;
  /** Syscalls to leave out of every link (a deliberately broken table). */
  readonly omit?: readonly string[];
}

/**
 * Seconds the main thread waits past a job's timeout before it terminates the worker: the
 * worker's own watchdog reports first when its event loop is alive; a worker stuck in a
 * synchronous loop is killed.
 */
const KILL_GRACE = 1;

function firstLine(e: unknown): string {
  return (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split("\n")[0]!;
}

/** Why a worker died, as the TBROK of the job it was running. */
function crashMessage(e: unknown, memory: MemoryLimits): string {
  if ((e as { code?: string } | null)?.code === "ERR_WORKER_OUT_OF_MEMORY") {
    return `out of memory: the job's JavaScript heap reached ${memory.heapMb} MiB`;
  }
  return `the worker running the testcase crashed: ${firstLine(e)}`;
}

interface InFlight {
  readonly worker: Worker;
  cancel(): void;
}

/**
 * Worker threads that run jobs, started on demand and reused. A job past its timeout or its
 * memory, whose worker dies, or that leaves something behind in its worker ends TBROK and its
 * worker is replaced; the other jobs are unaffected.
 */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly inFlight = new Set<InFlight>();
  private readonly memoryWatch: MemoryWatch;
  private nextId = 1;

  constructor(private readonly opts: PoolOptions) {
    this.memoryWatch = new MemoryWatch(opts.memory);
  }

  private newWorker(): Worker {
    const worker = new Worker(new URL("./worker.js", import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.opts.memory.heapMb },
    });
    // Whatever a worker does between jobs or while it is being replaced (a late error, an
    // exit) takes it out of the pool, and is never an unhandled 'error' on the main thread.
    const leave = () => {
      const i = this.idle.indexOf(worker);
      if (i >= 0) this.idle.splice(i, 1);
    };
    worker.on("error", leave);
    worker.on("exit", leave);
    return worker;
  }

  /** Runs a job with a seed; null when it was cancelled (an interrupted run) before it finished. */
  run(job: Job, seed: number): Promise<JobResult | null> {
    const worker = this.idle.pop() ?? this.newWorker();
    const id = this.nextId++;
    const startedAt = new Date();
    const t0 = performance.now();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let timeout = this.opts.defaultTimeout;
      let unwatch = () => {};
      const arm = (seconds: number) => {
        timeout = seconds;
        clearTimeout(timer);
        timer = setTimeout(onTimeout, (seconds + KILL_GRACE) * 1000);
      };
      const flight: InFlight = { worker, cancel: () => void finish(null, false) };
      const finish = (result: JobResult | null, reuse: boolean): Promise<void> => {
        clearTimeout(timer);
        unwatch();
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        this.inFlight.delete(flight);
        resolve(result);
        if (reuse) this.idle.push(worker);
        else return worker.terminate().then(() => {});
        return Promise.resolve();
      };
      const fail = (message: string) => finish(jobResult(job, seed, singleResult(TBROK, message), startedAt, performance.now() - t0), false);
      const onMessage = (m: JobReply) => {
        if (m.id !== id) return;
        if (m.type === "started") {
          arm(m.timeout);
          if (m.tid !== null) unwatch = this.memoryWatch.watch(m.tid, fail);
        } else void finish(m.result, !m.retire);
      };
      const onError = (e: unknown) => void fail(crashMessage(e, this.opts.memory));
      const onExit = (code: number) => void fail(`the worker running the testcase exited with code ${code}`);
      const onTimeout = () => void fail(`Test killed! (timeout?): no result within ${timeout} s, the worker was terminated`);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      this.inFlight.add(flight);
      arm(this.opts.defaultTimeout);
      const req: JobRequest = {
        id, entry: job.entry, index: job.index, configSpec: job.config.spec, target: job.target, seed, defaultTimeout: this.opts.defaultTimeout,
        ...(this.opts.testcasesDir ? { testcasesDir: this.opts.testcasesDir } : {}),
        ...(this.opts.omit?.length ? { omit: this.opts.omit } : {}),
      };
      worker.postMessage(req);
    });
  }

  /** Stops the jobs still running: their promises resolve with null. */
  cancelAll(): void {
    for (const f of [...this.inFlight]) f.cancel();
  }

  async close(): Promise<void> {
    this.cancelAll();
    await Promise.all(this.idle.splice(0).map((w) => w.terminate()));
  }
}
