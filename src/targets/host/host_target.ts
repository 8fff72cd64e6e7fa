import { machine, release, tmpdir } from "node:os";
import { resolve } from "node:path";
import { USER_DATA_BASE, USER_DATA_SIZE } from "../../linux/init/main.js";
import type { LinkedKernel } from "../../linux/kbuild/link.js";
import type { EnosysExplanation, Isolation, MachineExit, ProgramImage, Target, UserFunction, UserProcess } from "../target.js";
import { findAgent } from "./agent_binary.js";
import { explainHostEnosys } from "./host_enosys.js";
import { HostMachine, type Layout } from "./host_machine.js";
import { ProgramFunctions, TEXT_BASE } from "../program_functions.js";

/** The host agent's entry stubs for the program's functions (agent/layout.h: USER_FN_BASE, USER_FN_STRIDE, USER_FN_COUNT). */
const FUNCTION_COUNT = 4096;

const LAYOUT: Layout = { dataBase: USER_DATA_BASE, dataSize: USER_DATA_SIZE, functionBase: TEXT_BASE, functionCount: FUNCTION_COUNT };

export interface HostTargetOptions {
  /** The agent binary (default: the one npm install built, dist/agent/ltp-host-agent). */
  readonly agent?: string;
  /**
   * Run each job in PID and mount namespaces of its own (default true). Where the kernel
   * refuses them, the job runs without and `isolation` says why.
   */
  readonly isolate?: boolean;
  /**
   * A command to run the agent under, "{agent}" standing for its path (the program's argv
   * after argv[0] follows): ["qemu-x86_64", "{agent}"]. The arch is then the linked config's,
   * not necessarily this machine's.
   */
  readonly wrapper?: readonly string[];
  /** Where each job's runtime directory is made (default: the OS's temporary directory). */
  readonly runtimeParent?: string;
}

/** The program image when none is given: the emulated kernel's default (argv ["ltp"], no environment). */
const DEFAULT_IMAGE: ProgramImage = { argv: ["ltp"], envp: [] };

/**
 * This machine's real kernel behind the test API's target interface: each process of a job
 * is a real process whose body is a small native agent (src/targets/host/agent), executing
 * the exact system calls the test code asks for, with the data segment and function
 * addresses of the emulated target. Its config is the running kernel's (/proc/config.gz),
 * linked like an emulated one for the syscall table, the kconfig values and the resolver.
 *
 * One target runs one job. dispose() kills what is left of it (the runner's timeout).
 */
export class HostTarget implements Target {
  private readonly functions = new ProgramFunctions(FUNCTION_COUNT);
  private readonly cloneNumbers: ReadonlySet<number>;
  private machine: HostMachine | null = null;

  constructor(private readonly linked: LinkedKernel, private readonly options: HostTargetOptions = {}) {
    if (!options.wrapper?.length && linked.arch.name !== machine()) {
      throw new Error(`the host target runs ${machine()} programs; the config ${linked.config.name} is ${linked.arch.name} (a wrapper such as qemu-user runs other arches)`);
    }
    this.cloneNumbers = new Set(["fork", "vfork", "clone", "clone3"].map((n) => this.syscallNumber(n)).filter((n): n is number => n !== undefined));
  }

  get arch(): string {
    return this.linked.arch.name;
  }

  /** uname -r of the kernel the agent runs on (under a wrapper, the emulator's answer may differ). */
  readonly kernelName = `Linux ${release()}`;

  get configName(): string {
    return this.linked.config.name;
  }

  syscallNumber(name: string): number | undefined {
    return this.linked.table.entries.find((e) => e.name === name)?.nr;
  }

  kconfig(name: string): string {
    return this.linked.config.value(name);
  }

  /**
   * Linux's own verdict for the running kernel's config. Under a wrapper, a call Linux builds
   * that still answers ENOSYS is the emulator's gap: the failure names it.
   */
  explainEnosys(name: string): EnosysExplanation {
    const why = explainHostEnosys(this.linked, name);
    const emulator = this.options.wrapper?.[0]?.split("/").pop();
    if (!why.builtIn || !emulator) return why;
    return { ...why, category: "not-implemented", reason: `not implemented by ${emulator}, while the running kernel's config builds it (${why.reason})` };
  }

  explainArchUnsupported(name: string): string | null {
    return this.linked.arch.unsupported[name] ?? null;
  }

  /**
   * Whether the job's processes have PID and mount namespaces of their own (known once the
   * program runs). Without them, pid 1 is not the init and kill(-1, ...) would reach the
   * whole machine: the agent refuses it, and the test library neither makes it nor lets a
   * testcase make it.
   */
  get isolation(): Isolation {
    return this.machine?.isolation ?? { isolated: false, detail: "the job has not started" };
  }

  async run(main: (init: UserProcess) => Promise<void>, image: ProgramImage = DEFAULT_IMAGE): Promise<MachineExit> {
    if (this.machine) throw new Error("a host target runs one job");
    const nrIs32Bit = this.linked.arch.nrIs32Bit;
    const exitNr = this.syscallNumber("exit");
    if (exitNr === undefined) throw new Error(`the ${this.arch} table has no exit`);
    this.machine = new HostMachine({
      agent: resolve(findAgent(this.options.agent)),
      isolate: this.options.isolate ?? true,
      wrapper: this.options.wrapper ?? [],
      runtimeParent: this.options.runtimeParent ?? tmpdir(),
      layout: LAYOUT,
      functionAt: (addr) => this.functionAt(addr),
      makesChild: (nr) => this.cloneNumbers.has(nrIs32Bit ? nr >>> 0 : nr),
      exitNr,
    });
    return this.machine.run(main, image);
  }

  current(): UserProcess {
    if (!this.machine) throw new Error("the host target is not running");
    return this.machine.current();
  }

  codeAddress(fn: UserFunction): number {
    return this.functions.codeAddress(fn);
  }

  functionAt(addr: number): UserFunction | undefined {
    return this.functions.functionAt(addr);
  }

  faults(): readonly string[] {
    return this.machine?.faults ?? [];
  }

  /** Kills every process of the job and removes its runtime directory (a timeout, or the run's end). */
  async dispose(): Promise<void> {
    await this.machine?.dispose();
  }
}
