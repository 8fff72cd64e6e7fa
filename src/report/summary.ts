import type { JobResult } from "./jobresult.js";
import type { JobStatus } from "./status.js";

/** Totals of one configuration (or of the whole run). */
export interface Totals {
  readonly jobs: number;
  readonly byStatus: Record<JobStatus, number>;
  /** TCONF jobs by the ENOSYS category of their first TCONF (or "other"). */
  readonly tconfByCategory: Record<string, number>;
}

export function totals(results: readonly JobResult[]): Totals {
  const byStatus: Record<JobStatus, number> = { pass: 0, fail: 0, brok: 0, warn: 0, conf: 0, flaky: 0, xfail: 0, xpass: 0 };
  const tconfByCategory: Record<string, number> = {};
  for (const r of results) {
    byStatus[r.status]++;
    if (r.status === "conf") {
      const c = r.tconf[0]?.category ?? "other";
      tconfByCategory[c] = (tconfByCategory[c] ?? 0) + 1;
    }
  }
  return { jobs: results.length, byStatus, tconfByCategory };
}

/** Results grouped by config, in the order the configs first appear. */
export function byConfig(results: readonly JobResult[]): Map<string, JobResult[]> {
  const m = new Map<string, JobResult[]>();
  for (const r of results) {
    let list = m.get(r.config);
    if (!list) m.set(r.config, (list = []));
    list.push(r);
  }
  return m;
}
