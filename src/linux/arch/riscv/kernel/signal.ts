import type { Task } from "../../../include/linux/sched.js";
import { SI_MAX_SIZE } from "../../../include/uapi/signal.js";
import { rtSigreturn } from "../../../kernel/entry/common.js";
import { copySiginfoToUser, setCurrentBlocked } from "../../../kernel/signal.js";
import { long, type SyscallHandler } from "../../../include/linux/syscalls.js";
import { wordBits, wordOfBits, type Word } from "../../../include/uapi/word.js";
import { SYSCALL_RISCV64 } from "../syscall_table.js";
import type { ArchEntry } from "../../../include/linux/entry-common.js";
import type { UserRegs } from "../../../include/linux/ptrace.js";
import type { KSignal } from "../../../include/linux/sched/signal.js";

/** scause of an environment call from U-mode (EXC_SYSCALL). */
const EXC_SYSCALL = 8;
/** Indices in user_regs_struct / sigcontext.sc_regs: pc, ra, sp, ..., a0 = x10 ... a7 = x17. */
const PC = 0, RA = 1, SP = 2, A0 = 10, A7 = 17;
/** stack_t.ss_flags with no alternate stack. */
const SS_DISABLE = 2;

/**
 * struct rt_sigframe of riscv: siginfo, then struct ucontext (uc_flags, uc_link, uc_stack,
 * uc_sigmask padded to 128 bytes, then uc_mcontext 16-aligned: sc_regs and the FP state),
 * and without an MMU the two instructions the handler returns to.
 */
const F_INFO = 0, F_UC = SI_MAX_SIZE, UC_STACK = 16, UC_SIGMASK = 40, UC_MCONTEXT = 176;
const SC_FP_SIZE = 528;
const UCONTEXT_SIZE = UC_MCONTEXT + 32 * 8 + SC_FP_SIZE;
const F_SIGRETURN_CODE = F_UC + UCONTEXT_SIZE;
/** __user_rt_sigreturn: `li a7, __NR_rt_sigreturn; ecall`. */
const NR_RT_SIGRETURN = SYSCALL_RISCV64.entries.find((e) => e.name === "rt_sigreturn")!.nr;
const SIGRETURN_CODE = [0x00000893 | (NR_RT_SIGRETURN << 20), 0x00000073] as const;
const NR_RESTART_SYSCALL = SYSCALL_RISCV64.entries.find((e) => e.name === "restart_syscall")!.nr;

/** struct pt_regs of riscv: the 32 user registers (pc first) as exact words, then the trap state. */
export class RiscvPtRegs implements UserRegs {
  readonly x: Word[] = new Array<Word>(32).fill(0);
  /** a0 as the system call was entered (a0 is its return value too). */
  origA0: Word = 0;
  /** scause: EXC_SYSCALL while in a system call, -1 once that is over. */
  cause = -1;
  get ip(): number { return long(this.x[PC]!); }
  set ip(v: number) { this.x[PC] = v; }
  get sp(): number { return long(this.x[SP]!); }
  set sp(v: number) { this.x[SP] = v; }
}

/**
 * Where the vdso's __vdso_rt_sigreturn sits: the vdso is mapped just above the mmap area.
 * No machine code runs there; the kernel recognises the address as its trampoline.
 */
function vdsoSigreturn(task: Task): number {
  return task.kernel.layout.mmapBase + 0x800;
}

function frameSize(task: Task): number {
  return F_SIGRETURN_CODE + (task.kernel.mmu ? 0 : 8);
}

/**
 * setup_rt_frame(): siginfo is always written, the handler gets (sig, &info, &uc) in a0-a2
 * and returns through ra: the vdso trampoline, or without an MMU the code on the frame.
 */
function setupRtFrame(task: Task, ksig: KSignal, r: UserRegs, oldset: bigint): boolean {
  const regs = r as RiscvPtRegs;
  const size = frameSize(task);
  const frame = Math.floor((regs.sp - size) / 16) * 16;
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  v.setInt32(F_UC + UC_STACK + 8, SS_DISABLE, true);
  v.setBigUint64(F_UC + UC_SIGMASK, oldset, true);
  for (let i = 0; i < 32; i++) v.setBigUint64(F_UC + UC_MCONTEXT + i * 8, wordBits(regs.x[i]!), true);
  if (!task.kernel.mmu) SIGRETURN_CODE.forEach((w, i) => v.setUint32(F_SIGRETURN_CODE + i * 4, w, true));
  const mm = task.mm!;
  if (frame <= 0 || !mm.write(frame, b) || !copySiginfoToUser(mm, frame + F_INFO, ksig.info)) return false;
  regs.x[RA] = task.kernel.mmu ? vdsoSigreturn(task) : frame + F_SIGRETURN_CODE;
  regs.ip = ksig.handler;
  regs.sp = frame;
  regs.x[A0] = ksig.sig;
  regs.x[A0 + 1] = frame + F_INFO;
  regs.x[A0 + 2] = frame + F_UC;
  return true;
}

/** rt_sigreturn(): the frame is at the stack pointer (the handler returned by jumping to ra). */
function restoreRtFrame(task: Task, r: UserRegs): boolean {
  const regs = r as RiscvPtRegs;
  task.restartBlock = null;
  const b = regs.sp > 0 ? task.mm!.read(regs.sp, F_SIGRETURN_CODE) : null;
  if (!b) return false;
  const v = new DataView(b.buffer);
  setCurrentBlocked(task, v.getBigUint64(F_UC + UC_SIGMASK, true));
  for (let i = 0; i < 32; i++) regs.x[i] = wordOfBits(v.getBigUint64(F_UC + UC_MCONTEXT + i * 8, true));
  regs.cause = -1;
  task.sigreturns++;
  return true;
}

/** The riscv syscall ABI (arch/riscv/include/asm/syscall.h) and signal frame. */
export const RISCV64_ENTRY: ArchEntry = {
  syscallInsnLen: 4,
  newRegs(sp) {
    const regs = new RiscvPtRegs();
    regs.sp = sp;
    return regs;
  },
  copyRegs(r) {
    const from = r as RiscvPtRegs;
    const regs = new RiscvPtRegs();
    regs.x.splice(0, from.x.length, ...from.x);
    regs.origA0 = from.origA0;
    regs.cause = from.cause;
    return regs;
  },
  syscallExit(r, nr, args, ret, ip) {
    const regs = r as RiscvPtRegs;
    for (let i = 0; i < 6; i++) regs.x[A0 + i] = args[i] ?? 0;
    regs.origA0 = args[0] ?? 0;
    regs.x[A0] = ret;
    regs.x[A7] = nr;
    regs.cause = EXC_SYSCALL;
    regs.ip = ip;
  },
  syscallReturn(r, nr, ret) {
    const regs = r as RiscvPtRegs;
    regs.x[A0] = ret;
    regs.x[A7] = nr;
    regs.cause = EXC_SYSCALL;
  },
  syscallNr: (r) => ((r as RiscvPtRegs).cause === EXC_SYSCALL ? long((r as RiscvPtRegs).x[A7]!) : -1),
  returnValue: (r) => (r as RiscvPtRegs).x[A0]!,
  setReturnValue: (r, value) => { (r as RiscvPtRegs).x[A0] = value; },
  restartSyscall(r) {
    const regs = r as RiscvPtRegs;
    regs.x[A0] = regs.origA0;
    regs.ip -= 4;
  },
  restartBlock(r) {
    const regs = r as RiscvPtRegs;
    regs.x[A0] = regs.origA0;
    regs.x[A7] = NR_RESTART_SYSCALL;
    regs.ip -= 4;
  },
  syscallEntry(r) {
    const x = (r as RiscvPtRegs).x;
    return [long(x[A7]!), x[A0]!, x[A0 + 1]!, x[A0 + 2]!, x[A0 + 3]!, x[A0 + 4]!, x[A0 + 5]!];
  },
  setupRtFrame,
  handlerArgs: (r) => [long((r as RiscvPtRegs).x[A0]!), long((r as RiscvPtRegs).x[A0 + 1]!), long((r as RiscvPtRegs).x[A0 + 2]!)],
  functionReturn(_task, r) {
    r.ip = long((r as RiscvPtRegs).x[RA]!);
    return true;
  },
  kernelCodeSyscall(task, ip) {
    if (task.kernel.mmu) return ip === vdsoSigreturn(task) ? NR_RT_SIGRETURN : -1;
    const code = task.mm?.read(ip, 8);
    if (!code) return -1;
    const v = new DataView(code.buffer);
    return v.getUint32(0, true) === SIGRETURN_CODE[0] && v.getUint32(4, true) === SIGRETURN_CODE[1] ? NR_RT_SIGRETURN : -1;
  },
  restoreRtFrame,
};

export const sys_rt_sigreturn: SyscallHandler = (task) => rtSigreturn(task, RISCV64_ENTRY);
