import { z } from "zod";
import type { JsonReport, JsonResult } from "./json.js";
import { RESULT_NAMES, type ResultType } from "./result.js";
import { JOB_STATUSES, TEST_STATUSES } from "./status.js";

/*
 * The JSON reports ltp-run reads back (a baseline, a shard to merge, a run to replay or to
 * compare), checked in full before any job runs: a file with the right top-level keys but wrong rows
 * must be refused with the place it goes wrong, not break a comparison after a long run.
 * Each schema is typed as the interface its readers use, so the two cannot drift apart;
 * unknown keys are kept (a report of a newer version still reads).
 */

const count = z.number().int().nonnegative();
const jobStatus = z.enum(JOB_STATUSES);
const testStatus = z.enum(TEST_STATUSES);
const resultType = z.literal(Object.keys(RESULT_NAMES).map(Number) as ResultType[]);
const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "expected an ISO 8601 date");
/** A run seed: 64 bits, a JSON number or (past 2^53) a decimal string. */
const runSeed = z.union([count, z.string().regex(/^\d+$/)]).refine((s) => BigInt(s) < 2n ** 64n, "expected a seed of at most 64 bits");
/** A job's seed: 32 bits. */
const jobSeed = count.max(0xffffffff);

const jsonResult: z.ZodType<JsonResult> = z.looseObject({
  test_fqn: z.string().min(1),
  status: jobStatus,
  test: z.looseObject({
    command: z.string(),
    arguments: z.array(z.string()),
    log: z.string(),
    retval: z.array(z.string()),
    duration: z.number().nonnegative(),
    failed: count, passed: count, broken: count, skipped: count, warnings: count,
    result: jobStatus,
  }),
  index: count,
  config: z.string().min(1),
  config_spec: z.string().min(1),
  arch: z.string(),
  target: z.string().optional(),
  seed: jobSeed,
  test_status: testStatus,
  cases: z.array(z.looseObject({ n: count, status: testStatus })),
  attempts: z.array(z.looseObject({ seed: jobSeed, status: testStatus })).optional(),
  expected: z.looseObject({ reason: z.string(), link: z.string().optional() }).optional(),
  lines: z.array(z.looseObject({ type: resultType, message: z.string(), category: z.string().optional(), case: count.optional() })),
  tconf: z.array(z.looseObject({ category: z.string(), reason: z.string() })),
  started: isoDate,
});

const runTarget = z.looseObject({ kind: z.string(), text: z.string(), kernel: z.string() });

/** A JSON report as ltp-run writes it (kirk's keys and ltp-run's). */
export const JSON_REPORT: z.ZodType<JsonReport> = z.looseObject({
  results: z.array(jsonResult),
  stats: z.looseObject({
    runtime: z.number(), passed: count, failed: count, broken: count, skipped: count, warnings: count,
    tconf_by_category: z.record(z.string(), count),
  }),
  environment: z.looseObject({
    distribution: z.string().nullable(), distribution_version: z.string().nullable(),
    kernel: z.string(), arch: z.string(), cpu: z.string(), swap: z.string(), RAM: z.string(),
  }),
  ltp_run: z.looseObject({
    version: z.string(),
    run_id: z.string(),
    seed: runSeed,
    started: isoDate,
    finished: isoDate.nullable(),
    interrupted: z.boolean(),
    state: z.enum(["incomplete", "interrupted", "complete"]).optional(),
    target: runTarget.optional(),
    configs: z.array(z.looseObject({ name: z.string(), arch: z.string(), fingerprint: z.string() })),
    runtest: z.array(z.string()),
    not_run: z.array(z.looseObject({ tag: z.string(), config: z.string() })),
    shard: z.looseObject({ index: count.min(1), count: count.min(1) }).optional(),
    matrix_size: count,
    stale_expectations: z.array(z.looseObject({ test: z.string(), config: z.string(), case: count.optional(), reason: z.string() })).optional(),
    commit: z.string().optional(),
    host: z.looseObject({ kernel: z.string(), arch: z.string(), cpu: z.string(), RAM: z.string() }),
  }),
});

/** "results[3].test.log" */
function issuePath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i ? "." : ""}${String(k)}`)).join("") || "the document";
}

/** The value if it fits the schema; else the first place it does not, as one line: "results[3].seed: ...". */
export function checkShape<T>(schema: z.ZodType<T>, value: unknown): { value: T } | { error: string } {
  const r = schema.safeParse(value);
  if (r.success) return { value: r.data };
  const issue = r.error.issues[0]!;
  return { error: `${issuePath(issue.path)}: ${issue.message}` };
}
