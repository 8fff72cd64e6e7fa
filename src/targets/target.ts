/**
 * The syscall interface testcases run against, neutral to what implements it: the emulated
 * kernel of this repository, or another kernel or emulator plugged in behind it.
 */
import type { Word } from "../linux/include/uapi/word.js";

/** A process's view of its own memory: plain loads and stores, failing where C would fault. */
export interface UserMemory {
  /** The bytes at [addr, addr+len), or null where any is unreadable. */
  read(addr: number, len: number): Uint8Array | null;
  /** Stores the bytes; false (and nothing stored) where any is unwritable. */
  write(addr: number, data: Uint8Array): boolean;
  /** A 32-bit little-endian int at addr, or null where unreadable (no allocation). */
  getInt32(addr: number): number | null;
  /** Stores a 32-bit int; false where unwritable. */
  putInt32(addr: number, value: number): boolean;
}

/**
 * What user code throws when it touches memory it may not (a load or store the MMU refuses):
 * the target turns it into the fault's signal (SIGSEGV), which ends the process unless handled.
 * Library code that catches exceptions must let it through.
 */
export class UserFault extends Error {
  constructor(readonly addr: number, readonly access: "read" | "write") {
    super(`segmentation fault: ${access} at 0x${addr.toString(16)}`);
    this.name = "UserFault";
  }
}

/**
 * A function of the program that the kernel may enter by address, as it enters a C signal
 * handler: with up to three register arguments (signal, &siginfo, &ucontext).
 */
export type UserFunction = (a0: number, a1: number, a2: number) => Promise<unknown> | unknown;

/** The program the first process runs: its argument vector and environment. */
export interface ProgramImage {
  readonly argv: readonly string[];
  readonly envp: readonly string[];
}

/** What the code of one running task can do: trap into the kernel, and touch its memory. */
export interface UserProcess {
  /**
   * The raw system call: the value, or a negative errno. Arguments and result are register
   * words, exact in all 64 bits (include/uapi/word.ts: a number within +-2^53, a bigint
   * beyond); the result is canonical. It never fails for any word; a value that is not one
   * (a number past 2^53 that has lost bits, a fraction, NaN) is the caller's mistake: a
   * TypeError, before anything reaches the kernel.
   */
  syscall(nr: number, a0?: Word, a1?: Word, a2?: Word, a3?: Word, a4?: Word, a5?: Word): Word | Promise<Word>;
  /**
   * The code the child of this task's next fork/clone runs (a C child resumes after the
   * call; emulated code hands its child's body over just before making it).
   */
  setChildEntry(entry: () => Promise<void>): void;
  readonly memory: UserMemory;
  /** The data segment the program was loaded with: where the libc's heap lives. */
  readonly heap: { readonly start: number; readonly size: number };
  /**
   * The initial stack pointer, as exec left it (mm->start_stack): argc, argv[], NULL,
   * envp[], NULL, auxv, per the ELF ABI. Where a C runtime finds its arguments.
   */
  readonly startStack: number;
  /**
   * Runs x86-64 machine code on this task, from `start.ip` with the stack pointer at
   * `start.sp` (the other registers 0): system calls enter the kernel, exceptions become their
   * signals. It never returns: the task ends by an exit call or a fatal signal. Absent where
   * the target cannot run machine code; the emulated kernel's only on x86_64.
   */
  runMachineCode?(start: { readonly ip: number; readonly sp: number }): Promise<never>;
}

/** How a target's machine stopped. */
export type MachineExit =
  | { readonly kind: "halted"; readonly status: number }
  | { readonly kind: "deadlock"; readonly sleepers: readonly string[] };

/** Why a syscall answered ENOSYS, from the target's own build model. */
export interface EnosysExplanation {
  /** not-configured, not-implemented, no-entry, arch-unsupported; or implemented (a bug). */
  readonly category: string;
  readonly reason: string;
  /** The target says the call is built in: ENOSYS from it is a failure, not a skip. */
  readonly builtIn: boolean;
}

/**
 * Whether a job's processes have the machine to themselves: pid 1 is the job's own init and
 * kill(-1, ...) reaches only them (always on the emulated kernel; on the host, in PID and mount
 * namespaces of the job's own).
 */
export interface Isolation {
  readonly isolated: boolean;
  /** "pid and mount namespaces", or why there are none. */
  readonly detail: string;
}

/** A kernel booted for one job. */
export interface Target {
  /** uname -m */
  readonly arch: string;
  readonly configName: string;
  /** Known once run() has started the program: what a kill(-1, ...) could reach. */
  readonly isolation: Isolation;
  /** The kernel under test, as the test library's first line names it ("Tested kernel: ..."). */
  readonly kernelName: string;
  /** The number of a syscall on this arch, or undefined where the table has no such entry. */
  syscallNumber(name: string): number | undefined;
  /** A Kconfig symbol's value, as .config writes it ("y", "m", "n", a number, a string). */
  kconfig(name: string): string;
  explainEnosys(name: string): EnosysExplanation;
  /** What part of a syscall this arch lacks (single-step of ptrace on riscv64), or null. */
  explainArchUnsupported(name: string): string | null;
  /** Boots pid 1 running `main` as the program `image`; resolves when it exits or the machine deadlocks. */
  run(main: (init: UserProcess) => Promise<void>, image?: ProgramImage): Promise<MachineExit>;
  /** The process whose code is running now (Linux's `current`). */
  current(): UserProcess;
  /**
   * The address of a function in the program's text (given one on first use): what a C
   * program passes as a function pointer, like a signal handler.
   */
  codeAddress(fn: UserFunction): number;
  /** The function at a text address, if the program has one there. */
  functionAt(addr: number): UserFunction | undefined;
  /** Kernel bugs hit during the run (an emulator crash), one line each. */
  faults(): readonly string[];
}
