import { randomInt } from "node:crypto";
import type { Expectation } from "../report/expectations.js";
import type { RunReport } from "../report/format.js";
import type { JobResult } from "../report/jobresult.js";
import type { RunMeta } from "../report/meta.js";
import { runTarget } from "../targets/spec.js";
import type { RunPlan } from "./plan.js";
import { gitCommit, packageVersion } from "./version.js";

/** results/<run id>/: the start time in UTC, so runs sort by time, and a random suffix for runs started in the same second. */
function runId(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${randomInt(0x10000).toString(16).padStart(4, "0")}`;
}

/**
 * A run as it goes: the results in matrix order whatever order jobs finish in, and the facts
 * every report states about the run.
 */
export class RunRecord {
  readonly started = new Date();
  readonly runId = runId(this.started);
  private readonly done: (JobResult | null)[];
  private finished: Date | null = null;
  private interrupted = false;
  private readonly version = packageVersion();
  private readonly commit = gitCommit();

  constructor(
    private readonly plan: RunPlan,
    /** The known-failure entries no job matched: reported once the run is over. */
    private readonly staleExpectations: () => readonly Expectation[],
  ) {
    this.done = plan.matrix.map(() => null);
  }

  /** The result of the job at `index` in this run's matrix. */
  add(index: number, result: JobResult): void {
    this.done[index] = result;
  }

  /** The run so far, as the reports show it. */
  report(): RunReport {
    return { results: this.done.filter((r): r is JobResult => r !== null), meta: this.meta() };
  }

  /** The run is over, whether every job ran or it was interrupted: its final reports. */
  finish(interrupted: boolean): RunReport {
    this.interrupted = interrupted;
    this.finished = new Date();
    return this.report();
  }

  private meta(): RunMeta {
    const { plan, finished } = this;
    return {
      runId: this.runId, seed: plan.execution.runSeed, started: this.started, finished, runtest: plan.runtest,
      interrupted: this.interrupted, version: this.version, ...(this.commit ? { commit: this.commit } : {}),
      target: runTarget(plan.target), matrixSize: plan.matrixSize, ...(plan.shard ? { shard: plan.shard } : {}),
      configs: plan.configs.map(({ config: c }) => ({ name: c.name, arch: c.arch, fingerprint: c.fingerprint() })),
      notRun: plan.matrix.filter((_, i) => !this.done[i]).map((j) => ({ tag: j.entry.tag, config: j.config.config.name })),
      ...(finished ? { staleExpectations: this.staleExpectations() } : {}),
    };
  }
}
