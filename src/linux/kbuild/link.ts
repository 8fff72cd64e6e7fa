import type { KernelConfig } from "../kconfig/config.js";
import type { SyscallTable, SyscallTableEntry } from "../arch/syscall_table.js";
import { archByName, type Arch } from "../arch/arch.js";
import { KERNEL_OBJECTS } from "./objects.js";
import type { KernelObject, SyscallDefinition } from "./object.js";

/** Is the object built for this configuration? (its rule's and its directories' symbols) */
export function isBuilt(obj: KernelObject, config: KernelConfig, arch: Arch): boolean {
  if (obj.archDir !== null && obj.archDir !== arch.dir) return false;
  return [obj.condition, ...obj.dirConditions].every((c) => c === null || conditionHolds(c, config));
}

/** A rule's symbol ("KCMP") or its negation ("!MMU": built only without it). */
export function conditionHolds(condition: string, config: KernelConfig): boolean {
  return condition.startsWith("!") ? !config.enabled(condition.slice(1)) : config.enabled(condition);
}

/** A strong definition that made it into the link, with the object it came from. */
export interface LinkedDefinition {
  readonly object: KernelObject;
  readonly definition: SyscallDefinition;
}

/**
 * The result of linking one configuration, as the build model sees it: which strong
 * definition each syscall name links to. Every kernel booted from it dispatches through the
 * handler table made from it (kernel/entry/syscall_table.ts).
 */
export interface LinkedKernel {
  readonly config: KernelConfig;
  readonly arch: Arch;
  readonly table: SyscallTable;
  /** What each syscall name links to (absent: sys_ni_syscall). */
  readonly strong: ReadonlyMap<string, LinkedDefinition>;
  /** Syscall names a test asked the link to leave out (a deliberately broken table). */
  readonly omitted: readonly string[];
}

export interface LinkOptions {
  /**
   * Leave these strong definitions out of the table although their objects are built: the
   * broken link a syscall emulator's regression looks like. For the project's own tests.
   */
  readonly omit?: readonly string[];
}

/** The entry point symbol a table slot names, as SYSCALL_DEFINE spells it (sys_kcmp -> kcmp). */
export function entryName(entry: SyscallTableEntry): string | null {
  return entry.entry?.replace(/^sys_/, "") ?? null;
}

/**
 * Links a configuration the way the kernel image gets its syscall table: every slot starts as
 * sys_ni_syscall; each built object's SYSCALL_DEFINE overrides the slot whose entry point names
 * it (COND_SYSCALL's weak alias yields to the strong symbol). This decides which definition
 * each name links to; the handlers themselves are bound where the table is made.
 */
export function link(config: KernelConfig, options: LinkOptions = {}): LinkedKernel {
  const arch = archByName(config.arch);
  const omit = new Set(options.omit ?? []);
  const strong = new Map<string, LinkedDefinition>();
  for (const object of KERNEL_OBJECTS) {
    if (!isBuilt(object, config, arch)) continue;
    for (const definition of object.syscalls) {
      if (!omit.has(definition.name)) strong.set(definition.name, { object, definition });
    }
  }
  return { config, arch, table: arch.table, strong, omitted: [...omit] };
}
