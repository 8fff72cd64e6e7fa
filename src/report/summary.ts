import type { JobResult } from "./jobresult.js";
import type { ConfigPart, RunReport } from "./format.js";
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

/** Items grouped by a key, in the order the keys first appear. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = m.get(k);
    if (!list) m.set(k, (list = []));
    list.push(item);
  }
  return m;
}

/** Results grouped by config, in the order the configs first appear. */
export function byConfig(results: readonly JobResult[]): Map<string, JobResult[]> {
  return groupBy(results, (r) => r.config);
}

/**
 * The run by configuration, in the order of meta.configs; a configuration that only the
 * results or meta.notRun name (a report of an older version) comes after them.
 */
export function configParts(run: RunReport): ConfigPart[] {
  const results = byConfig(run.results);
  const notRun = groupBy(run.meta.notRun, (j) => j.config);
  const configs = new Map(run.meta.configs.map((c) => [c.name, c.arch]));
  for (const name of [...results.keys(), ...notRun.keys()]) {
    if (!configs.has(name)) configs.set(name, results.get(name)?.[0]?.arch ?? "unknown");
  }
  return [...configs].map(([name, arch]) => ({ name, arch, results: results.get(name) ?? [], notRun: (notRun.get(name) ?? []).map((j) => j.tag) }));
}
