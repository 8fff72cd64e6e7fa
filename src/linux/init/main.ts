import { SighandStruct, Task, TaskState, type UserEntry } from "../include/linux/sched.js";
import { INIT_CRED } from "../kernel/cred.js";
import { PidTable } from "../kernel/pid.js";
import { Scheduler, seededRandom } from "../kernel/sched.js";
import { doExit, NEVER } from "../kernel/exit.js";
import { SIGKILL } from "../include/uapi/signal.js";
import { FilesStruct } from "../fs/fdtable.js";
import { FsStruct } from "../fs/fs_struct.js";
import { RamFs } from "../fs/inode.js";
import { MmStruct, PROT_READ, PROT_WRITE } from "../mm/mm.js";
import type { LinkedKernel } from "../kbuild/link.js";
import type { SyscallHandler } from "../kbuild/object.js";

/** Where the first program's data segment (its heap, for the libc) is mapped. */
export const USER_DATA_BASE = 0x10000000;
export const USER_DATA_SIZE = 16 << 20;

/** How a booted kernel stopped. */
export type KernelExit =
  /** init (pid 1) exited; status is its wait status. */
  | { readonly kind: "halted"; readonly status: number }
  /** Every live task sleeps and no timer is pending. */
  | { readonly kind: "deadlock"; readonly sleepers: readonly { pid: number; comm: string; waitChannel: string }[] };

/** A kernel bug caught at the syscall boundary: the calling task is killed, the run goes on. */
export interface Oops {
  readonly pid: number;
  readonly syscall: number;
  readonly error: unknown;
}

/**
 * A booted kernel: one per job. It shares the linked syscall table of its configuration
 * with every other kernel of that configuration and keeps its own tasks, pids, files and time.
 */
export class Kernel {
  readonly pids = new PidTable();
  readonly rootfs = new RamFs();
  readonly sched: Scheduler;
  readonly oopses: Oops[] = [];
  /** Per-boot secrets kcmp() obfuscates object identities with (kcmp_cookies_init). */
  readonly kcmpCookies: readonly (readonly [bigint, bigint])[];
  /** Resolves when init exits or the system deadlocks. */
  readonly halted: Promise<KernelExit>;
  init: Task | null = null;
  private readonly table: readonly SyscallHandler[];
  private readonly nrIs32Bit: boolean;
  private nextId = 1;
  private finish!: (e: KernelExit) => void;
  private done = false;

  constructor(readonly linked: LinkedKernel, readonly seed: number) {
    this.table = linked.handlers;
    this.nrIs32Bit = linked.arch.nrIs32Bit;
    this.halted = new Promise((resolve) => (this.finish = resolve));
    this.sched = new Scheduler(seed, () => this.idle());
    const rnd = seededRandom(seed ^ 0x6b636d70);
    const word = () => (BigInt(Math.floor(rnd() * 2 ** 32)) << 32n) | BigInt(Math.floor(rnd() * 2 ** 32));
    this.kcmpCookies = Array.from({ length: 8 }, () => [word(), word() | (1n << 63n) | 1n] as const);
  }

  /** A fresh identity for a kernel object (what kcmp() compares instead of an address). */
  newId(): number {
    return this.nextId++;
  }

  /**
   * Starts pid 1 running `entry`, with a fresh address space that has a data segment at
   * USER_DATA_BASE, an empty descriptor table and / as root and working directory.
   */
  start(entry: UserEntry, comm: string): Task {
    const pid = this.pids.alloc()!;
    const mm = new MmStruct(this.newId());
    mm.map(USER_DATA_BASE, USER_DATA_SIZE, PROT_READ | PROT_WRITE, "[heap]");
    const root = this.rootfs.root;
    const task = new Task(this, pid, {
      parent: null, pgid: pid, sid: pid, mm, files: new FilesStruct(this.newId()),
      fs: new FsStruct(this.newId(), root, root), sighand: new SighandStruct(this.newId()),
      cred: INIT_CRED, exitSignal: 0, comm,
    });
    this.pids.attach(task);
    this.init = task;
    task.entry = entry;
    this.sched.current = task;
    this.runUser(task);
    return task;
  }

  /** Makes a task created by fork/clone runnable; it starts its entry when first picked. */
  wakeUpNewTask(task: Task): void {
    task.resume = () => queueMicrotask(() => this.runUser(task));
    this.sched.enqueue(task);
  }

  private runUser(task: Task): void {
    const entry = task.entry;
    task.entry = null;
    // A task with no code of its own (a raw fork with no child body) exits at once.
    const run = entry ? Promise.resolve().then(entry) : Promise.resolve();
    run.then(
      () => { if (task.state === TaskState.Running) doExit(task, 0); },
      (error: unknown) => {
        this.oopses.push({ pid: task.pid, syscall: -1, error });
        if (task.state === TaskState.Running) doExit(task, SIGKILL);
      },
    );
  }

  /**
   * The system call entry: dispatch through the linked table (numbers outside it reach
   * sys_ni_syscall). A call that neither blocks nor ends the timeslice returns synchronously.
   */
  syscall(task: Task, nr: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): number | Promise<number> {
    const handler = this.table[this.nrIs32Bit ? nr >>> 0 : nr] ?? this.linked.sysNi;
    let r: number | Promise<number>;
    try {
      r = handler(task, a0, a1, a2, a3, a4, a5);
    } catch (error) {
      return this.oops(task, nr, error);
    }
    if (typeof r !== "number") return r.catch((error: unknown) => this.oops(task, nr, error));
    if (--this.sched.budget > 0) return r;
    const p = this.sched.preempt(task);
    return p ? p.then(() => r) : r;
  }

  private oops(task: Task, nr: number, error: unknown): Promise<never> {
    this.oopses.push({ pid: task.pid, syscall: nr, error });
    if (task.state === TaskState.Running) doExit(task, SIGKILL);
    return NEVER;
  }

  /** init exited: the machine stops (Linux would panic; the job is over). */
  halt(status: number): void {
    if (this.done) return;
    this.done = true;
    this.finish({ kind: "halted", status });
  }

  private idle(): void {
    if (this.done) return;
    const sleepers = this.sched.sleepers(this.pids.all());
    if (sleepers.length === 0) return;
    this.done = true;
    this.finish({
      kind: "deadlock",
      sleepers: sleepers.map((t) => ({ pid: t.pid, comm: t.comm, waitChannel: t.waitChannel ?? "?" })),
    });
  }
}

