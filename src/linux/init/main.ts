import type { LinkedKernel } from "../kbuild/link.js";
import type { ArchEntry } from "../include/linux/entry-common.js";
import { FilesStruct } from "../include/linux/fdtable.js";
import { FsStruct } from "../include/linux/fs_struct.js";
import type { MmLayout } from "../include/linux/mm_types.js";
import type { ArchPtrace } from "../include/linux/ptrace.js";
import { SighandStruct, Task, type Kernel as KernelState, type Oops, type UserEntry } from "../include/linux/sched.js";
import { initRlimits, SignalStruct, SIGNAL_UNKILLABLE } from "../include/linux/sched/signal.js";
import type { SyscallHandler } from "../include/linux/syscalls.js";
import type { Word } from "../include/uapi/word.js";
import { archEntry, archPtrace } from "../arch/entry.js";
import { setupProgramImage, type ProgramImage } from "../fs/binfmt_elf.js";
import { INIT_CRED } from "../kernel/cred.js";
import { doSyscall, enterUserMode } from "../kernel/entry/common.js";
import { sysCallTable } from "../kernel/entry/syscall_table.js";
import { PidTable } from "../kernel/pid.js";
import { Scheduler } from "../kernel/sched.js";
import { MmStruct, NommuMemory, PAGE_SIZE } from "../mm/mm.js";
import { RamFs } from "../mm/shmem.js";

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

/**
 * A booted kernel: one per job. It shares the linked syscall table of its configuration
 * with every other kernel of that configuration and keeps its own tasks, pids, files and time.
 * What its fields are: include/linux/sched.ts.
 */
export class Kernel implements KernelState {
  readonly pids = new PidTable();
  readonly rootfs = new RamFs();
  readonly sched: Scheduler;
  readonly oopses: Oops[] = [];
  /** Resolves when init exits or the system deadlocks. */
  readonly halted: Promise<KernelExit>;
  init: Task | null = null;
  readonly totalramPages: number;
  readonly totalSwapPages: number;
  readonly maxThreads: number;
  nrThreads = 0;
  readonly nprocByUid = new Map<number, number>();
  readonly mmu: boolean;
  /** The one memory of a machine without an MMU. */
  readonly nommuMemory: NommuMemory | null;
  readonly layout: MmLayout;
  trapSignal: (error: unknown) => number = () => 0;
  userCode: (task: Task, addr: number, args: readonly number[]) => Promise<void> | null = () => null;
  readonly entry: ArchEntry;
  readonly archPtrace: ArchPtrace;
  readonly sysCallTable: readonly SyscallHandler[];
  private nextId = 1;
  private finish!: (e: KernelExit) => void;
  private done = false;

  constructor(readonly linked: LinkedKernel, readonly seed: number, boot: BootOptions = {}) {
    this.sysCallTable = sysCallTable(linked);
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
    this.entry = archEntry(linked.arch);
    this.archPtrace = archPtrace(linked.arch);
    this.halted = new Promise((resolve) => (this.finish = resolve));
    this.sched = new Scheduler(seed, () => this.idle());
  }

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
    enterUserMode(task);
    return task;
  }

  /**
   * The system call entry, for the runtime that runs user code on this kernel (see
   * kernel/entry/common.ts doSyscall()).
   */
  syscall(task: Task, nr: number, a0: Word = 0, a1: Word = 0, a2: Word = 0, a3: Word = 0, a4: Word = 0, a5: Word = 0): Word | Promise<Word> {
    return doSyscall(task, nr, a0, a1, a2, a3, a4, a5);
  }

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

