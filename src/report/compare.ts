import type { JsonReport, JsonResult } from "./json.js";
import { TBROK, TCONF, TFAIL } from "./result.js";

/**
 * How a job (or one case of it) changed between two runs:
 * - regression: it fails now and did not before (new failures included), or it passed and is
 *   now TCONF because the call is not implemented (lost coverage);
 * - fixed: it failed and passes now;
 * - newly-skipped / newly-running: TCONF now and not before, or the other way round (a config
 *   change);
 * - expected-failure: it fails now, and the expectations file says it is known to;
 * - new / removed: only the new run, or only the old one, has it;
 * - not-run: the new run was interrupted before it (never counted as fixed or regressed);
 * - unchanged.
 */
export type Transition =
  | "regression" | "fixed" | "newly-skipped" | "newly-running" | "expected-failure"
  | "new" | "removed" | "not-run" | "unchanged";

export const TRANSITIONS: readonly Transition[] = [
  "regression", "fixed", "newly-skipped", "newly-running", "expected-failure", "new", "removed", "not-run", "unchanged",
];

export interface Change {
  readonly test: string;
  readonly config: string;
  /** The case n of a testcase with tcnt, when the change is within a job. */
  readonly case?: number;
  readonly old: string | null;
  readonly new: string | null;
  readonly transition: Transition;
  /** Why, in a few words: the first failing message, the TCONF reason. */
  readonly detail: string;
}

export interface Comparison {
  /** The rows: one per job, or one per changed case where a job's cases changed. */
  readonly changes: readonly Change[];
  /** Jobs by transition: a job whose cases changed counts once, under its gravest one. */
  readonly counts: Readonly<Record<Transition, number>>;
  /** Jobs with a regression. */
  readonly regressions: number;
}

type Kind = "pass" | "fail" | "conf" | "xfail";

/** What a status means to the gate: flaky passes (unless flaky runs should fail), xpass passed. */
function kind(status: string, flakyFails: boolean): Kind {
  switch (status) {
    case "pass": case "warn": case "xpass": return "pass";
    case "flaky": return flakyFails ? "fail" : "pass";
    case "conf": return "conf";
    case "xfail": return "xfail";
    default: return "fail";
  }
}

function classify(old: Kind | null, now: Kind, newCategory: string | undefined): Transition {
  if (now === "xfail") return "expected-failure";
  if (now === "fail") return old === "fail" || old === "xfail" ? "unchanged" : "regression";
  if (old === null) return "new";
  if (now === "pass") return old === "pass" ? "unchanged" : old === "conf" ? "newly-running" : "fixed";
  // now === "conf": losing a call the kernel should have is a regression, not a skip.
  if (old === "pass" && newCategory === "not-implemented") return "regression";
  return old === "conf" ? "unchanged" : "newly-skipped";
}

function detail(r: JsonResult): string {
  const failing = r.lines.find((l) => l.type === TFAIL || l.type === TBROK);
  if (failing) return failing.message;
  if (r.status === "conf") return r.tconf[0] ? `${r.tconf[0].category}: ${r.tconf[0].reason}` : "";
  if (r.expected) return `known failure: ${r.expected.reason}`;
  return "";
}

/** A job's identity across two runs: its tag on its configuration. */
export function jobKey(test: string, config: string): string {
  return `${test}\0${config}`;
}

/** Compares every job, and within jobs every case, of a new run with an old one. */
export function compareReports(old: JsonReport, cur: JsonReport, opts: { flakyFails?: boolean } = {}): Comparison {
  const flakyFails = opts.flakyFails ?? false;
  const before = new Map(old.results.map((r) => [jobKey(r.test_fqn, r.config), r]));
  const notRun = new Set(cur.ltp_run.not_run.map((j) => jobKey(j.tag, j.config)));
  const changes: Change[] = [];
  const counts = Object.fromEntries(TRANSITIONS.map((x) => [x, 0])) as Record<Transition, number>;
  const seen = new Set<string>();
  for (const r of cur.results) {
    const k = jobKey(r.test_fqn, r.config);
    seen.add(k);
    const o = before.get(k) ?? null;
    const now = kind(r.status, flakyFails);
    const category = r.tconf[0]?.category;
    const t = classify(o ? kind(o.status, flakyFails) : null, now, category);
    // Per-case changes say more than the job's: they replace its row when there are any (a
    // job that failed before and still fails can have a case that newly fails).
    const caseChanges: Change[] = [];
    if (o && now !== "xfail") {
      const oldCases = new Map(o.cases.map((c) => [c.n, c.status]));
      for (const c of r.cases) {
        const oc = oldCases.get(c.n);
        if (oc === undefined || oc === c.status) continue;
        const ct = classify(kind(oc, flakyFails), kind(c.status, flakyFails), category);
        if (ct === "unchanged") continue;
        const line = r.lines.find((l) => l.case === c.n && (l.type === TFAIL || l.type === TBROK || l.type === TCONF));
        caseChanges.push({ test: r.test_fqn, config: r.config, case: c.n, old: oc, new: c.status, transition: ct, detail: line?.message ?? "" });
      }
    }
    if (caseChanges.length) changes.push(...caseChanges);
    else changes.push({ test: r.test_fqn, config: r.config, old: o?.status ?? null, new: r.status, transition: t, detail: t === "unchanged" ? "" : detail(r) });
    const gravest = TRANSITIONS.find((x) => x === t || caseChanges.some((c) => c.transition === x))!;
    counts[t === "unchanged" || gravest === "regression" ? gravest : t]++;
  }
  for (const o of old.results) {
    const k = jobKey(o.test_fqn, o.config);
    if (seen.has(k)) continue;
    const t = notRun.has(k) ? "not-run" : "removed";
    changes.push({ test: o.test_fqn, config: o.config, old: o.status, new: null, transition: t, detail: "" });
    counts[t]++;
  }
  return { changes, counts, regressions: counts.regression };
}

/** "3 unchanged, 1 fixed": the non-zero counts. */
export function countsLine(c: Comparison): string {
  return TRANSITIONS.filter((t) => c.counts[t]).map((t) => `${c.counts[t]} ${t}`).join(", ") || "nothing to compare";
}

/** The verdict line CI prints last. */
export function verdictLine(c: Comparison): string {
  return c.regressions ? `${c.regressions} regression${c.regressions === 1 ? "" : "s"} (${countsLine(c)})` : `no regressions (${countsLine(c)})`;
}

/** What changed, as the tables name it: the test, or test#n for one case of it. */
export function changeName(c: Change): string {
  return c.case === undefined ? c.test : `${c.test}#${c.case}`;
}
