/**
 * Where two targets part ways on the same jobs: the target under test (the emulated kernel,
 * or an emulator's command line) against the reference, this machine's real kernel. For each
 * job: its status, the status of each case of a testcase with tcnt (test(n)), and the
 * categories of its TCONF results (not-configured, not-implemented, ...). A divergence that an
 * expectations file lists with a reason is explained; any other fails the diff.
 */
import { expectationMatches, type Expectation } from "./expectations.js";
import type { JobResult } from "./jobresult.js";

export interface Divergence {
  readonly tag: string;
  readonly config: string;
  /** What differs: the job's status, one case's status, or the TCONF categories. */
  readonly aspect: "status" | "case" | "tconf";
  /** The case, for aspect "case". */
  readonly case?: number;
  /** What the target under test gave, and what the reference gave. */
  readonly target: string;
  readonly reference: string;
  /** The expectations-file entry that explains it. */
  readonly explained?: { readonly reason: string; readonly link?: string };
}

function categories(r: JobResult): string {
  return [...new Set(r.tconf.map((c) => c.category))].sort().join(",") || "-";
}

/** The divergences of one job run on both sides (the same tag and config). */
export function jobDivergences(target: JobResult, reference: JobResult): Divergence[] {
  const at = { tag: reference.tag, config: reference.config };
  const found: Divergence[] = [];
  if (target.testStatus !== reference.testStatus) {
    found.push({ ...at, aspect: "status", target: target.testStatus, reference: reference.testStatus });
  }
  const theirs = new Map(target.cases.map((c) => [c.n, c.status]));
  const ours = new Map(reference.cases.map((c) => [c.n, c.status]));
  for (const n of [...new Set([...theirs.keys(), ...ours.keys()])].sort((a, b) => a - b)) {
    const t = theirs.get(n) ?? "none", r = ours.get(n) ?? "none";
    if (t !== r) found.push({ ...at, aspect: "case", case: n, target: t, reference: r });
  }
  if (categories(target) !== categories(reference)) {
    found.push({ ...at, aspect: "tconf", target: categories(target), reference: categories(reference) });
  }
  return found;
}

/**
 * An expectations entry explains a divergence of its test on a matching config; an entry
 * with a case only that case's divergence.
 */
export function explain(d: Divergence, entries: readonly Expectation[], used: Set<Expectation>): Divergence {
  const e = entries.find((x) => expectationMatches(x, d.tag, d.config) && (x.case === undefined || x.case === d.case));
  if (!e) return d;
  used.add(e);
  return { ...d, explained: { reason: e.reason, ...(e.link ? { link: e.link } : {}) } };
}

/** The divergence table a person reads: one row each, the explained ones with their reason. */
export function divergenceTable(rows: readonly Divergence[], targetName: string, referenceName: string): string[] {
  if (!rows.length) return [];
  const what = (d: Divergence) => (d.aspect === "case" ? `case ${d.case}` : d.aspect);
  const width = (f: (d: Divergence) => string, title: string) => Math.max(title.length, ...rows.map((d) => f(d).length));
  const cols = [
    { title: "testcase", f: (d: Divergence) => d.tag },
    { title: "config", f: (d: Divergence) => d.config },
    { title: "what", f: what },
    { title: targetName, f: (d: Divergence) => d.target },
    { title: referenceName, f: (d: Divergence) => d.reference },
  ].map((c) => ({ ...c, w: width(c.f, c.title) }));
  const line = (cells: string[], note: string) => cells.map((c, i) => c.padEnd(cols[i]!.w)).join("  ") + note;
  return [
    line(cols.map((c) => c.title), ""),
    ...rows.map((d) => line(cols.map((c) => c.f(d)), d.explained ? `  explained: ${d.explained.reason}` : "")),
  ];
}
