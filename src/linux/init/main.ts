import { SighandStruct, Task, TaskState, type UserEntry } from "../include/linux/sched.js";
import { initRlimits, SignalStruct, SIGNAL_UNKILLABLE } from "../include/linux/sched/signal.js";
import { INIT_CRED } from "../kernel/cred.js";
import { PidTable } from "../kernel/pid.js";
import { Scheduler, seededRandom } from "../kernel/sched.js";
import { doExit, never } from "../kernel/exit.js";
import { forceSigFault } from "../kernel/signal.js";
import {
  exitToUserMode, syscallExitWork, syscallTraceEnter, taskPtRegs, USER_SYSCALL_SITE, type ArchEntry,
} from "../kernel/entry/common.js";
import { ENOSYS } from "../include/uapi/errno.js";
import { archEntry, archPtrace } from "../arch/entry.js";
import type { ArchPtrace } from "../kernel/ptrace.js";
import { SIGKILL } from "../include/uapi/signal.js";
import { FilesStruct } from "../fs/fdtable.js";
import { FsStruct } from "../fs/fs_struct.js";
import { RamFs } from "../fs/inode.js";
import { MmStruct, NommuMemory, PAGE_SIZE, type MmLayout } from "../mm/mm.js";
import { setupProgramImage, type ProgramImage } from "../fs/binfmt_elf.js";
import type { LinkedKernel } from "../kbuild/link.js";
import type { SyscallHandler } from "../kbuild/object.js";

export type { ProgramImage };

/** Where the first program's data segment (its heap, for the libc) is mapped. */
export const USER_DATA_BASE = 0x10000000;
export const USER_DATA_SIZE = 16 << 20;

/** The machine's memory unless a boot option says otherwise: 2 GiB of RAM, no swap. */
export const DEFAULT_MEM = 2 ** 31;
/** THREAD_SIZE: each task's kernel stack, 16 KiB on x86_64 and riscv64 (set_max_threads() divides by 8 of them). */
const THREAD_SIZE = 16 << 10;
/** MIN_THREADS and MAX_THREADS (FUTEX_TID_MASK), kernel/fork.c. */
const MIN_THREADS = 20, MAX_THREADS = 0x3fffffff;
/** MIN_GAP: the least room mmap_base leaves below the stack (no randomization). */
const MMAP_MIN_GAP = 128 << 20;

/** What the kernel command line and sysctls would set for a boot. */
export interface BootOptions {
  /** mem=: RAM in bytes. */
  readonly mem?: number;
  /** Swap in bytes. */
  readonly swap?: number;
  /** kernel.pid_max (default 32768). */
  readonly pidMax?: number;
}

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
  /** totalram_pages() and total_swap_pages: what overcommit and max_threads are measured by. */
  readonly totalramPages: number;
  readonly totalSwapPages: number;
  /** max_threads (kernel.threads-max) and nr_threads. */
  readonly maxThreads: number;
  nrThreads = 0;
  /** UCOUNT_RLIMIT_NPROC of each real uid: its tasks, zombies included, until released. */
  readonly nprocByUid = new Map<number, number>();
  /** CONFIG_MMU, looked up once. */
  readonly mmu: boolean;
  /** The one memory of a machine without an MMU. */
  readonly nommuMemory: NommuMemory | null;
  /** Where address spaces put things (every process shares the arch's layout). */
  readonly layout: MmLayout;
  /**
   * Which CPU trap an exception thrown by user code stands for: the signal it raises (an
   * access the MMU refused: SIGSEGV), or 0 for anything else, which is a bug (an oops). Set by
   * whoever runs user code on this kernel; the kernel cannot tell on its own.
   */
  trapSignal: (error: unknown) => number = () => 0;
  /**
   * Calls the user function at `addr` of the task's program (a signal handler, or the
   * restorer it returns through) with the arguments the arch passes it, resolving when it
   * returns; null when no code of the program lives there. Set by whoever runs user code.
   */
  userCode: (task: Task, addr: number, args: readonly number[]) => Promise<void> | null = () => null;
  /** The arch's system call ABI and signal frame. */
  readonly entry: ArchEntry;
  /** The arch's part of ptrace. */
  readonly archPtrace: ArchPtrace;
  private readonly table: readonly SyscallHandler[];
  private readonly nrIs32Bit: boolean;
  private nextId = 1;
  private finish!: (e: KernelExit) => void;
  private done = false;

  constructor(readonly linked: LinkedKernel, readonly seed: number, boot: BootOptions = {}) {
    this.table = linked.handlers;
    this.totalramPages = Math.floor((boot.mem ?? DEFAULT_MEM) / PAGE_SIZE);
    this.totalSwapPages = Math.floor((boot.swap ?? 0) / PAGE_SIZE);
    // set_max_threads(): thread stacks may use an eighth of memory.
    this.maxThreads = Math.min(MAX_THREADS, Math.max(MIN_THREADS, Math.floor((this.totalramPages * PAGE_SIZE) / (THREAD_SIZE * 8))));
    this.mmu = linked.config.enabled("MMU");
    this.nommuMemory = this.mmu ? null : new NommuMemory();
    const arch = linked.arch;
    // arch/riscv without an MMU: TASK_SIZE is -1UL (everything is addressable).
    const taskSize = this.mmu ? arch.taskSize : Number.MAX_SAFE_INTEGER - (Number.MAX_SAFE_INTEGER % PAGE_SIZE);
    this.layout = {
      taskSize,
      // mmap_base(): the stack's limit plus its guard gap, at least 128 MiB, below STACK_TOP.
      mmapBase: arch.stackTop - MMAP_MIN_GAP,
      mmapMinAddr: this.mmu ? Number(linked.config.value("DEFAULT_MMAP_MIN_ADDR")) || PAGE_SIZE : 0,
    };
    if (boot.pidMax !== undefined) this.pids.pidMax = boot.pidMax;
    this.nrIs32Bit = linked.arch.nrIs32Bit;
    this.entry = archEntry(linked.arch);
    this.archPtrace = archPtrace(linked.arch);
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
   * Starts pid 1 running `entry`: a fresh address space with a data segment at USER_DATA_BASE
   * (the heap's break just above it) and a stack holding argv and envp as exec leaves them, an
   * empty descriptor table, / as root and working directory, INIT_RLIMITS. Like the global
   * init, it is unkillable by signals it does not handle.
   */
  start(entry: UserEntry, comm: string, image: ProgramImage = { argv: [comm], envp: [] }): Task {
    const pid = this.pids.alloc()!;
    const mm = new MmStruct(this.newId(), this.layout, this.nommuMemory);
    setupProgramImage(mm, this.linked.arch, image, USER_DATA_BASE, USER_DATA_SIZE);
    const root = this.rootfs.root;
    const signal = new SignalStruct(initRlimits(this.maxThreads));
    signal.flags |= SIGNAL_UNKILLABLE;
    const task = new Task(this, pid, {
      parent: null, pgid: pid, sid: pid, mm, files: new FilesStruct(this.newId()),
      fs: new FsStruct(this.newId(), root, root), sighand: new SighandStruct(this.newId()), signal,
      cred: INIT_CRED, exitSignal: 0, comm,
    });
    signal.threads.push(task);
    this.nrThreads++;
    this.nprocByUid.set(task.cred.uid, 1);
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
        if (task.state !== TaskState.Running) return;
        const sig = this.trapSignal(error);
        if (sig) {
          void forceSigFault(task, sig);
          return;
        }
        this.oopses.push({ pid: task.pid, syscall: -1, error });
        doExit(task, SIGKILL);
      },
    );
  }

  /**
   * The system call entry: dispatch through the linked table (numbers outside it reach
   * sys_ni_syscall). A call that neither blocks, nor ends the timeslice, nor leaves a signal
   * to act on returns synchronously; the others return through exitToUserMode().
   */
  syscall(task: Task, nr: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): number | Promise<number> {
    if (task.ptrace !== 0 && (task.syscallTrace || task.singleStep)) return this.tracedSyscall(task, nr, [a0, a1, a2, a3, a4, a5]);
    const handler = this.handlerOf(nr);
    const sigreturns = task.sigreturns;
    let r: number | Promise<number>;
    try {
      r = handler(task, a0, a1, a2, a3, a4, a5);
    } catch (error) {
      return this.oops(task, nr, error);
    }
    if (typeof r !== "number") {
      return r.then(
        (v) => (task.signalPending ? this.exitToUser(task, sigreturns, nr, v, a0, a1, a2, a3, a4, a5) : v),
        (error: unknown) => this.oops(task, nr, error),
      );
    }
    if (--this.sched.budget <= 0) {
      const p = this.sched.preempt(task);
      if (p) return p.then(() => (task.signalPending ? this.exitToUser(task, sigreturns, nr, r, a0, a1, a2, a3, a4, a5) : r));
    }
    return task.signalPending ? this.exitToUser(task, sigreturns, nr, r, a0, a1, a2, a3, a4, a5) : r;
  }

  /** The table's handler for `nr`; numbers outside it reach sys_ni_syscall. */
  private handlerOf(nr: number): SyscallHandler {
    return this.table[this.nrIs32Bit ? nr >>> 0 : nr] ?? this.linked.sysNi;
  }

  /**
   * A system call of a task its tracer steps or stops at system calls (the SYSCALL_WORK
   * path): the registers are saved as on entry (orig_ax the number, ax -ENOSYS), the
   * syscall-entry stop may change the number or skip the call, and on the way out come the
   * single-step trap or the syscall-exit stop, then signals. probe: at the entry stop rax was
   * -ENOSYS and orig_rax 39, at the exit stop rax the pid (status 0x857f with TRACESYSGOOD).
   * The tracer's changes to the arguments at the entry stop are not applied (only the number).
   */
  private async tracedSyscall(task: Task, nr: number, args: readonly number[]): Promise<number> {
    const entry = this.entry;
    const regs = taskPtRegs(task);
    if (task.machineCode) entry.syscallReturn(regs, nr, -ENOSYS);
    else entry.syscallExit(regs, nr, args, -ENOSYS, USER_SYSCALL_SITE + entry.syscallInsnLen);
    const sigreturns = task.sigreturns;
    const call = await syscallTraceEnter(task, entry, regs);
    let ret = entry.returnValue(regs);
    if (call !== -1) {
      const handler = this.handlerOf(call);
      try {
        ret = await handler(task, args[0]!, args[1]!, args[2]!, args[3]!, args[4]!, args[5]!);
      } catch (error) {
        return this.oops(task, call, error);
      }
      if (task.sigreturns === sigreturns) entry.syscallReturn(regs, call, ret);
    }
    await syscallExitWork(task, regs);
    return exitToUserMode(task, entry, regs);
  }

  /**
   * The slow way back to user space: the registers are saved as the system call left them
   * (unless rt_sigreturn just loaded others), then signals are acted on.
   */
  private exitToUser(
    task: Task, sigreturns: number, nr: number, ret: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number,
  ): Promise<number> {
    const entry = this.entry;
    const regs = taskPtRegs(task);
    if (task.sigreturns === sigreturns) {
      if (task.machineCode) entry.syscallReturn(regs, nr, ret);
      else entry.syscallExit(regs, nr, [a0, a1, a2, a3, a4, a5], ret, USER_SYSCALL_SITE + entry.syscallInsnLen);
    }
    return exitToUserMode(task, entry, regs).catch((error: unknown) => {
      // A user fault in a handler propagates to the code that made the call.
      if (this.trapSignal(error)) throw error;
      return this.oops(task, nr, error);
    });
  }

  private oops(task: Task, nr: number, error: unknown): Promise<never> {
    this.oopses.push({ pid: task.pid, syscall: nr, error });
    if (task.state === TaskState.Running) doExit(task, SIGKILL);
    return never();
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

