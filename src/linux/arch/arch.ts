import type { SyscallTable } from "./syscall_table.js";
import { SYSCALL_64 } from "./x86/syscall_64.js";
import { SYSCALL_RISCV64 } from "./riscv/syscall_table.js";

/** What the rest of the kernel needs to know of an architecture. */
export interface Arch {
  /** uname -m: "x86_64", "riscv64" */
  readonly name: string;
  /** The directory under arch/: "x86", "riscv" */
  readonly dir: string;
  readonly table: SyscallTable;
  /** arch_has_single_step(): x86 has it; riscv does not (PTRACE_SINGLESTEP is EIO there). */
  readonly hasSingleStep: boolean;
  /**
   * The syscall number is the low 32 bits of the register: x86_64's do_syscall_64() takes an
   * int (a probe: syscall((1UL << 32) + 39) was getpid); riscv compares the whole a7.
   */
  readonly nrIs32Bit: boolean;
  /** TASK_SIZE with an MMU: x86_64's 4-level paging, riscv64's sv48 (its mmap window on larger modes). */
  readonly taskSize: number;
  /** STACK_TOP: where the first process's stack ends (no randomization). */
  readonly stackTop: number;
  /** struct sigaction has sa_restorer (SA_RESTORER exists): x86 yes, riscv no. */
  readonly hasSaRestorer: boolean;
  /** e_machine of the ELF core files it dumps: EM_X86_64 62, EM_RISCV 243. */
  readonly elfMachine: number;
  /**
   * Parts of syscalls that exist here but that the arch lacks, by syscall: what the resolver
   * calls arch-unsupported, and the reason a testcase that needs the part gives in its TCONF.
   */
  readonly unsupported: Readonly<Record<string, string>>;
}

/** Why PTRACE_SINGLESTEP is EIO on riscv (ptrace_resume() checks arch_has_single_step()). */
export const RISCV_NO_SINGLE_STEP =
  "single-step is unsupported on riscv64: arch_has_single_step() is false there (no hardware trace trap), " +
  "so PTRACE_SINGLESTEP and PTRACE_SINGLEBLOCK fail with EIO";

export const ARCHES: readonly Arch[] = [
  {
    name: "x86_64", dir: "x86", table: SYSCALL_64, hasSingleStep: true, nrIs32Bit: true,
    taskSize: 2 ** 47 - 4096, stackTop: 2 ** 47 - 4096, hasSaRestorer: true, elfMachine: 62, unsupported: {},
  },
  {
    name: "riscv64", dir: "riscv", table: SYSCALL_RISCV64, hasSingleStep: false, nrIs32Bit: false,
    taskSize: 2 ** 47, stackTop: 2 ** 47, hasSaRestorer: false, elfMachine: 243,
    unsupported: { ptrace: RISCV_NO_SINGLE_STEP },
  },
];

export class UnknownArchError extends Error {
  override name = "UnknownArchError";
}

export function archByName(name: string): Arch {
  const arch = ARCHES.find((a) => a.name === name);
  if (!arch) throw new UnknownArchError(`architecture ${name} is not emulated (known: ${ARCHES.map((a) => a.name).join(", ")})`);
  return arch;
}
