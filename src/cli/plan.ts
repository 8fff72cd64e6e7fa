import { randomInt } from "node:crypto";
import { availableParallelism } from "node:os";
import { loadConfigs, type LoadedConfig } from "../runner/configs.js";
import type { ExecutionSettings } from "../runner/execute.js";
import { jobMatrix, type Job } from "../runner/job.js";
import { DEFAULT_TIMEOUT } from "../runner/run.js";
import { readRuntests, type RuntestEntry } from "../runner/runtest.js";
import { inShard, parseShard, type Shard } from "../runner/shard.js";
import { readSkipFile } from "../runner/skipfile.js";
import { defaultTestcasesDir, testcaseIndex } from "../runner/testcases.js";
import { checkTarget } from "../targets/check.js";
import { parseTarget, runsOnHostKernel, targetText, type TargetSpec } from "../targets/spec.js";
import { checkedInput, UsageError } from "./errors.js";
import { shardSeed } from "./seed.js";

/** What the command line says about which jobs run, and how. */
export interface RunInputOptions {
  readonly runtest: string;
  /** Default: minimal on the emulated kernel, host on the agent targets. */
  readonly config?: string;
  /** --target: emulated (default), host, or an emulator's command line with {agent}. */
  readonly target?: string;
  readonly jobs?: number;
  readonly runRegex?: string;
  readonly skipFile?: string;
  readonly timeout?: number;
  /** 64 bits. */
  readonly seed?: bigint;
  readonly testcases?: string;
  readonly shard?: string;
  readonly retries?: number;
  readonly omitSyscall?: string;
}

/** A run with every input read and checked, before any job starts. */
export interface RunPlan {
  /** The runtest files, as -f gave them. */
  readonly runtest: readonly string[];
  readonly entries: readonly RuntestEntry[];
  readonly configs: readonly LoadedConfig[];
  readonly target: TargetSpec;
  /** Jobs in the whole matrix; a shard runs a slice of them. */
  readonly matrixSize: number;
  /** The jobs this run runs, in matrix order. */
  readonly matrix: readonly Job[];
  readonly shard?: Shard;
  /** The CI variable the seed was taken from (a shard without --seed). */
  readonly seedFrom?: string;
  readonly execution: ExecutionSettings;
}

/** -s: the entries whose tag matches; matching none is a mistake, not an empty run that passes. */
function selectEntries(entries: RuntestEntry[], regex: string | undefined, runtest: string): RuntestEntry[] {
  if (regex === undefined) return entries;
  let selector: RegExp;
  try {
    selector = new RegExp(regex);
  } catch {
    throw new UsageError(`-s: not a regular expression: ${regex}`);
  }
  const selected = entries.filter((e) => selector.test(e.tag));
  if (selected.length === 0) throw new UsageError(`-s ${regex} matches no tag of ${runtest}`);
  return selected;
}

/**
 * A tag names one job per configuration: reports, baselines and replay find a job by its tag,
 * so a second entry with the same tag would make two jobs that cannot be told apart.
 */
function checkUniqueTags(entries: readonly RuntestEntry[]): void {
  const first = new Map<string, RuntestEntry>();
  for (const e of entries) {
    const earlier = first.get(e.tag);
    if (earlier) throw new UsageError(`${e.where}: tag ${e.tag} is already at ${earlier.where}: each tag names one testcase`);
    first.set(e.tag, e);
  }
}

/** The compiled testcases of --testcases (or the package's): one that cannot be read is bad input. */
export function knownTestcases(dir: string): ReadonlyMap<string, string> {
  try {
    return testcaseIndex(dir);
  } catch (e) {
    throw new UsageError(`--testcases ${dir}: cannot read it: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** Every entry's testcase exists: a typo stops the run before it starts, not as a TBROK per config. */
function checkTestcases(entries: readonly RuntestEntry[], dir: string): void {
  const known = knownTestcases(dir);
  for (const e of entries) {
    if (!known.has(e.command)) throw new UsageError(`${e.where}: no testcase named ${e.command}`);
  }
}

/**
 * The target and its configurations. The host's kernel has one configuration, its own; under
 * a wrapper it is the default too (an emulator of another arch takes that arch's config).
 */
function planTarget(opts: RunInputOptions): { target: TargetSpec; configs: LoadedConfig[] } {
  const target = checkedInput(() => parseTarget(opts.target ?? "emulated"));
  const configList = opts.config ?? (runsOnHostKernel(target) ? "host" : "minimal");
  const configs = checkedInput(() => loadConfigs(configList));
  if (target.kind === "host" && configs.some((c) => c.config.name !== "host")) {
    throw new UsageError(`--target host runs on this machine's kernel, whose configuration is its own: use --config host (the default there), not ${configList}`);
  }
  checkedInput(() => checkTarget(target));
  return { target, configs };
}

/** Reads and checks every input of a run; bad input throws UsageError. */
export function planRun(opts: RunInputOptions): RunPlan {
  const twice = opts.runtest.split(",").find((name, i, all) => name.trim() && all.indexOf(name) !== i);
  if (twice) throw new UsageError(`-f: ${twice} is given twice`);
  const runtests = checkedInput(() => readRuntests(opts.runtest));
  const { target, configs } = planTarget(opts);
  const skipFile = opts.skipFile;
  const skip = skipFile ? { tags: checkedInput(() => readSkipFile(skipFile)), file: skipFile } : undefined;
  const shard = opts.shard ? checkedInput(() => parseShard(opts.shard!)) : undefined;
  const seed = opts.seed === undefined && shard ? shardSeed() : undefined;
  checkUniqueTags(runtests);
  const entries = selectEntries(runtests, opts.runRegex, opts.runtest);
  const testcasesDir = opts.testcases ?? defaultTestcasesDir();
  checkTestcases(entries, testcasesDir);
  const full = jobMatrix(entries, configs, target);
  return {
    runtest: opts.runtest.split(","), entries, configs, target, matrixSize: full.length, ...(seed ? { seedFrom: seed.from } : {}),
    matrix: shard ? inShard(full, shard) : full, ...(shard ? { shard } : {}),
    execution: {
      parallel: opts.jobs ?? availableParallelism(),
      runSeed: opts.seed ?? seed?.seed ?? BigInt(randomInt(2 ** 31)),
      defaultTimeout: opts.timeout ?? DEFAULT_TIMEOUT,
      testcasesDir,
      ...(skip ? { skip } : {}),
      ...(opts.retries ? { retries: opts.retries } : {}),
      omit: opts.omitSyscall ? opts.omitSyscall.split(",").filter(Boolean) : [],
    },
  };
}

/** What a person should know before the run: overrides kconfig refused, a deliberately broken table. */
export function planWarnings(plan: RunPlan): string[] {
  const warnings = plan.configs.flatMap(({ config }) => config.warnings.map((w) => `${config.name}: ${w}`));
  const omit = plan.execution.omit ?? [];
  if (omit.length) warnings.push(`linking without ${omit.join(", ")}: a deliberately broken table`);
  return warnings;
}

/** The run's first line: the matrix, the shard, -j and the seed to replay it with. */
export function announcement(plan: RunPlan): string {
  const { entries, configs, shard, execution } = plan;
  const names = configs.map(({ config: c }) => `${c.name}/${c.arch}`).join(", ");
  const slice = shard ? `, shard ${shard.index}/${shard.count}: ${plan.matrix.length} of them` : "";
  const on = plan.target.kind === "emulated" ? "" : ` on ${targetText(plan.target)}`;
  const seedFrom = plan.seedFrom ? ` (${plan.seedFrom})` : "";
  return `ltp-run: ${entries.length} testcases x ${configs.length} configs (${names})${on} = ${plan.matrixSize} jobs${slice}, -j ${execution.parallel}, seed ${execution.runSeed}${seedFrom}`;
}
