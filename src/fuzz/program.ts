import type { Word } from "../linux/include/uapi/word.js";
import type { LinkedKernel } from "../linux/kbuild/link.js";
import { seededRandom } from "../linux/kernel/sched.js";
import { ARG_KINDS, generateArg, type AddressSpace, type ArgKind } from "./args.js";

/**
 * One system call of a fuzzed program: its number and six register words; a call that makes
 * a process or thread (fork, vfork, clone, clone3) carries the program its child runs.
 */
export interface Call {
  readonly nr: number;
  readonly args: readonly Word[];
  readonly child?: Program;
}

/** What one task runs: its calls in order (then exit(0)). */
export type Program = readonly Call[];

/** Calls that create a task: the generator gives them a child program. */
const SPAWNERS = new Set(["fork", "vfork", "clone", "clone3"]);
/** Calls whose argument kinds are worth fixing: the rest draw a kind per register. */
const KINDS: Readonly<Record<string, readonly ArgKind[]>> = {
  kill: ["pid", "signal"],
  tkill: ["pid", "signal"],
  tgkill: ["pid", "pid", "signal"],
  rt_sigaction: ["signal", "pointer", "pointer", "small"],
  setitimer: ["small", "pointer", "pointer"],
  alarm: ["small"],
  read: ["fd", "pointer", "length"],
  write: ["fd", "pointer", "length"],
  pread64: ["fd", "pointer", "length", "length"],
  pwrite64: ["fd", "pointer", "length", "length"],
  brk: ["pointer"],
  mmap: ["pointer", "length", "flags", "flags", "fd", "length"],
};
/**
 * The calls the known kernel bugs lived in (processes, signals, timers, pipes, memory,
 * lengths): half the calls are drawn from these, the rest from the whole table.
 */
const CORE = [
  "fork", "vfork", "clone", "kill", "tkill", "tgkill", "rt_sigaction", "rt_sigprocmask", "rt_sigsuspend", "pause",
  "pipe", "pipe2", "read", "write", "readv", "writev", "pread64", "pwrite64", "close", "dup", "dup3", "wait4", "waitid",
  "setitimer", "getitimer", "alarm", "nanosleep", "exit", "brk", "mmap", "munmap", "mprotect", "openat", "lseek",
  "ptrace", "sched_yield", "getpid", "setpgid",
];
/** Numbers past every table, and words that are numbers only in their low half. */
const ODD_NUMBERS = [-1, -2, 463, 512, 1000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32 + 39, 2 ** 40, -(2 ** 31)];

export interface GenerateOptions {
  /** Calls per task at most. */
  readonly length: number;
  /** How deep children may nest. */
  readonly depth: number;
}

/**
 * The programs of one configuration: deterministic from the seed, so that a finding is a
 * seed and an index, and the minimizer can start again from the program itself.
 */
export class ProgramGenerator {
  private readonly numbers: readonly number[];
  private readonly core: readonly number[];
  private readonly nameOf: ReadonlyMap<number, string>;

  constructor(linked: LinkedKernel, private readonly space: AddressSpace, private readonly options: GenerateOptions) {
    this.numbers = linked.table.entries.map((e) => e.nr);
    const core = new Set(CORE);
    this.core = linked.table.entries.filter((e) => core.has(e.name)).map((e) => e.nr);
    this.nameOf = new Map(linked.table.entries.map((e) => [e.nr, e.name]));
  }

  /** The program of `seed`. */
  generate(seed: number): Program {
    return this.program(seededRandom(seed), this.options.depth);
  }

  private program(random: () => number, depth: number): Program {
    const n = 1 + Math.floor(random() * this.options.length);
    const calls: Call[] = [];
    for (let i = 0; i < n; i++) calls.push(this.call(random, depth));
    return calls;
  }

  private call(random: () => number, depth: number): Call {
    const r = random();
    const from = r < 0.5 ? this.core : r < 0.95 ? this.numbers : ODD_NUMBERS;
    const nr = from[Math.floor(random() * from.length)]!;
    const kinds = KINDS[this.nameOf.get(nr) ?? ""] ?? [];
    const args: Word[] = [];
    for (let i = 0; i < 6; i++) {
      const kind = kinds[i] ?? ARG_KINDS[Math.floor(random() * ARG_KINDS.length)]!;
      args.push(random() < 0.1 ? 0 : generateArg(kind, random, this.space));
    }
    const spawns = SPAWNERS.has(this.nameOf.get(nr) ?? "");
    return spawns && depth > 0 ? { nr, args, child: this.program(random, depth - 1) } : { nr, args };
  }
}

/** Every call of a program, children included, in order: what the minimizer removes from. */
export function callCount(program: Program): number {
  let n = 0;
  for (const c of program) n += 1 + (c.child ? callCount(c.child) : 0);
  return n;
}

/** The program with only the calls whose preorder index `keep` holds (a removed spawner takes its child). */
export function keepCalls(program: Program, keep: ReadonlySet<number>): Program {
  let index = 0;
  const walk = (p: Program): Call[] => {
    const out: Call[] = [];
    for (const c of p) {
      const mine = index++;
      const child = c.child ? walk(c.child) : undefined;
      if (!keep.has(mine)) continue;
      out.push(child ? { nr: c.nr, args: c.args, child } : { nr: c.nr, args: c.args });
    }
    return out;
  };
  return walk(program);
}
