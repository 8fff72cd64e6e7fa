import { ARCHES } from "../linux/arch/arch.js";
import type { SyscallTableEntry } from "../linux/arch/syscall_table.js";
import { conditionHolds, entryName, isBuilt, type LinkedKernel } from "../linux/kbuild/link.js";
import { LINUX_SYSCALL_DEFINITIONS, type LinuxSyscallDefinition } from "../linux/kbuild/linux_syscalls.js";
import { KERNEL_OBJECTS } from "../linux/kbuild/objects.js";
import type { KernelObject, SyscallDefinition } from "../linux/kbuild/object.js";
import { COND_SYSCALLS } from "../linux/kernel/sys_ni_cond.js";
import { configLine, explainSymbol, selectSummary } from "./explain_config.js";

/**
 * Why a syscall does what it does on a configuration:
 * - implemented: a built object's SYSCALL_DEFINE fills the slot;
 * - not-configured: the emulator has the definition, but its object is not built here;
 * - not-implemented: the emulator has no definition at all;
 * - no-entry: the arch's table has no such syscall (fork on riscv64);
 * - arch-unsupported: the call exists but the arch lacks the feature.
 */
export type Category = "implemented" | "not-configured" | "not-implemented" | "no-entry" | "arch-unsupported";

export const ENOSYS_CATEGORIES: readonly Category[] = ["not-configured", "not-implemented", "no-entry", "arch-unsupported"];

/** The evidence a person would collect digging through the tree, one line each. */
export interface Evidence {
  readonly table?: string;
  readonly weak?: string;
  readonly strong?: string;
  readonly build?: string;
  readonly config?: readonly string[];
  /** For syscalls the emulator lacks: where Linux defines them and whether this config builds them. */
  readonly linux?: readonly string[];
  /** For no-entry: what a libc uses instead. */
  readonly instead?: string;
}

export interface Resolution {
  readonly syscall: string;
  readonly arch: string;
  readonly config: string;
  readonly nr: number | null;
  /** The function the slot ends up calling: sys_kcmp, or sys_ni_syscall (ENOSYS). */
  readonly handler: string;
  readonly category: Category;
  /** One line, fit for a TCONF message. */
  readonly reason: string;
  /** The build model says the handler is linked, but the table slot is sys_ni_syscall. */
  readonly brokenLink: boolean;
  /** What a partially supported call leaves out. */
  readonly partial?: string;
  /** What of the call this arch lacks (arch-unsupported: single-step on riscv64). */
  readonly archUnsupported?: string;
  readonly evidence: Evidence;
}

export class UnknownSyscallError extends Error {
  override name = "UnknownSyscallError";
}

/**
 * What a libc calls where an arch's table lacks a legacy syscall (asm-generic/unistd.h
 * leaves these out for new architectures; glibc implements them with the replacement).
 */
const REPLACEMENTS: Record<string, string> = {
  fork: "clone(SIGCHLD)", vfork: "clone(CLONE_VM | CLONE_VFORK | SIGCHLD)", open: "openat", creat: "openat",
  pipe: "pipe2", dup2: "dup3", mkdir: "mkdirat", rmdir: "unlinkat", unlink: "unlinkat", rename: "renameat2",
  renameat: "renameat2", link: "linkat", symlink: "symlinkat", readlink: "readlinkat", access: "faccessat",
  chmod: "fchmodat", chown: "fchownat", lchown: "fchownat", stat: "newfstatat", lstat: "newfstatat",
  mknod: "mknodat", pause: "rt_sigsuspend", alarm: "setitimer", poll: "ppoll", select: "pselect6",
  epoll_create: "epoll_create1", epoll_wait: "epoll_pwait", inotify_init: "inotify_init1", eventfd: "eventfd2",
  signalfd: "signalfd4", time: "clock_gettime", utime: "utimensat", utimes: "utimensat", futimesat: "utimensat",
  getdents: "getdents64", getpgrp: "getpgid", sysfs: "(none)", uselib: "(none)", ustat: "statfs",
};

function emulatedDefinitions(name: string): { object: KernelObject; definition: SyscallDefinition }[] {
  const out: { object: KernelObject; definition: SyscallDefinition }[] = [];
  for (const object of KERNEL_OBJECTS) {
    for (const definition of object.syscalls) if (definition.name === name) out.push({ object, definition });
  }
  return out;
}

function linuxDefinitions(name: string, archDir: string): LinuxSyscallDefinition[] {
  return LINUX_SYSCALL_DEFINITIONS.filter((d) => d.name === name && (d.arch === null || d.arch === archDir));
}

function tableLine(linked: LinkedKernel, e: SyscallTableEntry): string {
  return `${linked.table.source}: ${e.nr} ${e.abi} ${e.name}${e.entry ? ` ${e.entry}` : ""}`;
}

/** Explains one table slot (or a name or number the table lacks). */
export function resolveSyscall(linked: LinkedKernel, query: string | number): Resolution {
  const entries = linked.table.entries;
  const entry = typeof query === "number" ? entries.find((e) => e.nr === query) : entries.find((e) => e.name === query);
  const base = { arch: linked.arch.name, config: linked.config.name, brokenLink: false };
  if (!entry) return noEntry(linked, query, base);

  const name = entry.name;
  const table = tableLine(linked, entry);
  const defName = entryName(entry);
  if (defName === null || defName === "ni_syscall") {
    return {
      ...base, syscall: name, nr: entry.nr, handler: "sys_ni_syscall", category: "no-entry",
      reason: `${name}() has number ${entry.nr} reserved in the ${linked.arch.name} table without an entry point`,
      evidence: { table },
    };
  }
  const weak = COND_SYSCALLS.includes(defName) ? `kernel/sys_ni.c: COND_SYSCALL(${defName})` : undefined;
  const defs = emulatedDefinitions(defName).filter((d) => d.object.archDir === null || d.object.archDir === linked.arch.dir);
  const built = defs.find((d) => isBuilt(d.object, linked.config, linked.arch));

  if (built) {
    const linkedDef = linked.strong.get(defName);
    const brokenLink = linkedDef === undefined;
    const { object, definition } = built;
    const cond = object.condition;
    const why = cond === null ? `${object.path} is always built (obj-y)` : `${object.path} is built with ${configLine(linked.config, cond.replace(/^!/, ""))}${cond.startsWith("!") ? " off" : ""}`;
    const select = cond && !cond.startsWith("!") ? selectSummary(linked.config.explain(cond)) : "";
    return {
      ...base, syscall: name, nr: entry.nr, brokenLink,
      handler: brokenLink ? "sys_ni_syscall" : `sys_${defName}`,
      category: "implemented",
      reason: `${name}() is built in: ${why}${select ? ` (${select})` : ""}${brokenLink ? ", but the linked table has sys_ni_syscall in its slot" : ""}`,
      ...(definition.partial ? { partial: definition.partial } : {}),
      ...(linked.arch.unsupported[name] ? { archUnsupported: linked.arch.unsupported[name] } : {}),
      evidence: {
        table, ...(weak ? { weak } : {}),
        strong: `${object.path}: SYSCALL_DEFINE${definition.nargs}(${defName}, ...)${brokenLink ? "  - built, but missing from the link" : "  - linked"}`,
        build: `${object.makefile}: ${object.rule}`,
        config: cond ? explainSymbol(linked.config, cond.replace(/^!/, "")) : [],
      },
    };
  }

  if (defs.length > 0) {
    const { object, definition } = defs[0]!;
    const conds = [object.condition, ...object.dirConditions].filter((c): c is string => c !== null);
    const failing = conds.find((c) => !conditionHolds(c, linked.config)) ?? conds[0]!;
    const sym = failing.replace(/^!/, "");
    const e = linked.config.explain(sym);
    const select = selectSummary(e);
    const state = failing.startsWith("!") ? `which is set (${configLine(linked.config, sym)})` : "which is not set";
    return {
      ...base, syscall: name, nr: entry.nr, handler: "sys_ni_syscall", category: "not-configured",
      reason: `${name}() not configured: ${object.path} is built only with ${failing.startsWith("!") ? `CONFIG_${sym} off` : `CONFIG_${sym}`}, ${state}${select ? ` (${select})` : ""}`,
      ...(definition.partial ? { partial: definition.partial } : {}),
      evidence: {
        table, ...(weak ? { weak } : {}),
        strong: `${object.path}: SYSCALL_DEFINE${definition.nargs}(${defName}, ...)  - not linked`,
        build: `${object.makefile}: ${object.rule}`,
        config: explainSymbol(linked.config, sym),
      },
    };
  }

  const linux = linuxDefinitions(defName, linked.arch.dir).map((d) => {
    const conds = [d.condition, ...d.dirConditions].filter((c): c is string => c !== null);
    const builds = conds.every((c) => conditionHolds(c, linked.config));
    const condText = conds.length ? conds.map((c) => (c.startsWith("!") ? `!CONFIG_${c.slice(1)}` : `CONFIG_${c}`)).join(" && ") : "obj-y";
    return `${d.file}:${d.line}: ${d.macro}(${defName}, ...), ${d.makefile}: ${d.rule}  - Linux ${builds ? "builds" : "would not build"} it here (${condText})`;
  });
  return {
    ...base, syscall: name, nr: entry.nr, handler: "sys_ni_syscall", category: "not-implemented",
    reason: `${name}() not implemented: the emulated kernel has no SYSCALL_DEFINE for ${defName}${linux.length ? ` (Linux has it in ${linuxDefinitions(defName, linked.arch.dir)[0]!.file})` : ""}`,
    evidence: { table, ...(weak ? { weak } : {}), linux },
  };
}

function noEntry(linked: LinkedKernel, query: string | number, base: { arch: string; config: string; brokenLink: boolean }): Resolution {
  const arch = linked.arch.name;
  if (typeof query === "number") {
    const last = Math.max(...linked.table.entries.map((e) => e.nr));
    return {
      ...base, syscall: `#${query}`, nr: query, handler: "sys_ni_syscall", category: "no-entry",
      reason: `syscall number ${query} has no entry in the ${arch} table (${query > last ? `past its end, ${last}` : "unassigned"}): sys_ni_syscall answers ENOSYS`,
      evidence: {},
    };
  }
  const elsewhere = ARCHES.filter((a) => a.table.entries.some((e) => e.name === query)).map((a) => a.name);
  const linux = LINUX_SYSCALL_DEFINITIONS.some((d) => d.name === query);
  if (elsewhere.length === 0 && !linux) {
    throw new UnknownSyscallError(`unknown syscall: ${query} (not in any emulated arch's table nor defined by Linux)`);
  }
  const instead = REPLACEMENTS[query];
  return {
    ...base, syscall: query, nr: null, handler: "sys_ni_syscall", category: "no-entry",
    reason: `${query}() has no entry in the ${arch} syscall table (${linked.table.source})${instead ? `; libc uses ${instead} there` : ""}`,
    evidence: {
      table: `${linked.table.source}: no ${query}${elsewhere.length ? ` (it is in the ${elsewhere.join(", ")} table)` : ""}`,
      ...(instead ? { instead } : {}),
    },
  };
}

/** One resolution per slot of the arch's table, in table order. */
export function resolveAll(linked: LinkedKernel): Resolution[] {
  return linked.table.entries.map((e) => resolveSyscall(linked, e.nr));
}
