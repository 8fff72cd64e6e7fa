import { readFileSync } from "node:fs";
import { z } from "zod";
import type { JobResult } from "./jobresult.js";
import { systemReason } from "./atomic.js";
import { checkShape } from "./schema.js";
import { failsRun } from "./status.js";

/**
 * The known-failures file (--expect): JSON,
 *   { "expectations": [ { "test": "kcmp03", "config": "nommu*", "case": 3,
 *                         "reason": "...", "link": "https://...", "date": "2026-11-22" } ] }
 * test is a runtest tag; config a configuration name or a pattern with * and ?; case (optional)
 * narrows the entry to one test(n). A listed failure still runs and is reported XFAIL; if it
 * passes it is XPASS, which fails the run until the entry goes.
 */
export interface Expectation {
  readonly test: string;
  readonly config: string;
  readonly case?: number;
  readonly reason: string;
  readonly link?: string;
  readonly date?: string;
}

/** What `ltp-run expect --from` writes as a reason: validation refuses it until a person writes one. */
export const PLACEHOLDER_REASON = "TODO: say why this fails (and link the tracking issue)";

export class ExpectationsError extends Error {
  override name = "ExpectationsError";
}

/** The file's shape; that each reason is a real one is checked by readExpectations. */
const EXPECTATIONS: z.ZodType<{ expectations: Expectation[] }> = z.looseObject({
  expectations: z.array(z.looseObject({
    test: z.string().min(1, "must name a testcase tag"),
    config: z.string().min(1, "must name a configuration or pattern"),
    case: z.number().int().nonnegative().optional(),
    reason: z.string(),
    link: z.string().optional(),
    date: z.string().optional(),
  })),
});

/** Reads and validates an expectations file: every entry needs a test, a config and a real reason. */
export function readExpectations(path: string): Expectation[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ExpectationsError(`expectations file ${path}: ${(e as NodeJS.ErrnoException).code ? `cannot read it: ${systemReason(e)}` : (e as Error).message}`);
  }
  const checked = checkShape(EXPECTATIONS, doc);
  if ("error" in checked) throw new ExpectationsError(`expectations file ${path}: ${checked.error}`);
  return checked.value.expectations.map((e, i) => {
    if (!e.reason.trim() || e.reason === PLACEHOLDER_REASON) {
      throw new ExpectationsError(`expectations file ${path}: entry ${i + 1} (${e.test} on ${e.config}): write the reason this failure is expected`);
    }
    return e;
  });
}

function pattern(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
}

/** The entry is about this job: its tag, and its config by name or pattern. */
export function expectationMatches(e: Expectation, tag: string, config: string): boolean {
  return e.test === tag && pattern(e.config).test(config);
}

function matches(e: Expectation, r: JobResult): boolean {
  return expectationMatches(e, r.tag, r.config);
}

/**
 * The expectations of a run: turns listed failures into XFAIL and listed jobs that passed into
 * XPASS, and remembers which entries matched, so the others can be reported stale. An entry
 * with a case covers that case only: a job is XFAIL when every case that failed is listed.
 */
export class ExpectationSet {
  private readonly used = new Set<Expectation>();

  constructor(private readonly entries: readonly Expectation[]) {}

  apply(r: JobResult): JobResult {
    const entries = this.entries.filter((e) => matches(e, r));
    if (!entries.length) return r;
    entries.forEach((e) => this.used.add(e));
    const whole = entries.find((e) => e.case === undefined);
    const note = (e: Expectation) => ({ reason: e.reason, ...(e.link ? { link: e.link } : {}) });
    if (failsRun(r.status)) {
      if (whole) return { ...r, status: "xfail", expected: note(whole) };
      const failing = r.cases.filter((c) => c.status === "fail" || c.status === "brok").map((c) => c.n);
      const listed = new Set(entries.map((e) => e.case));
      if (failing.length && failing.every((n) => listed.has(n))) {
        return { ...r, status: "xfail", expected: note(entries.find((e) => e.case === failing[0])!) };
      }
      return r;
    }
    if (r.status === "pass" || r.status === "warn" || r.status === "flaky") {
      // A listed case that passes makes the job XPASS as much as a whole-job entry does.
      const passedCase = entries.find((e) => e.case !== undefined && r.cases.some((c) => c.n === e.case && c.status === "pass"));
      const e = whole ?? passedCase;
      if (e) return { ...r, status: "xpass", expected: note(e) };
    }
    return r;
  }

  /** Entries that matched no job so far. */
  stale(): Expectation[] {
    return this.entries.filter((e) => !this.used.has(e));
  }
}

/** A starting expectations file from a run's failures; every reason is the placeholder. */
export function expectationsFrom(results: readonly { test_fqn: string; config: string; status: string }[]): string {
  const expectations = results
    .filter((r) => r.status === "fail" || r.status === "brok")
    .map((r) => ({ test: r.test_fqn, config: r.config, reason: PLACEHOLDER_REASON, link: "", date: new Date().toISOString().slice(0, 10) }));
  return JSON.stringify({ expectations }, null, 2) + "\n";
}
