import { cpus, machine, release, totalmem, type as osType } from "node:os";
import type { RunFileFormat } from "./format.js";
import type { JobResult } from "./jobresult.js";
import type { ResultType } from "./result.js";
import type { JobStatus } from "./status.js";
import { runState, type RunMeta, type RunState } from "./meta.js";
import { totals } from "./summary.js";

/*
 * A superset of kirk's --json-report (linux-test-project/kirk, libkirk/export.py, JSONExporter):
 * the keys kirk writes, with kirk's value types, and ltp-run's own keys beside them.
 */

/** The facts of the machine ltp-run runs on (the emulated kernel runs in its memory). */
export interface HostFacts {
  /** `uname -s -r` of the host, e.g. "Linux 6.1.0-18-amd64". */
  readonly kernel: string;
  /** `uname -m` of the host. */
  readonly arch: string;
  /** The CPU's model name. */
  readonly cpu: string;
  /** MemTotal, the way kirk writes it: "<n> kB". */
  readonly RAM: string;
}

/** What node:os says about this machine. */
export function hostFacts(): HostFacts {
  return {
    kernel: `${osType()} ${release()}`,
    arch: machine(),
    cpu: cpus()[0]?.model.trim() || machine(),
    RAM: `${Math.floor(totalmem() / 1024)} kB`,
  };
}

/** One job, kirk's keys first. */
export interface JsonResult {
  /** kirk: the test's name (the runtest tag). */
  readonly test_fqn: string;
  readonly status: JobStatus;
  readonly test: {
    readonly command: string;
    readonly arguments: string[];
    /** The test's output (kirk: its stdout). */
    readonly log: string;
    /** kirk: [str(return code)]. */
    readonly retval: string[];
    /** Seconds (kirk: exec_time). */
    readonly duration: number;
    readonly failed: number;
    readonly passed: number;
    readonly broken: number;
    readonly skipped: number;
    readonly warnings: number;
    readonly result: JobStatus;
  };
  // ltp-run's
  /** The job's place in the run's matrix: merged shards are put back in this order. */
  readonly index: number;
  readonly config: string;
  /** The --config item that loads the configuration again (replay). */
  readonly config_spec: string;
  readonly arch: string;
  /** What ran the job: emulated, host, or an emulator's name (absent in reports older than targets: emulated). */
  readonly target?: string;
  readonly seed: number;
  /** What the testcase reported, where status says more (flaky, xfail, xpass). */
  readonly test_status: string;
  /** Per-case verdicts of a testcase with tcnt. */
  readonly cases: { n: number; status: string }[];
  /** Every run of a retried job. */
  readonly attempts?: { seed: number; status: string }[];
  /** The expectations-file entry that lists it as a known failure. */
  readonly expected?: { reason: string; link?: string };
  /** Every result line (type is LTP's: 0 TPASS, 1 TFAIL, 2 TBROK, 4 TWARN, 16 TINFO, 32 TCONF). */
  readonly lines: { type: ResultType; message: string; category?: string; case?: number }[];
  readonly tconf: { category: string; reason: string }[];
  /** ISO 8601, UTC. */
  readonly started: string;
}

export interface JsonReport {
  readonly results: JsonResult[];
  readonly stats: {
    /** Seconds: the sum of the jobs' durations, as kirk sums its tests' exec_time. */
    readonly runtime: number;
    /** kirk's stats count results (TPASS, TFAIL, ...) summed over the tests, not tests. */
    readonly passed: number;
    readonly failed: number;
    readonly broken: number;
    readonly skipped: number;
    readonly warnings: number;
    /** ltp-run's: TCONF jobs by the ENOSYS category of their first TCONF. */
    readonly tconf_by_category: Record<string, number>;
  };
  /** The system under test: the emulated kernel, on this machine's CPU and memory. */
  readonly environment: {
    /** No distribution: testcases run straight on the emulated kernel (kirk: Optional[str]). */
    readonly distribution: string | null;
    readonly distribution_version: string | null;
    readonly kernel: string;
    readonly arch: string;
    readonly cpu: string;
    readonly swap: string;
    readonly RAM: string;
  };
  readonly ltp_run: {
    readonly version: string;
    readonly run_id: string;
    /** The run's seed: a number, or a decimal string past 2^53, where a JSON number stops being exact. */
    readonly seed: JsonSeed;
    readonly started: string;
    readonly finished: string | null;
    readonly interrupted: boolean;
    /**
     * "incomplete" in every report written while the run goes, and so in those of a killed run;
     * "interrupted" or "complete" once it is over (absent in reports of versions before it).
     */
    readonly state?: RunState;
    /** What ran the jobs: the --target text and the kernel it stands for. */
    readonly target?: { kind: string; text: string; kernel: string };
    readonly configs: { name: string; arch: string; fingerprint: string }[];
    readonly runtest: string[];
    readonly not_run: { tag: string; config: string }[];
    /** Set when the run was one shard of a CI matrix (--shard i/n). */
    readonly shard?: { index: number; count: number };
    /** Jobs in the whole matrix (every shard together). */
    readonly matrix_size: number;
    /** Expectations-file entries that matched no job of the run. */
    readonly stale_expectations?: { test: string; config: string; case?: number; reason: string }[];
    /** The git commit ltp-run was built from, when it is a git checkout. */
    readonly commit?: string;
    /** The machine the emulator ran on: where environment.cpu and environment.RAM come from. */
    readonly host: HostFacts;
  };
}

/** A run seed as JSON holds it exactly: see ltp_run.seed. */
export type JsonSeed = number | string;

export function seedJson(seed: bigint): JsonSeed {
  return seed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seed) : String(seed);
}

export function seedFromJson(seed: JsonSeed): bigint {
  return BigInt(seed);
}

/** A job's output as the report's test.log holds it: the lines, each ended by a newline. */
export function logText(log: readonly string[]): string {
  return log.length ? log.join("\n") + "\n" : "";
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

/**
 * The run as kirk's JSON report plus ltp-run's keys: one result per job, in the given (matrix)
 * order. `host` defaults to this machine's facts; pass it to get a reproducible report.
 */
export function jsonReport(results: readonly JobResult[], meta: RunMeta, host: HostFacts = hostFacts()): JsonReport {
  const configs = meta.configs.length ? meta.configs.map((c) => c.name) : unique(results.map((r) => r.config));
  const arches = unique(meta.configs.length ? meta.configs.map((c) => c.arch) : results.map((r) => r.arch));
  const sum = (k: keyof JobResult["counts"]) => results.reduce((a, r) => a + r.counts[k], 0);
  return {
    results: results.map((r) => ({
      test_fqn: r.tag,
      status: r.status,
      test: {
        command: r.command,
        arguments: [...r.args],
        log: logText(r.log),
        retval: [String(r.exitCode)],
        duration: r.duration / 1000,
        failed: r.counts.failed,
        passed: r.counts.passed,
        broken: r.counts.broken,
        skipped: r.counts.skipped,
        warnings: r.counts.warnings,
        result: r.status,
      },
      index: r.index,
      config: r.config,
      config_spec: r.configSpec,
      arch: r.arch,
      target: r.target,
      seed: r.seed,
      test_status: r.testStatus,
      cases: r.cases.map((c) => ({ n: c.n, status: c.status })),
      ...(r.attempts ? { attempts: r.attempts.map((a) => ({ seed: a.seed, status: a.status })) } : {}),
      ...(r.expected ? { expected: { ...r.expected } } : {}),
      lines: r.lines.map((l) => ({ ...l })),
      tconf: r.tconf.map((c) => ({ category: c.category, reason: c.reason })),
      started: r.startedAt.toISOString(),
    })),
    stats: {
      runtime: results.reduce((a, r) => a + r.duration, 0) / 1000,
      passed: sum("passed"),
      failed: sum("failed"),
      broken: sum("broken"),
      skipped: sum("skipped"),
      warnings: sum("warnings"),
      tconf_by_category: { ...totals(results).tconfByCategory },
    },
    environment: {
      distribution: null,
      distribution_version: null,
      kernel: meta.target.kind !== "emulated" ? meta.target.kernel
        : configs.length ? `Linux 6.12 (emulated, ${configs.length === 1 ? "config" : "configs"} ${configs.join(", ")})` : "Linux 6.12 (emulated)",
      arch: arches.join(", "),
      cpu: host.cpu,
      // node:os does not tell; "unknown" is what kirk writes when it cannot read it either.
      swap: "unknown",
      RAM: host.RAM,
    },
    ltp_run: {
      version: meta.version,
      run_id: meta.runId,
      seed: seedJson(meta.seed),
      started: meta.started.toISOString(),
      finished: meta.finished ? meta.finished.toISOString() : null,
      interrupted: meta.interrupted,
      state: runState(meta),
      target: { ...meta.target },
      configs: meta.configs.map((c) => ({ name: c.name, arch: c.arch, fingerprint: c.fingerprint })),
      runtest: [...meta.runtest],
      not_run: meta.notRun.map((j) => ({ tag: j.tag, config: j.config })),
      ...(meta.shard ? { shard: { ...meta.shard } } : {}),
      matrix_size: meta.matrixSize,
      ...(meta.staleExpectations?.length ? { stale_expectations: meta.staleExpectations.map((e) => ({ ...e })) } : {}),
      ...(meta.commit ? { commit: meta.commit } : {}),
      host: { ...host },
    },
  };
}

/** The report as its file holds it. */
export function jsonText(report: JsonReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}

export const jsonFormat: RunFileFormat = {
  scope: "run", name: "json", fileName: "results.json", help: "also write the JSON report (kirk's schema and more) here",
  render: ({ results, meta }) => jsonText(jsonReport(results, meta)),
};

/** A job's result read back from a JSON report (to merge shards or replay a job). */
export function fromJsonResult(j: JsonResult): JobResult {
  return {
    index: j.index, tag: j.test_fqn, command: j.test.command, args: j.test.arguments, config: j.config,
    configSpec: j.config_spec, arch: j.arch, target: j.target ?? "emulated", seed: j.seed, status: j.status, testStatus: j.test_status as JobResult["testStatus"],
    cases: j.cases.map((c) => ({ n: c.n, status: c.status as JobResult["testStatus"] })),
    ...(j.attempts ? { attempts: j.attempts.map((a) => ({ seed: a.seed, status: a.status as JobResult["testStatus"] })) } : {}),
    ...(j.expected ? { expected: j.expected } : {}),
    exitCode: Number(j.test.retval[0] ?? 0),
    counts: { passed: j.test.passed, failed: j.test.failed, broken: j.test.broken, skipped: j.test.skipped, warnings: j.test.warnings },
    lines: j.lines.map((l) => ({ ...l })),
    log: j.test.log === "" ? [] : j.test.log.replace(/\n$/, "").split("\n"),
    duration: j.test.duration * 1000,
    tconf: j.tconf,
    startedAt: new Date(j.started),
  };
}
