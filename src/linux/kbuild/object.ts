import type { Task } from "../include/linux/sched.js";
import { LINUX_SYSCALL_DEFINITIONS } from "./linux_syscalls.js";

/**
 * A system call handler: the body of a SYSCALL_DEFINEn. Arguments arrive as the raw register
 * values (unused ones are 0); the handler converts them to the C types it declares. It returns
 * the value or a negative errno, synchronously unless it has to block.
 */
export type SyscallHandler = (
  task: Task, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number,
) => number | Promise<number>;

/** One SYSCALL_DEFINEn of an emulated source file. */
export interface SyscallDefinition {
  readonly name: string;
  readonly nargs: number;
  readonly handler: SyscallHandler;
  /**
   * Set when the emulation leaves part of the call out (gVisor's "partially supported"):
   * what it does not do. The resolver shows it; testcases that need the missing part cite it.
   */
  readonly partial?: string;
}

/**
 * An emulated source file as kbuild sees it: its path in the Linux tree, the Makefile rule
 * that builds its object, and the system calls it defines.
 */
export interface KernelObject {
  /** "kernel/kcmp.c" */
  readonly path: string;
  /** "kernel/Makefile" */
  readonly makefile: string;
  /** The rule as written: "obj-$(CONFIG_KCMP) += kcmp.o" */
  readonly rule: string;
  /** The CONFIG symbol the rule depends on (KCMP; "!MMU" for built only without it), or null for obj-y. */
  readonly condition: string | null;
  /** Symbols the directories above need (NET for net/), outermost first. */
  readonly dirConditions: readonly string[];
  /** Set for arch/<arch>/ files: the arch directory (x86, riscv). */
  readonly archDir: string | null;
  readonly syscalls: readonly SyscallDefinition[];
}

/** SYSCALL_DEFINEn(name, ...): declares a handler with its arity. */
export function SYSCALL_DEFINE(
  nargs: number, name: string, handler: SyscallHandler, partial?: string,
): SyscallDefinition {
  return partial === undefined ? { name, nargs, handler } : { name, nargs, handler, partial };
}

/**
 * Declares an emulated source file. Its build rule is the real one: looked up in the Linux
 * tree's metadata by the file's path, so an emulated kernel/kcmp.c is built exactly when
 * Linux builds kernel/kcmp.o.
 */
export function kernelObject(path: string, syscalls: readonly SyscallDefinition[]): KernelObject {
  const linux = LINUX_SYSCALL_DEFINITIONS.find((d) => d.file === path);
  if (!linux) throw new Error(`${path}: no SYSCALL_DEFINE of Linux 6.12 lives in this file`);
  for (const s of syscalls) {
    if (!LINUX_SYSCALL_DEFINITIONS.some((d) => d.file === path && d.name === s.name)) {
      throw new Error(`${path}: Linux defines no ${s.name} syscall here`);
    }
  }
  return {
    path,
    makefile: linux.makefile,
    rule: linux.rule,
    condition: linux.condition,
    dirConditions: linux.dirConditions,
    archDir: linux.arch,
    syscalls,
  };
}
