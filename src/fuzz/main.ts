#!/usr/bin/env node
/**
 * npm run fuzz -- [--seconds S] [--config C[,C...]|all] [--seed N] [--mem BYTES]
 *
 * A system-call fuzzer for the emulated kernel (syzkaller's idea at small scale): per
 * configuration, programs of random calls (table slots and numbers past the table, arguments
 * drawn by kind: descriptors, pointers into, at the edge of and outside mappings, flags with
 * every bit, lengths up to and beyond 2^64, negative values), with forked children, signals
 * and timers, each on a freshly booted kernel. Deterministic from the seed. A finding (see
 * execute.ts) is minimized by delta debugging and printed as a tap test; the exit status is 1
 * when there is any.
 */
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { shippedConfigs } from "../runner/configs.js";
import type { Finding } from "./execute.js";
import { minimize, signature } from "./minimize.js";
import type { Program } from "./program.js";
import { FuzzTarget, type SessionOptions } from "./session.js";
import { testcaseSource } from "./testcase.js";
import type { WorkerJob, WorkerMessage } from "./worker.js";

/** No heartbeat for this long: the kernel is stuck (a loop that never returns to the event loop). */
const HANG_MS = 10_000;
/** How long a replay of a hanging program may take before it counts as hanging again. */
const REPLAY_HANG_MS = 3_000;
/** Replays the minimization of a hang may spend. */
const HANG_MINIMIZE_RUNS = 40;

interface Report {
  readonly finding: Finding;
  readonly program: Program;
  minimized: Program | null;
}

interface ConfigTotals {
  calls: number;
  programs: number;
  readonly reports: Map<string, Report>;
}

const WORKER = new URL("./worker.js", import.meta.url);

function startWorker(job: WorkerJob): Worker {
  return new Worker(WORKER, { workerData: job });
}

/** Replays one program in a worker of its own: its findings, or "hang" when it does not finish in time. */
function replay(options: SessionOptions, program: Program): Promise<readonly Finding[] | "hang"> {
  return new Promise((resolve) => {
    const w = startWorker({ kind: "replay", options, program });
    const timer = setTimeout(() => void w.terminate().then(() => resolve("hang")), REPLAY_HANG_MS);
    w.on("message", (m: WorkerMessage) => {
      if (m.kind !== "done") return;
      clearTimeout(timer);
      void w.terminate();
      resolve(m.findings ?? []);
    });
    w.on("error", (e) => {
      clearTimeout(timer);
      resolve([{ kind: "exception", detail: `worker died: ${String(e)}` }]);
    });
  });
}

/**
 * Fuzzes one configuration for `seconds`: a worker runs programs from an index on; when it
 * stops answering (a hang) or dies, the program it was running is the finding, and a new
 * worker goes on from the next index.
 */
async function fuzzConfig(options: SessionOptions, seconds: number): Promise<ConfigTotals> {
  const totals: ConfigTotals = { calls: 0, programs: 0, reports: new Map() };
  const end = Date.now() + seconds * 1000;
  let index = 0;
  while (Date.now() < end - 100) {
    const stop = await new Promise<{ index: number; finding: Finding } | null>((resolve) => {
      const w = startWorker({ kind: "fuzz", options, firstIndex: index, seconds: (end - Date.now()) / 1000 });
      const base = { calls: totals.calls, programs: totals.programs };
      let last = Date.now(), running = index;
      const watchdog = setInterval(() => {
        if (Date.now() - last < HANG_MS) return;
        clearInterval(watchdog);
        void w.terminate();
        resolve({ index: running, finding: { kind: "hang", detail: `no progress for ${HANG_MS / 1000} s` } });
      }, 500);
      w.on("message", (m: WorkerMessage) => {
        last = Date.now();
        if (m.kind === "progress" || m.kind === "done") {
          totals.calls = base.calls + m.calls;
          totals.programs = base.programs + m.programs;
        }
        if (m.kind === "progress") running = m.index;
        else if (m.kind === "finding") {
          const sig = signature(m.finding);
          const known = totals.reports.get(sig);
          if (!known) totals.reports.set(sig, { finding: m.finding, program: m.program, minimized: m.minimized });
          else known.minimized ??= m.minimized;
        } else if (m.kind === "done") {
          clearInterval(watchdog);
          resolve(null);
        }
      });
      w.on("error", (e) => {
        clearInterval(watchdog);
        resolve({ index: running, finding: { kind: "exception", detail: `the worker died: ${String(e)}` } });
      });
    });
    if (!stop) break;
    const target = new FuzzTarget(options);
    const program = target.program(stop.index);
    const report: Report = { finding: stop.finding, program, minimized: null };
    totals.reports.set(signature(stop.finding), report);
    if (stop.finding.kind === "hang") {
      report.minimized = await minimize(program, async (p) => (await replay(options, p)) === "hang", HANG_MINIMIZE_RUNS);
    }
    index = stop.index + 1;
  }
  return totals;
}

/** Bad input on the command line: one line on stderr, exit 2. */
class UsageError extends Error {}

const USAGE = "usage: npm run fuzz -- [--seconds S] [--config C[,C]|all] [--seed N] [--mem BYTES] [--length CALLS] [--depth N]";

function parseOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        seconds: { type: "string", default: "60" },
        config: { type: "string", default: "all" },
        seed: { type: "string", default: "1" },
        mem: { type: "string", default: String(256 << 20) },
        length: { type: "string", default: "40" },
        depth: { type: "string", default: "2" },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}; ${USAGE}`);
  }
  const { values } = parsed;
  const num = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name}: ${v} is not a whole number`);
    return n;
  };
  const configs = values.config === "all" ? shippedConfigs() : values.config!.split(",");
  const unknown = configs.filter((c) => !shippedConfigs().includes(c));
  if (unknown.length) throw new UsageError(`--config: ${unknown.join(", ")}: not a shipped configuration (${shippedConfigs().join(", ")}, all)`);
  const mem = num("mem", values.mem);
  return {
    seconds: num("seconds", values.seconds), configs, seed: num("seed", values.seed), mem,
    // The kernel keeps the machine's memory in ArrayBuffers; twice that and the heap's share is a bound no program should pass.
    hostMemoryLimit: 2 * mem + (512 << 20),
    length: num("length", values.length), depth: num("depth", values.depth),
  };
}

async function main(): Promise<number> {
  const o = parseOptions();
  const per = o.seconds / o.configs.length;
  console.log(`fuzz: seed ${o.seed}, ${per.toFixed(0)} s per configuration, ${o.mem >> 20} MiB of RAM per machine`);
  let calls = 0, findings = 0;
  for (const config of o.configs) {
    const options: SessionOptions = { config, seed: o.seed, mem: o.mem, hostMemoryLimit: o.hostMemoryLimit, length: o.length, depth: o.depth };
    const t0 = Date.now();
    const totals = await fuzzConfig(options, per);
    const s = (Date.now() - t0) / 1000;
    calls += totals.calls;
    findings += totals.reports.size;
    console.log(`${config.padEnd(10)} ${String(totals.calls).padStart(10)} calls ${String(totals.programs).padStart(8)} programs ` +
      `${String(Math.round(totals.calls / s)).padStart(7)} calls/s  ${totals.reports.size} findings`);
    const linked = totals.reports.size ? new FuzzTarget(options).linked : null;
    for (const r of totals.reports.values()) {
      console.log(`\n${r.finding.kind}: ${r.finding.detail}\n`);
      console.log(testcaseSource(linked!, r.finding, r.minimized ?? r.program, o.seed, o.mem));
      console.log();
    }
  }
  console.log(`total: ${calls} calls, ${findings} findings`);
  return findings ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`fuzz: ${e.message}\n`);
  process.exitCode = 2;
}
