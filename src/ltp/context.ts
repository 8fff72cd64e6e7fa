import type { Target, UserProcess } from "../targets/target.js";
import type { Results } from "./lib/tst_results.js";

/** What the test library knows about the job running in this thread. */
export interface JobContext {
  readonly target: Target;
  readonly results: Results;
  /** The testcase's name (tid), e.g. "kcmp01". */
  readonly tid: string;
  readonly seed: number;
  /** The arguments after the command on the runtest line (`fork_procs -n 1000`). */
  readonly args: readonly string[];
  /** The testcase's options as parsed from args (tst_option()). */
  readonly options: Map<string, string>;
  /** The test process (where setup, the test functions and cleanup run), once forked. */
  testProcess: UserProcess | null;
  /** Syscall numbers by name, looked up once per job. */
  readonly numbers: Map<string, number | undefined>;
}

let current: JobContext | null = null;

/** One job runs at a time in a thread (LTP's library state is per process, too). */
export function job(): JobContext {
  if (!current) throw new Error("the LTP test API is used outside of a running test");
  return current;
}

export function setJob(ctx: JobContext | null): void {
  current = ctx;
}

/** The syscall number of `name` on the target's arch, or undefined where it has none. */
export function sysno(name: string): number | undefined {
  const ctx = job();
  if (ctx.numbers.has(name)) return ctx.numbers.get(name);
  const nr = ctx.target.syscallNumber(name);
  ctx.numbers.set(name, nr);
  return nr;
}
