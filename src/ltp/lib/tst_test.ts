import { EEXIST } from "../../linux/include/uapi/errno.js";
import { CLONE_VFORK, CLONE_VM } from "../../linux/include/uapi/sched.js";
import { SIGCHLD, SIGKILL, signalName } from "../../linux/include/uapi/signal.js";
import { __WALL, WNOHANG } from "../../linux/include/uapi/wait.js";
import type { MachineExit, ProgramImage, Target } from "../../targets/target.js";
import { type JobContext, setJob } from "../context.js";
import { errno } from "../libc/errno.js";
import { FORK_FLAGS, hasMmu } from "../libc/fork.js";
import { libcStart } from "../libc/libc_start.js";
import { cloneProcess } from "../libc/sched.js";
import { kill } from "../libc/signal.js";
import { mkdir } from "../libc/stat.js";
import { _exit, chdir } from "../libc/unistd.js";
import { waitpid, WEXITSTATUS, WIFEXITED, WIFSIGNALED, WTERMSIG } from "../libc/wait.js";
import { exitStatusFor, tst_reap_children } from "./tst_child.js";
import { checkKconfigSyntax, unmetKconfigs } from "./tst_kconfig.js";
import { optionsHelp, parseOptions } from "./tst_options.js";
import { Results, TBROK, TCONF, TERRNO, TINFO, tst_brk, tst_res, TstBrk } from "./tst_res.js";
import type { Outcome } from "../../report/result.js";

type Step = () => Promise<void> | void;

/** What a testcase declares about itself: LTP's struct tst_test. */
export interface TestDescription {
  /** How many times `test` runs, with n = 0 .. tcnt-1. */
  readonly tcnt?: number;
  readonly test?: (n: number) => Promise<void> | void;
  readonly test_all?: Step;
  readonly setup?: Step;
  readonly cleanup?: Step;
  /** Run in a fresh temporary directory. */
  readonly needs_tmpdir?: boolean;
  /** The test forks: children are reaped (and their exit checked) after each run. */
  readonly forks_child?: boolean;
  /** Kernel config constraints in LTP's syntax; unmet ones end the test with TCONF. */
  readonly needs_kconfigs?: readonly string[];
  /**
   * The test single-steps with ptrace: where the arch has no single-step (riscv64) it ends in
   * TCONF, category arch-unsupported, with the reason.
   */
  readonly needs_single_step?: boolean;
  /** LTP's .supported_archs: the machines (uname -m) the test is written for; TCONF elsewhere. */
  readonly supported_archs?: readonly string[];
  /** Seconds the test may take (LTP's .timeout). */
  readonly timeout?: number;
  /** [kind, value] pairs such as ["linux-git", "<commit>"] or ["CVE", "..."]. */
  readonly tags?: readonly (readonly [string, string])[];
  /**
   * LTP's .options: getopt letters ("n:" takes a value, "v" is a flag) and their help. The
   * runtest line's arguments are parsed before setup; tst_option("n") reads a value.
   */
  readonly options?: Readonly<Record<string, string>>;
}

export interface TestCase extends TestDescription {
  readonly __ltpTestcase: true;
}

/** Declares a testcase: `export default defineTest({ ... })`. Checks the declaration. */
export function defineTest(d: TestDescription): TestCase {
  if (!d.test === !d.test_all) throw new Error("a testcase needs exactly one of test (with tcnt) and test_all");
  if (d.test && !(Number.isInteger(d.tcnt) && d.tcnt! > 0)) throw new Error("test(n) needs tcnt > 0");
  if (d.needs_kconfigs) checkKconfigSyntax(d.needs_kconfigs);
  for (const k of Object.keys(d.options ?? {})) {
    if (!/^[A-Za-z0-9]:?$/.test(k)) throw new Error(`option "${k}": one letter or digit, with a ':' if it takes a value`);
  }
  return { ...d, __ltpTestcase: true };
}

export function isTestCase(v: unknown): v is TestCase {
  return typeof v === "object" && v !== null && (v as TestCase).__ltpTestcase === true;
}

/** What one run of a testcase on one target produced. */
export interface TestOutcome extends Outcome {
  readonly machine: MachineExit;
}

/** mkdtemp()'s alphabet: the six X's of LTP_<tid>XXXXXX. */
const TEMPLATE_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

async function makeTmpdir(tid: string, seed: number): Promise<void> {
  let x = seed >>> 0;
  let suffix = "";
  for (let i = 0; i < 6; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    suffix += TEMPLATE_CHARS[(x >>> 16) % TEMPLATE_CHARS.length];
  }
  const dir = `/tmp/LTP_${tid.slice(0, 3)}${suffix}`;
  if ((await mkdir(dir, 0o700)) === -1 && errno() !== EEXIST) tst_brk(TBROK | TERRNO, `mkdir(${dir}) failed`);
  if ((await chdir(dir)) === -1) tst_brk(TBROK | TERRNO, `chdir(${dir}) failed`);
}

/** testrun(): setup, every test function, cleanup; in the test process. */
function testProcess(test: TestCase, ctx: JobContext): () => Promise<void> {
  return async () => {
    ctx.testProcess = ctx.target.current();
    let status = 0;
    let setupDone = false;
    try {
      if (test.setup) await test.setup();
      setupDone = true;
      if (test.test_all) {
        await test.test_all();
        if (test.forks_child) await tst_reap_children();
      } else {
        for (let n = 0; n < test.tcnt!; n++) {
          ctx.results.currentCase = n;
          await test.test!(n);
          if (test.forks_child) await tst_reap_children();
        }
        ctx.results.currentCase = null;
      }
    } catch (e) {
      status = exitStatusFor(e);
    }
    // cleanup runs after a tst_brk() too, once setup has started (LTP's do_test_cleanup).
    if (test.cleanup && (setupDone || status !== 0)) {
      try { await test.cleanup(); } catch (e) { if (!(e instanceof TstBrk)) exitStatusFor(e); }
    }
    await _exit(status);
  };
}

/**
 * How the library starts the test process: fork, or without an MMU vfork (the library only
 * waits for it, so sharing its memory is harmless), as a C library for such machines offers.
 */
function testProcessFlags(): number {
  return hasMmu() ? FORK_FLAGS : CLONE_VM | CLONE_VFORK | SIGCHLD;
}

/** The library's main process (pid 1): parses options, checks needs, makes the tmpdir, forks the test. */
function libraryMain(test: TestCase, ctx: JobContext): () => Promise<void> {
  return async () => {
    try {
      libcStart();
      if (test.options || ctx.args.length) {
        const parsed = parseOptions(test.options ?? {}, ctx.args);
        if (typeof parsed === "string") {
          for (const line of [parsed, ...optionsHelp(test.options ?? {})]) tst_res(TINFO, line);
          tst_brk(TBROK, "Invalid option");
        }
        for (const [k, v] of parsed) ctx.options.set(k, v);
      }
      if (test.needs_kconfigs) {
        const unmet = unmetKconfigs(test.needs_kconfigs, (n) => ctx.target.kconfig(n));
        for (const c of unmet) tst_res(TINFO, `Constraint '${c}' not satisfied!`);
        if (unmet.length) tst_brk(TCONF, "Aborting due to unsuitable kernel config, see above!", "not-configured");
      }
      if (test.supported_archs && !test.supported_archs.includes(ctx.target.arch)) {
        tst_brk(TCONF, `This arch '${ctx.target.arch}' is not supported for test!`, "arch-unsupported");
      }
      if (test.needs_single_step) {
        const why = ctx.target.explainArchUnsupported("ptrace");
        if (why) tst_brk(TCONF, why, "arch-unsupported");
      }
      if (test.needs_tmpdir) await makeTmpdir(ctx.tid, ctx.seed);
      const pid = await cloneProcess(testProcessFlags(), testProcess(test, ctx));
      if (pid === -1) tst_brk(TBROK | TERRNO, "fork() failed");
      const { status } = await waitpid(pid, __WALL);
      if (WIFSIGNALED(status) && WTERMSIG(status) === SIGKILL) tst_res(TBROK, "Test killed! (timeout?)");
      else if (WIFSIGNALED(status)) tst_res(TBROK, `Test killed by ${signalName(WTERMSIG(status))}!`);
      else if (WIFEXITED(status) && ![0, 1, 2, 32].includes(WEXITSTATUS(status))) {
        tst_res(TBROK, `Test process exited with ${WEXITSTATUS(status)}`);
      }
      // Orphans are reparented to this process. Like LTP after a test, kill what is left (a
      // tracee stopped when its tracer ended, a stray child still running), then reap it all.
      // Where the job does not have the machine to itself, kill(-1) would reach every process
      // of the machine: the target kills the job's leftovers once this process exits.
      let reaped: number;
      while ((reaped = (await waitpid(-1, __WALL | WNOHANG)).pid) > 0);
      if (reaped === 0 && ctx.target.isolation.isolated) {
        if ((await kill(-1, SIGKILL)) === 0) tst_res(TINFO, "Killed the leftover descendant processes");
        while ((await waitpid(-1, __WALL)).pid > 0);
      }
    } catch (e) {
      if (!(e instanceof TstBrk)) exitStatusFor(e);
    }
    await _exit(0);
  };
}

/** The environment a testcase is started with, as a runner's shell would pass it. */
export const TEST_ENVIRONMENT: readonly string[] = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "TMPDIR=/tmp"];

/** Runs a testcase on a booted target: LTP's tst_run_tcases(). */
export async function runTest(
  test: TestCase, target: Target, opts: { tid: string; seed: number; args?: readonly string[] },
): Promise<TestOutcome> {
  const results = new Results(`${opts.tid}.ts`);
  const args = opts.args ?? [];
  const ctx: JobContext = {
    target, results, tid: opts.tid, seed: opts.seed, args, options: new Map(), testProcess: null, numbers: new Map(),
  };
  const image: ProgramImage = { argv: [opts.tid, ...args], envp: TEST_ENVIRONMENT };
  setJob(ctx);
  let machine: MachineExit;
  try {
    results.log.push(`tst_test.ts: TINFO: Tested kernel: ${target.kernelName} ${target.configName} ${target.arch}`);
    machine = await target.run(libraryMain(test, ctx), image);
    if (machine.kind === "deadlock") {
      results.add(TBROK, `deadlock: every task is blocked and no timer is pending: ${machine.sleepers.join(", ")}`);
    }
    for (const f of target.faults()) results.add(TBROK, `kernel oops: ${f}`);
    if (!results.reported) results.add(TBROK, "Test haven't reported results!");
  } finally {
    setJob(null);
  }
  results.log.push(...results.summary());
  return { counts: results.counts, lines: results.lines, log: results.log, exitCode: results.exitCode(), machine };
}
