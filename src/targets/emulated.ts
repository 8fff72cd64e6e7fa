import { Reg } from "../linux/arch/x86/cpu/index.js";
import { X86PtRegs } from "../linux/arch/x86/include/asm/ptrace.js";
import { runMachineCode } from "../linux/arch/x86/kernel/user_code.js";
import { Kernel, USER_DATA_BASE, USER_DATA_SIZE, type BootOptions } from "../linux/init/main.js";
import type { Task } from "../linux/include/linux/sched.js";
import { SIGSEGV } from "../linux/include/uapi/signal.js";
import { toSyscallNumber, toWord, type Word } from "../linux/include/uapi/word.js";
import type { LinkedKernel } from "../linux/kbuild/link.js";
import {
  UserFault, type EnosysExplanation, type MachineExit, type ProgramImage, type Target, type UserFunction,
  type UserMemory, type UserProcess,
} from "./target.js";
import { ProgramFunctions } from "./program_functions.js";
import { resolveSyscall } from "../resolver/resolve.js";

const numberTables = new WeakMap<LinkedKernel, Map<string, number>>();

function numbers(linked: LinkedKernel): Map<string, number> {
  let m = numberTables.get(linked);
  if (!m) {
    m = new Map(linked.table.entries.map((e) => [e.name, e.nr]));
    numberTables.set(linked, m);
  }
  return m;
}

const DATA_SEGMENT = { start: USER_DATA_BASE, size: USER_DATA_SIZE } as const;

/**
 * One emulated task seen as a process running user code, and its memory as that code sees
 * it: through the task's current mm (none once it has exited). One object per task, kept in
 * the task's userContext slot: a fork costs no map insertion.
 */
class EmulatedProcess implements UserProcess, UserMemory {
  readonly memory: UserMemory = this;
  readonly heap = DATA_SEGMENT;

  constructor(private readonly kernel: Kernel, private readonly task: Task) {}

  syscall(nr: number, a0: Word = 0, a1: Word = 0, a2: Word = 0, a3: Word = 0, a4: Word = 0, a5: Word = 0): Word | Promise<Word> {
    return this.kernel.syscall(this.task, toSyscallNumber(nr), toWord(a0), toWord(a1), toWord(a2), toWord(a3), toWord(a4), toWord(a5));
  }

  setChildEntry(entry: () => Promise<void>): void {
    this.task.childEntry = entry;
  }

  runMachineCode(start: { readonly ip: number; readonly sp: number }): Promise<never> {
    if (this.kernel.linked.arch.name !== "x86_64") return Promise.reject(new Error(`machine code is x86-64 only, not ${this.kernel.linked.arch.name}`));
    const regs = new X86PtRegs();
    regs.ripNum = start.ip;
    regs.setNum(Reg.RSP, start.sp);
    return runMachineCode(this.task, regs);
  }

  get startStack(): number {
    return this.task.mm?.startStack ?? 0;
  }

  read(addr: number, len: number): Uint8Array | null {
    return this.task.mm?.read(addr, len) ?? null;
  }

  write(addr: number, data: Uint8Array): boolean {
    return this.task.mm?.write(addr, data) ?? false;
  }

  getInt32(addr: number): number | null {
    return this.task.mm?.getInt32(addr) ?? null;
  }

  putInt32(addr: number, value: number): boolean {
    return this.task.mm?.putInt32(addr, value) ?? false;
  }
}

/** The emulated kernel of this repository behind the test API's target interface. */
export class EmulatedTarget implements Target {
  readonly kernel: Kernel;

  private readonly functions = new ProgramFunctions();

  constructor(private readonly linked: LinkedKernel, seed: number, boot: BootOptions = {}) {
    this.kernel = new Kernel(linked, seed, boot);
    // User code that touched memory it may not is a page fault the MMU raised: SIGSEGV.
    this.kernel.trapSignal = (error) => (error instanceof UserFault ? SIGSEGV : 0);
    this.kernel.userCode = (_task, addr, args) => {
      const fn = this.functions.functionAt(addr);
      return fn ? Promise.resolve(fn(args[0]!, args[1]!, args[2]!)).then(() => undefined) : null;
    };
  }

  codeAddress(fn: UserFunction): number {
    return this.functions.codeAddress(fn);
  }

  functionAt(addr: number): UserFunction | undefined {
    return this.functions.functionAt(addr);
  }

  get arch(): string {
    return this.linked.arch.name;
  }

  readonly kernelName = "emulated Linux 6.12";
  /** A kernel booted for the job alone: kill(-1, ...) reaches only its processes. */
  readonly isolation = { isolated: true, detail: "an emulated kernel of the job's own" } as const;

  get configName(): string {
    return this.linked.config.name;
  }

  syscallNumber(name: string): number | undefined {
    return numbers(this.linked).get(name);
  }

  kconfig(name: string): string {
    return this.linked.config.value(name);
  }

  explainEnosys(name: string): EnosysExplanation {
    const r = resolveSyscall(this.linked, name);
    return { category: r.category, reason: r.reason, builtIn: r.category === "implemented" };
  }

  explainArchUnsupported(name: string): string | null {
    return this.linked.arch.unsupported[name] ?? null;
  }

  run(main: (init: UserProcess) => Promise<void>, image?: ProgramImage): Promise<MachineExit> {
    const kernel = this.kernel;
    const init = kernel.start(() => main(this.process(init)), "ltp", image);
    return kernel.halted.then((e) => e.kind === "halted"
      ? e
      : { kind: "deadlock", sleepers: e.sleepers.map((s) => `pid ${s.pid} (${s.comm}) in ${s.waitChannel}`) });
  }

  /** The last task asked for and its process: consecutive calls come from one task. */
  private lastTask: Task | null = null;
  private lastProcess: UserProcess | null = null;

  current(): UserProcess {
    const task = this.kernel.sched.current!;
    if (task !== this.lastTask) {
      this.lastTask = task;
      this.lastProcess = this.process(task);
    }
    return this.lastProcess!;
  }

  faults(): string[] {
    return this.kernel.oopses.map((o) => {
      const e = o.error instanceof Error ? o.error.stack ?? o.error.message : String(o.error);
      return `pid ${o.pid}${o.syscall >= 0 ? ` in syscall ${o.syscall}` : ""}: ${e.split("\n").slice(0, 2).join(" ").trim()}`;
    });
  }

  private process(task: Task): UserProcess {
    return (task.userContext as EmulatedProcess | null) ?? (task.userContext = new EmulatedProcess(this.kernel, task));
  }
}
