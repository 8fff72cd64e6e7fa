import type { KernelConfig } from "../kconfig/config.js";
import type { SyscallTable, SyscallTableEntry } from "../arch/syscall_table.js";
import { archByName, type Arch } from "../arch/arch.js";
import { sys_ni_syscall } from "../kernel/sys_ni.js";
import { KERNEL_OBJECTS } from "./objects.js";
import type { KernelObject, SyscallDefinition, SyscallHandler } from "./object.js";

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

/** The result of linking one configuration: the table every kernel booted from it uses. */
export interface LinkedKernel {
  readonly config: KernelConfig;
  readonly arch: Arch;
  readonly table: SyscallTable;
  /** Indexed by syscall number; every slot filled, sys_ni_syscall where nothing overrides it. */
  readonly handlers: readonly SyscallHandler[];
  /** What each syscall name links to (absent: sys_ni_syscall). */
  readonly strong: ReadonlyMap<string, LinkedDefinition>;
  readonly sysNi: SyscallHandler;
  /** Syscall names a test asked the link to leave out (a deliberately broken table). */
  readonly omitted: readonly string[];
}

export interface LinkOptions {
  /** The emulated source files to link (default: all of them). */
  readonly objects?: readonly KernelObject[];
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
 * Links the syscall table for a configuration the way the kernel image gets it: every slot
 * starts as sys_ni_syscall; each built object's SYSCALL_DEFINE overrides the slot whose entry
 * point names it (COND_SYSCALL's weak alias yields to the strong symbol).
 */
export function link(config: KernelConfig, options: LinkOptions = {}): LinkedKernel {
  const arch = archByName(config.arch);
  const omit = new Set(options.omit ?? []);
  const strong = new Map<string, LinkedDefinition>();
  for (const object of options.objects ?? KERNEL_OBJECTS) {
    if (!isBuilt(object, config, arch)) continue;
    for (const definition of object.syscalls) {
      if (!omit.has(definition.name)) strong.set(definition.name, { object, definition });
    }
  }
  const size = Math.max(...arch.table.entries.map((e) => e.nr)) + 1;
  const handlers: SyscallHandler[] = new Array<SyscallHandler>(size).fill(sys_ni_syscall);
  for (const e of arch.table.entries) {
    const name = entryName(e);
    const def = name === null ? undefined : strong.get(name);
    if (def) handlers[e.nr] = def.definition.handler;
  }
  return { config, arch, table: arch.table, handlers, strong, sysNi: sys_ni_syscall, omitted: [...omit] };
}
