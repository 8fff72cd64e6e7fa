import type { Arch } from "./arch.js";
import { X86_64_ENTRY } from "./x86/kernel/signal_64.js";
import { RISCV64_ENTRY } from "./riscv/kernel/signal.js";
import { X86_PTRACE } from "./x86/kernel/ptrace.js";
import { RISCV_PTRACE } from "./riscv/kernel/ptrace.js";
import type { ArchEntry } from "../include/linux/entry-common.js";
import type { ArchPtrace } from "../include/linux/ptrace.js";

const ENTRIES: Readonly<Record<string, ArchEntry>> = { x86_64: X86_64_ENTRY, riscv64: RISCV64_ENTRY };

/** The syscall ABI and signal frame of an architecture. */
export function archEntry(arch: Arch): ArchEntry {
  return ENTRIES[arch.name]!;
}

const PTRACE: Readonly<Record<string, ArchPtrace>> = { x86_64: X86_PTRACE, riscv64: RISCV_PTRACE };

/** The arch's part of ptrace: registers, debug registers, single-step. */
export function archPtrace(arch: Arch): ArchPtrace {
  return PTRACE[arch.name]!;
}
