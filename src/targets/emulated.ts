import { Kernel, USER_DATA_BASE, USER_DATA_SIZE } from "../linux/init/main.js";
import type { Task } from "../linux/include/linux/sched.js";
import type { LinkedKernel } from "../linux/kbuild/link.js";
import type { EnosysExplanation, MachineExit, Target, UserProcess } from "../ltp/target.js";
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

/** The emulated kernel of this repository behind the test API's target interface. */
export class EmulatedTarget implements Target {
  readonly kernel: Kernel;
  private readonly processes = new WeakMap<Task, UserProcess>();

  constructor(private readonly linked: LinkedKernel, seed: number) {
    this.kernel = new Kernel(linked, seed);
  }

  get arch(): string {
    return this.linked.arch.name;
  }

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

  run(main: (init: UserProcess) => Promise<void>): Promise<MachineExit> {
    const kernel = this.kernel;
    const init = kernel.start(() => main(this.process(init)), "ltp");
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
    let p = this.processes.get(task);
    if (p) return p;
    const kernel = this.kernel;
    p = {
      syscall: (nr, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0) => kernel.syscall(task, nr, a0, a1, a2, a3, a4, a5),
      setChildEntry: (entry) => { task.childEntry = entry; },
      memory: {
        read: (addr, len) => task.mm?.read(addr, len) ?? null,
        write: (addr, data) => task.mm?.write(addr, data) ?? false,
      },
      heap: { start: USER_DATA_BASE, size: USER_DATA_SIZE },
    };
    this.processes.set(task, p);
    return p;
  }
}
