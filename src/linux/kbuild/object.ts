import { LINUX_SYSCALL_DEFINITIONS } from "./linux_syscalls.js";

/**
 * One SYSCALL_DEFINEn of an emulated source file, as the build model knows it: its name and
 * arity. The handler itself is code of the file's kernel module, bound to this name in
 * kernel/entry/syscall_table.ts; the build model never loads it.
 */
export interface SyscallDefinition<Name extends string = string> {
  readonly name: Name;
  readonly nargs: number;
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
export interface KernelObject<Path extends string = string, Name extends string = string> {
  /** "kernel/kcmp.c" */
  readonly path: Path;
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
  readonly syscalls: readonly SyscallDefinition<Name>[];
}

/** SYSCALL_DEFINEn(name, ...): a definition with its arity, and what it leaves out if anything. */
export function SYSCALL_DEFINE<const Name extends string>(nargs: number, name: Name, partial?: string): SyscallDefinition<Name> {
  return partial === undefined ? { name, nargs } : { name, nargs, partial };
}

/**
 * Declares an emulated source file. Its build rule is the real one: looked up in the Linux
 * tree's metadata by the file's path, so an emulated kernel/kcmp.c is built exactly when
 * Linux builds kernel/kcmp.o.
 */
export function kernelObject<const Path extends string, const Name extends string>(
  path: Path, syscalls: readonly SyscallDefinition<Name>[],
): KernelObject<Path, Name> {
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
