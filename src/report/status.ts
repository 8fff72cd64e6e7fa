import { RESULT_NAMES, TBROK, TCONF, TFAIL, TPASS, TWARN, type Counts, type ResultLine, type ResultType } from "./result.js";

/** kirk's status words for what a testcase reported. */
export type TestStatus = "pass" | "fail" | "brok" | "warn" | "conf";

/**
 * A job's verdict: what the test reported, or, after the gate's bookkeeping, flaky (failed,
 * then passed on a rerun), xfail (a failure the expectations file lists), xpass (a listed
 * failure that passed: the list is stale).
 */
export type JobStatus = TestStatus | "flaky" | "xfail" | "xpass";

/** Every status word of a test's result, and every verdict: for readers that check a report's words. */
export const TEST_STATUSES: readonly TestStatus[] = ["pass", "fail", "brok", "warn", "conf"];
export const JOB_STATUSES: readonly JobStatus[] = [...TEST_STATUSES, "flaky", "xfail", "xpass"];

/** The result type each status word stands for. */
const TYPE_OF: Readonly<Record<TestStatus, ResultType>> = { pass: TPASS, fail: TFAIL, brok: TBROK, warn: TWARN, conf: TCONF };

function isTestStatus(status: JobStatus): status is TestStatus {
  return Object.hasOwn(TYPE_OF, status);
}

/** The status word of a result type; undefined for TINFO, which is no verdict. */
function statusOfType(type: ResultType): TestStatus | undefined {
  return (Object.keys(TYPE_OF) as TestStatus[]).find((s) => TYPE_OF[s] === type);
}

/** LTP's name of what the test reported (TFAIL, ...); undefined for the gate's verdicts. */
export function testResultName(status: JobStatus): string | undefined {
  return isTestStatus(status) ? RESULT_NAMES[TYPE_OF[status]] : undefined;
}

/** The label of a verdict: LTP's name of a test's result (TPASS, ...), else FLAKY, XFAIL, XPASS. */
export function statusLabel(status: JobStatus): string {
  return testResultName(status) ?? status.toUpperCase();
}

/** Verdicts that fail a run. */
export function failsRun(status: JobStatus, flakyFails = false): boolean {
  return status === "fail" || status === "brok" || status === "xpass" || (flakyFails && status === "flaky");
}

/** The status from LTP's counts: a failure wins over breakage, then warnings, then skips. */
export function statusOf(counts: Counts, exitCode: number): TestStatus {
  if (counts.failed) return "fail";
  if (counts.broken) return "brok";
  if (counts.warnings) return "warn";
  if (exitCode === TCONF) return "conf";
  return "pass";
}

const SEVERITY: Readonly<Record<TestStatus, number>> = { pass: 0, conf: 1, warn: 2, brok: 3, fail: 4 };

/** What each test(n) reported: the worst of its lines. */
export function caseStatuses(lines: readonly ResultLine[]): { n: number; status: TestStatus }[] {
  const worst = new Map<number, TestStatus>();
  for (const l of lines) {
    const st = statusOfType(l.type);
    if (l.case === undefined || !st) continue;
    const prev = worst.get(l.case);
    if (!prev || SEVERITY[st] > SEVERITY[prev]) worst.set(l.case, st);
  }
  return [...worst].sort((a, b) => a[0] - b[0]).map(([n, status]) => ({ n, status }));
}
