/**
 * Running code as an emulated testcase for the project's own tests: a freshly booted kernel
 * per call, the body run as the testcase's test_all through the test API (the way testcases
 * run), and what it reported. Imports are from ../../dist (the runner's module instances).
 */
import { loadConfig } from "../../dist/src/runner/configs.js";
import { link } from "../../dist/src/linux/kbuild/link.js";
import { EmulatedTarget } from "../../dist/src/targets/emulated.js";
import { defineTest, runTest } from "../../dist/src/ltp/lib/tst_test.js";
import * as ltp from "../../dist/src/ltp/index.js";

const linkedCache = new Map<string, any>();

/** The linked kernel of a config spec, linked once per test file. */
export function linked(spec: string): any {
  let l = linkedCache.get(spec);
  if (!l) linkedCache.set(spec, (l = link(loadConfig(spec))));
  return l;
}

export interface RunOptions {
  readonly boot?: { mem?: number; pidMax?: number };
  readonly args?: readonly string[];
  readonly desc?: Record<string, unknown>;
  readonly seed?: number;
  /** The testcase name (argv[0]). */
  readonly tid?: string;
}

/**
 * Runs `body` as a testcase's test_all on a fresh kernel (it gets the target, for the few
 * checks that look at the kernel's own state); returns what it reported and the target.
 */
export async function run(config: string, body: (target: any) => Promise<void>, opts: RunOptions = {}) {
  const seed = opts.seed ?? 1;
  return runOn(new EmulatedTarget(linked(config), seed, opts.boot ?? {}), body, { ...opts, seed });
}

/** run() on a target of any kind (the host target's tests use it too). */
export async function runOn<T>(target: T, body: (target: T) => Promise<void>, opts: RunOptions = {}) {
  const seed = opts.seed ?? 1;
  const test = defineTest({
    needs_tmpdir: true, forks_child: true, ...opts.desc,
    async test_all() {
      await body(target);
      ltp.tst_res(ltp.TPASS, "body done");
    },
  } as any);
  const outcome: any = await runTest(test, target as any, { tid: opts.tid ?? "body01", seed, args: opts.args ?? [] });
  const messages: string[] = outcome.lines.map((l: any) => `${l.type} ${l.message}`);
  return { outcome, target, messages };
}

/** What run() or runOn() returned, checked: the body ran to its end, nothing broken and no kernel fault. */
export function expectClean<R extends { messages: string[]; outcome: any; target: any }>(t: any, r: R): R {
  t.ok(r.messages.includes("0 body done"), "the body ran to its end");
  t.equal(r.outcome.counts.broken, 0, `nothing broke (${r.messages.filter((m) => m.startsWith("2 ")).join("; ")})`);
  t.same(r.target.faults(), [], "no oops");
  return r;
}

/** run() that expects the body to run to its end, nothing broken and no kernel oops. */
export async function clean(t: any, config: string, body: (target: any) => Promise<void>, opts: RunOptions = {}) {
  return expectClean(t, await run(config, body, opts));
}

/** A raw syscall by name, with register words (a bigint past 2^53): the value, or -errno. */
export async function sys(name: string, ...args: (number | bigint)[]): Promise<number | bigint> {
  const r = await ltp.syscall(name, ...args);
  return r === -1 ? -ltp.errno() : r;
}
