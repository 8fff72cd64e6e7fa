/**
 * One line of an architecture's syscall table, as in
 * arch/x86/entry/syscalls/syscall_64.tbl or scripts/syscall.tbl:
 *   <number> <abi> <name> [<entry point> [<compat entry point>]]
 * A line without an entry point reserves the number (the slot stays sys_ni_syscall).
 */
export interface SyscallTableEntry {
  readonly nr: number;
  readonly abi: string;
  readonly name: string;
  /** The kernel symbol the slot points at (sys_kcmp), or null for a reserved number. */
  readonly entry: string | null;
}

/** A whole table for one architecture, with where it comes from in the Linux tree. */
export interface SyscallTable {
  readonly arch: string;
  /** Linux path of the table source, e.g. arch/x86/entry/syscalls/syscall_64.tbl */
  readonly source: string;
  /** The ABIs this arch includes from the source table (x86_64: common and 64). */
  readonly abis: readonly string[];
  readonly entries: readonly SyscallTableEntry[];
}
