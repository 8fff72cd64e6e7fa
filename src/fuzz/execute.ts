import { Kernel, USER_DATA_BASE, USER_DATA_SIZE } from "../linux/init/main.js";
import type { Task } from "../linux/include/linux/sched.js";
import type { Word } from "../linux/include/uapi/word.js";
import type { LinkedKernel } from "../linux/kbuild/link.js";
import type { AddressSpace } from "./args.js";
import type { Program } from "./program.js";
import { HANDLER_ADDR, RESTORER_ADDR, writeScratch } from "./scratch.js";

/** What the fuzzer reports: a kernel fault or a lie, each a bug to fix. */
export interface Finding {
  /**
   * oops: a JavaScript exception the kernel caught at its boundary (a kernel bug);
   * exception: one that escaped the entry; bad-return: a result that is no word, or negative
   * and no errno; stall: a task waits for ever and the kernel never said deadlock;
   * hang: no progress in real time; memory: host memory past the bound.
   */
  readonly kind: "oops" | "exception" | "bad-return" | "stall" | "hang" | "memory";
  readonly detail: string;
}

export interface RunOptions {
  /** The scheduler's seed. */
  readonly seed: number;
  /** The emulated machine's RAM in bytes. */
  readonly mem: number;
  /** Host memory (ArrayBuffers and heap) a program may leave in use, in bytes. */
  readonly hostMemoryLimit: number;
}

export interface RunResult {
  readonly calls: number;
  readonly findings: readonly Finding[];
}

/** Calls whose result is whatever the restored registers hold: no errno rule applies. */
const RAW_RESULT = new Set(["rt_sigreturn"]);
/** -MAX_ERRNO: results in [-4095, -1] are errnos. */
const MAX_ERRNO = 4095;

/** Is `r` a register word that is a value or -errno? */
function resultProblem(r: unknown): string | null {
  if (typeof r === "bigint") return r < 0n ? `negative ${r}n is no errno` : null;
  if (typeof r !== "number" || !Number.isSafeInteger(r)) return `${String(r)} is no register word`;
  return r < -MAX_ERRNO ? `negative ${r} is no errno` : null;
}

const firstLines = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}\n${(e.stack ?? "").split("\n").slice(1, 4).join("\n")}` : String(e));

/** The address space a program of this kernel sees (the same in every boot). */
export function addressSpace(kernel: Kernel, init: Task): AddressSpace {
  return {
    dataStart: USER_DATA_BASE, dataEnd: USER_DATA_BASE + USER_DATA_SIZE, scratch: writeScratch(init.mm!, USER_DATA_BASE),
    stack: init.mm!.startStack, taskSize: kernel.layout.taskSize, handler: HANDLER_ADDR,
  };
}

/**
 * Boots a kernel for one program: handlers at HANDLER_ADDR return at once, the restorer makes
 * rt_sigreturn, any other code address faults. Returns the kernel and init's task, stopped
 * before its first call (init's entry waits for `go`).
 */
export function bootForFuzz(linked: LinkedKernel, seed: number, mem: number, body: (kernel: Kernel, init: Task) => Promise<void>): Kernel {
  const kernel = new Kernel(linked, seed, { mem });
  const sigreturn = linked.table.entries.find((e) => e.name === "rt_sigreturn")?.nr ?? -1;
  kernel.userCode = (task, addr) => {
    if (addr === HANDLER_ADDR) return Promise.resolve();
    if (addr === RESTORER_ADDR) return Promise.resolve(kernel.syscall(task, sigreturn)).then(() => undefined);
    return null;
  };
  const init: Task = kernel.start(() => body(kernel, init), "fuzz");
  return kernel;
}

/** Runs one program on a fresh kernel and returns what went wrong (nothing, nearly always). */
export async function runProgram(linked: LinkedKernel, program: Program, options: RunOptions): Promise<RunResult> {
  const findings: Finding[] = [];
  const names = new Map(linked.table.entries.map((e) => [e.nr, e.name]));
  const exit = linked.table.entries.find((e) => e.name === "exit")?.nr ?? 60;
  const exitGroup = linked.table.entries.find((e) => e.name === "exit_group")?.nr ?? 231;
  let calls = 0;

  const runCalls = async (kernel: Kernel, task: Task, calls_: Program, last: number): Promise<void> => {
    for (const call of calls_) {
      if (call.child) {
        const child = call.child;
        task.childEntry = () => runCalls(kernel, kernel.sched.current!, child, exit);
      }
      calls++;
      let r: Word;
      try {
        r = await kernel.syscall(task, call.nr, ...(call.args as [Word, Word, Word, Word, Word, Word]));
      } catch (e) {
        findings.push({ kind: "exception", detail: `${names.get(call.nr) ?? call.nr}: ${firstLines(e)}` });
        return;
      }
      task.childEntry = null;
      const problem = RAW_RESULT.has(names.get(call.nr) ?? "") ? null : resultProblem(r);
      if (problem) findings.push({ kind: "bad-return", detail: `${names.get(call.nr) ?? call.nr}: ${problem}` });
    }
    await kernel.syscall(task, last, 0);
  };

  const kernel = bootForFuzz(linked, options.seed, options.mem, async (k, init) => {
    addressSpace(k, init);
    await runCalls(k, init, program, exitGroup);
  });
  // Everything the kernel does runs in microtasks: once a macrotask gets its turn with the
  // kernel neither halted nor deadlocked, some task waits for a wakeup nobody will give.
  let settled = false;
  void kernel.halted.then(() => (settled = true));
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (!settled) findings.push({ kind: "stall", detail: `tasks never woken and no deadlock reported: ${kernel.sched.sleepers(kernel.pids.all()).map((t) => `${t.pid} in ${t.waitChannel}`).join(", ") || "none asleep"}` });
  for (const o of kernel.oopses) findings.push({ kind: "oops", detail: `${names.get(o.syscall) ?? o.syscall}: ${firstLines(o.error)}` });
  const used = process.memoryUsage();
  if (used.arrayBuffers + used.heapUsed > options.hostMemoryLimit) {
    findings.push({ kind: "memory", detail: `host memory ${Math.round((used.arrayBuffers + used.heapUsed) / 2 ** 20)} MiB after the program` });
  }
  return { calls, findings };
}
