/**
 * What step() and run() report, and the signal each exception becomes under Linux. Results that
 * carry nothing but their kind are shared frozen objects, so a step allocates nothing unless it
 * faults.
 *
 * Exceptions and their signals (C probes on an Intel CPU under Linux 6.18, quoted in
 * test/cpu.test.ts; si_addr and rip as the signal handler saw them):
 *   #UD (ud2, undefined opcodes)   SIGILL  ILL_ILLOPN, si_addr = the instruction, rip unchanged
 *   #BP (int3)                     SIGTRAP SI_KERNEL, si_addr 0, rip one past the 0xCC
 *   #DB from int1 (icebp)          SIGTRAP TRAP_BRKPT, si_addr = rip = one past the 0xF1
 *   #DB single-step (TF)           SIGTRAP TRAP_TRACE, si_addr = rip after the instruction, DR6.BS
 *   #GP (hlt at CPL 3, a non-canonical address or branch target, an instruction over 15 bytes)
 *                                  SIGSEGV SI_KERNEL, si_addr 0, rip unchanged
 *   #SS (a non-canonical address through rsp/rbp or the stack)
 *                                  SIGBUS  SI_KERNEL, si_addr 0, rip unchanged
 *   #PF                            SIGSEGV, si_addr = the first byte that failed, rip unchanged:
 *                                  SEGV_MAPERR where nothing is mapped (also any kernel address,
 *                                  probe: "read kernel 0xffff800000000000: code=1"), SEGV_ACCERR
 *                                  where the mapping forbids the access (a write to a read-only
 *                                  page, a read of PROT_NONE, a fetch from a page without
 *                                  PROT_EXEC: probe "call rw page: code=2 err=21").
 */
import { SIGBUS, SIGILL, SIGSEGV, SIGTRAP } from "../../../include/uapi/signal.js";

/* si_code values (include/uapi/asm-generic/siginfo.h). */
export const SI_KERNEL = 0x80;
export const ILL_ILLOPN = 2;
import { SEGV_MAPERR, SEGV_ACCERR, TRAP_BRKPT, TRAP_TRACE } from "../../../include/uapi/signal.js";
export { SEGV_MAPERR, SEGV_ACCERR, TRAP_BRKPT, TRAP_TRACE };

/* Exception vectors: the trapno of the signal frame (arch/x86/include/asm/trapnr.h). */
export const X86_TRAP_DB = 1, X86_TRAP_BP = 3, X86_TRAP_UD = 6, X86_TRAP_SS = 12, X86_TRAP_GP = 13, X86_TRAP_PF = 14;

/** DR6.BS: set in DR6 by a single-step debug exception. */
export const DR6_BS = 0x4000;
/** The DR6 bits that read as 1 (arch/x86/include/asm/debugreg.h DR6_RESERVED). */
export const DR6_FIXED = 0xffff0ff0;

/**
 * What the single-step trap after a step with trapAfter becomes (the caller adds si_addr = rip,
 * the address of the next instruction). Probe (tfaddr.c): TF set in the process: "sig=5 code=2
 * addr=<rip> trapno=1"; under PTRACE_SINGLESTEP the tracer's PTRACE_GETSIGINFO gave si_code=2,
 * si_addr = rip, and PTRACE_PEEKUSER of u_debugreg[6] read 0xffff4ff0 (DR6_FIXED | DR6_BS).
 */
export const SINGLE_STEP_TRAP = Object.freeze({
  signal: "SIGTRAP", signo: SIGTRAP, code: TRAP_TRACE, trapno: X86_TRAP_DB, dr6: (DR6_FIXED | DR6_BS) >>> 0,
} as const);

export type FaultReason =
  | "pagefault" // #PF
  | "hlt" // #GP: hlt is privileged
  | "gp" // #GP: non-canonical address or target, instruction too long
  | "ss" // #SS: non-canonical stack address
  | "ud2" // #UD from ud2
  | "invalid" // #UD: an opcode the CPU does not define (in 64-bit mode)
  | "unsupported"; // a valid instruction this interpreter does not implement (SIGILL here)

/** The instruction completed; trapAfter: it began with TF set, so the single-step trap follows. */
export interface OkResult { readonly kind: "ok"; readonly trapAfter: boolean }
/**
 * A `syscall` completed: rip is past it, rcx = that rip, r11 = rflags; the caller dispatches rax
 * with rdi, rsi, rdx, r10, r8, r9. trapAfter: the single-step trap is due when the call returns
 * (Linux reports it on the way out, syscall_exit_work()).
 */
export interface SyscallResult { readonly kind: "syscall"; readonly trapAfter: boolean }
/** int3 or int1 trapped; rip is past the instruction. */
export interface TrapResult {
  readonly kind: "trap";
  readonly signal: "SIGTRAP";
  readonly signo: number;
  /** si_code: SI_KERNEL for int3 (si_addr 0), TRAP_BRKPT for int1 (si_addr = rip). */
  readonly code: number;
  readonly reason: "int3" | "int1";
  readonly trapno: number;
  readonly trapAfter: false;
}
/** The instruction faulted and had no effect: rip is at it. */
export interface FaultResult {
  readonly kind: "fault";
  readonly signal: "SIGSEGV" | "SIGBUS" | "SIGILL";
  readonly signo: number;
  /** si_code. */
  readonly code: number;
  /** si_addr: the faulting address for #PF, the instruction for #UD, 0 for #GP/#SS. */
  readonly addr: bigint;
  readonly reason: FaultReason;
  /** For a page fault: what the access was. */
  readonly access?: "fetch" | "read" | "write";
  readonly detail?: string;
  readonly trapno: number;
  readonly trapAfter: false;
}
export type StepResult = OkResult | SyscallResult | TrapResult | FaultResult;
/** run() used up its budget. */
export interface LimitResult { readonly kind: "limit" }

/** `steps`: instructions attempted, the one that stopped the run included. */
export interface RunResult {
  steps: number;
  result: StepResult | LimitResult;
}

export const RES_OK: OkResult = Object.freeze({ kind: "ok", trapAfter: false });
export const RES_OK_TRAP: OkResult = Object.freeze({ kind: "ok", trapAfter: true });
export const RES_SYSCALL: SyscallResult = Object.freeze({ kind: "syscall", trapAfter: false });
export const RES_SYSCALL_TRAP: SyscallResult = Object.freeze({ kind: "syscall", trapAfter: true });
export const RES_INT3: TrapResult = Object.freeze({
  kind: "trap", signal: "SIGTRAP", signo: SIGTRAP, code: SI_KERNEL, reason: "int3", trapno: X86_TRAP_BP, trapAfter: false,
});
export const RES_INT1: TrapResult = Object.freeze({
  kind: "trap", signal: "SIGTRAP", signo: SIGTRAP, code: TRAP_BRKPT, reason: "int1", trapno: X86_TRAP_DB, trapAfter: false,
});
export const RES_LIMIT: LimitResult = Object.freeze({ kind: "limit" });

const SIGNO = { SIGSEGV, SIGBUS, SIGILL } as const;

export function fault(
  signal: FaultResult["signal"], code: number, addr: bigint, reason: FaultReason, trapno: number,
  detail?: string, access?: FaultResult["access"],
): FaultResult {
  return {
    kind: "fault", signal, signo: SIGNO[signal], code, addr, reason, trapno, trapAfter: false,
    ...(access === undefined ? {} : { access }), ...(detail === undefined ? {} : { detail }),
  };
}

/** Thrown inside the interpreter to unwind a faulting instruction; step() returns its result. */
export class CpuFault {
  constructor(readonly result: FaultResult) {}
}
