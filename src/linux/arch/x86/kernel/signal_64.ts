import type { Task } from "../../../include/linux/sched.js";
import { SA_RESTORER, SA_SIGINFO, SI_MAX_SIZE } from "../../../include/uapi/signal.js";
import { rtSigreturn } from "../../../kernel/entry/common.js";
import { copySiginfoToUser, setCurrentBlocked } from "../../../kernel/signal.js";
import type { SyscallHandler } from "../../../include/linux/syscalls.js";
import { SYSCALL_64 } from "../syscall_64.js";
import { Reg } from "../cpu/regs.js";
import { USER_CS, X86PtRegs } from "../include/asm/ptrace.js";
import type { ArchEntry } from "../../../include/linux/entry-common.js";
import type { UserRegs } from "../../../include/linux/ptrace.js";
import type { KSignal } from "../../../include/linux/sched/signal.js";

/** RFLAGS bits the signal code touches (arch/x86/include/uapi/asm/processor-flags.h). */
const X86_EFLAGS_TF = 0x100, X86_EFLAGS_DF = 0x400, X86_EFLAGS_RF = 0x10000;
/** FIX_EFLAGS: the flags rt_sigreturn takes from the frame (AC OF DF TF SF ZF AF PF CF RF). */
const FIX_EFLAGS = 0x40000 | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1 | X86_EFLAGS_RF;
/** uc_flags of a 64-bit frame: UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS (no xsave area is written). */
const UC_FLAGS = 0x2 | 0x4;
/** The 128-byte red zone below the stack pointer that a signal frame must not clobber. */
const REDZONE = 128;
/** stack_t.ss_flags with no alternate stack. */
const SS_DISABLE = 2;

/**
 * struct rt_sigframe of x86_64: pretcode (the restorer the handler returns to), then struct
 * ucontext (uc_flags, uc_link, uc_stack, uc_mcontext = struct sigcontext, uc_sigmask), then
 * siginfo. Offsets from the frame.
 */
const F_PRETCODE = 0, F_UC = 8, UC_FLAGS_OFF = 0, UC_STACK = 16, UC_MCONTEXT = 40, UC_SIGMASK = 296;
const F_INFO = F_UC + 304;
const FRAME_SIZE = F_INFO + SI_MAX_SIZE;

/** struct sigcontext (64-bit): r8..r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp (8-byte slots), then rip and eflags. */
const SC_GPRS = [Reg.R8, Reg.R9, Reg.R10, Reg.R11, Reg.R12, Reg.R13, Reg.R14, Reg.R15, Reg.RDI, Reg.RSI, Reg.RBP, Reg.RBX, Reg.RDX, Reg.RAX, Reg.RCX, Reg.RSP];
const SC_IP = 128, SC_FLAGS = 136, SC_CS = 144, SC_OLDMASK = 168;

export { X86PtRegs };

/** __NR_restart_syscall on x86_64 (219). */
const NR_RESTART_SYSCALL = SYSCALL_64.entries.find((e) => e.name === "restart_syscall")!.nr;

/** The registers of a system call's six arguments, in order (rcx is taken by the syscall instruction: r10 stands in). */
const SYSCALL_ARG_REGS = [Reg.RDI, Reg.RSI, Reg.RDX, Reg.R10, Reg.R8, Reg.R9] as const;

const u64 = (v: number): bigint => BigInt.asUintN(64, BigInt(Math.trunc(v)));

/**
 * x64_setup_rt_frame(): below the red zone, aligned so the handler starts as if called
 * (16-byte aligned plus the return address). x86-64 insists on SA_RESTORER: without it the
 * frame cannot be set up and the process gets SIGSEGV.
 */
function setupRtFrame(task: Task, ksig: KSignal, r: UserRegs, oldset: bigint): boolean {
  const regs = r as X86PtRegs;
  if (!(ksig.flags & SA_RESTORER)) return false;
  const frame = Math.floor((regs.sp - REDZONE - FRAME_SIZE) / 16) * 16 - 8;
  const mm = task.mm!;
  const b = new Uint8Array(F_INFO);
  const v = new DataView(b.buffer);
  v.setBigUint64(F_PRETCODE, u64(ksig.restorer), true);
  const uc = F_UC;
  v.setBigUint64(uc + UC_FLAGS_OFF, BigInt(UC_FLAGS), true);
  v.setInt32(uc + UC_STACK + 8, SS_DISABLE, true);
  const sc = uc + UC_MCONTEXT;
  SC_GPRS.forEach((n, i) => v.setBigUint64(sc + i * 8, regs.get(n), true));
  v.setBigUint64(sc + SC_IP, regs.rip, true);
  v.setBigUint64(sc + SC_FLAGS, BigInt(regs.rflags), true);
  v.setUint16(sc + SC_CS, regs.cs, true);
  v.setUint16(sc + SC_CS + 6, regs.ss, true);
  v.setBigUint64(sc + SC_OLDMASK, oldset, true);
  v.setBigUint64(uc + UC_SIGMASK, oldset, true);
  if (frame <= 0 || !mm.write(frame, b)) return false;
  if (ksig.flags & SA_SIGINFO && !copySiginfoToUser(mm, frame + F_INFO, ksig.info)) return false;
  regs.setNum(Reg.RDI, ksig.sig);
  regs.setNum(Reg.RAX, 0);
  regs.setNum(Reg.RSI, frame + F_INFO);
  regs.setNum(Reg.RDX, frame + F_UC);
  regs.ip = ksig.handler;
  regs.sp = frame;
  regs.cs = USER_CS;
  regs.rflags &= ~(X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_TF);
  return true;
}

/**
 * rt_sigreturn(): the frame sits just above the stack pointer the handler's `ret` left (the
 * return address popped). The mask comes back first, then the registers; orig_ax -1 keeps
 * the restored context from being taken for an interrupted call again, and a pending
 * restart_syscall() is cancelled (do_no_restart_syscall).
 */
function restoreRtFrame(task: Task, r: UserRegs): boolean {
  const regs = r as X86PtRegs;
  task.restartBlock = null;
  const frame = regs.sp - 8;
  const b = frame > 0 ? task.mm!.read(frame, F_INFO) : null;
  if (!b) return false;
  const v = new DataView(b.buffer);
  setCurrentBlocked(task, v.getBigUint64(F_UC + UC_SIGMASK, true));
  const sc = F_UC + UC_MCONTEXT;
  SC_GPRS.forEach((n, i) => regs.set(n, v.getBigUint64(sc + i * 8, true)));
  regs.rip = v.getBigUint64(sc + SC_IP, true);
  regs.rflags = (regs.rflags & ~FIX_EFLAGS) | (Number(v.getBigUint64(sc + SC_FLAGS, true) & 0xffffffffn) & FIX_EFLAGS);
  regs.cs = v.getUint16(sc + SC_CS, true) | 3;
  regs.ss = v.getUint16(sc + SC_CS + 6, true) | 3;
  regs.origAx = -1;
  task.sigreturns++;
  return true;
}

/** The x86-64 syscall ABI (arch/x86/include/asm/syscall.h) and signal frame. */
export const X86_64_ENTRY: ArchEntry = {
  syscallInsnLen: 2,
  newRegs: (sp) => Object.assign(new X86PtRegs(), { sp }),
  copyRegs: (regs) => new X86PtRegs().copyPt(regs as X86PtRegs),
  syscallExit(r, nr, args, ret, ip) {
    const regs = r as X86PtRegs;
    regs.origAx = nr;
    regs.setWord(Reg.RAX, ret);
    SYSCALL_ARG_REGS.forEach((n, i) => regs.setWord(n, args[i] ?? 0));
    // The syscall instruction leaves the return address in rcx and the flags in r11.
    regs.setNum(Reg.RCX, ip);
    regs.setNum(Reg.R11, regs.rflags);
    regs.ip = ip;
  },
  syscallReturn(r, nr, ret) {
    const regs = r as X86PtRegs;
    regs.origAx = nr;
    regs.setWord(Reg.RAX, ret);
  },
  syscallNr: (r) => (r as X86PtRegs).origAx,
  returnValue: (r) => (r as X86PtRegs).word(Reg.RAX),
  setReturnValue: (r, value) => { (r as X86PtRegs).setNum(Reg.RAX, value); },
  restartSyscall(r) {
    const regs = r as X86PtRegs;
    regs.set(Reg.RAX, regs.orig_rax);
    regs.ip -= 2;
  },
  restartBlock(r) {
    const regs = r as X86PtRegs;
    regs.setNum(Reg.RAX, NR_RESTART_SYSCALL);
    regs.ip -= 2;
  },
  syscallEntry(r) {
    const regs = r as X86PtRegs;
    // do_syscall_64() takes the number as an int: the low 32 bits of rax.
    return [regs.lo[Reg.RAX]!, ...SYSCALL_ARG_REGS.map((n) => regs.word(n))];
  },
  setupRtFrame,
  handlerArgs: (r) => [(r as X86PtRegs).num(Reg.RDI), (r as X86PtRegs).num(Reg.RSI), (r as X86PtRegs).num(Reg.RDX)],
  functionReturn(task, regs) {
    const b = task.mm!.read(regs.sp, 8);
    if (!b) return false;
    (regs as X86PtRegs).rip = new DataView(b.buffer).getBigUint64(0, true);
    regs.sp += 8;
    return true;
  },
  kernelCodeSyscall: () => -1,
  restoreRtFrame,
};

export const sys_rt_sigreturn: SyscallHandler = (task) => rtSigreturn(task, X86_64_ENTRY);
