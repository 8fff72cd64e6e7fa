import type { Task } from "../../../include/linux/sched.js";
import { SA_RESTORER, SA_SIGINFO, SI_MAX_SIZE } from "../../../include/uapi/signal.js";
import { rtSigreturn, type ArchEntry, type UserRegs } from "../../../kernel/entry/common.js";
import { copySiginfoToUser, setCurrentBlocked, type KSignal } from "../../../kernel/signal.js";
import { kernelObject, SYSCALL_DEFINE } from "../../../kbuild/object.js";
import { SYSCALL_64 } from "../syscall_64.js";

/** RFLAGS bits the signal code touches (arch/x86/include/uapi/asm/processor-flags.h). */
const X86_EFLAGS_TF = 0x100, X86_EFLAGS_DF = 0x400, X86_EFLAGS_RF = 0x10000;
/** FIX_EFLAGS: the flags rt_sigreturn takes from the frame (AC OF DF TF SF ZF AF PF CF RF). */
const FIX_EFLAGS = 0x40000 | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1 | X86_EFLAGS_RF;
/** __USER_CS and __USER_DS of x86_64. */
const USER_CS = 0x33, USER_DS = 0x2b;
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

/** struct sigcontext (64-bit): where each register sits, in 8-byte slots. */
const SC_SLOTS = ["r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "di", "si", "bp", "bx", "dx", "ax", "cx", "sp", "ip", "flags"] as const;
const SC_CS = 144, SC_OLDMASK = 168;

/** struct pt_regs of x86_64 as user_regs_struct orders it (the values as signed numbers). */
export class X86PtRegs implements UserRegs {
  r15 = 0; r14 = 0; r13 = 0; r12 = 0; bp = 0; bx = 0; r11 = 0; r10 = 0; r9 = 0; r8 = 0;
  ax = 0; cx = 0; dx = 0; si = 0; di = 0;
  /** The syscall number on entry; -1 when not in a system call. */
  origAx = -1;
  ip = 0; cs = USER_CS;
  /** RFLAGS: IF and the reserved bit, as a new process starts. */
  flags = 0x202;
  sp = 0; ss = USER_DS;
}

/** __NR_restart_syscall on x86_64 (219). */
const NR_RESTART_SYSCALL = SYSCALL_64.entries.find((e) => e.name === "restart_syscall")!.nr;

const u64 = (v: number): bigint => BigInt.asUintN(64, BigInt(Math.trunc(v)));
const s64 = (v: bigint): number => Number(BigInt.asIntN(64, v));

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
  SC_SLOTS.forEach((name, i) => v.setBigUint64(sc + i * 8, u64(regs[name]), true));
  v.setUint16(sc + SC_CS, regs.cs, true);
  v.setUint16(sc + SC_CS + 6, regs.ss, true);
  v.setBigUint64(sc + SC_OLDMASK, oldset, true);
  v.setBigUint64(uc + UC_SIGMASK, oldset, true);
  if (frame <= 0 || !mm.write(frame, b)) return false;
  if (ksig.flags & SA_SIGINFO && !copySiginfoToUser(mm, frame + F_INFO, ksig.info)) return false;
  regs.di = ksig.sig;
  regs.ax = 0;
  regs.si = frame + F_INFO;
  regs.dx = frame + F_UC;
  regs.ip = ksig.handler;
  regs.sp = frame;
  regs.cs = USER_CS;
  regs.flags &= ~(X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_TF);
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
  const saved = SC_SLOTS.map((_, i) => s64(v.getBigUint64(sc + i * 8, true)));
  SC_SLOTS.forEach((name, i) => {
    if (name === "flags") regs.flags = (regs.flags & ~FIX_EFLAGS) | (saved[i]! & FIX_EFLAGS);
    else regs[name] = saved[i]!;
  });
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
  copyRegs: (regs) => Object.assign(new X86PtRegs(), regs),
  syscallExit(r, nr, args, ret, ip) {
    const regs = r as X86PtRegs;
    regs.origAx = nr;
    regs.ax = ret;
    [regs.di, regs.si, regs.dx, regs.r10, regs.r8, regs.r9] = [args[0] ?? 0, args[1] ?? 0, args[2] ?? 0, args[3] ?? 0, args[4] ?? 0, args[5] ?? 0];
    // The syscall instruction leaves the return address in rcx and the flags in r11.
    regs.cx = ip;
    regs.r11 = regs.flags;
    regs.ip = ip;
  },
  syscallNr: (r) => (r as X86PtRegs).origAx,
  returnValue: (r) => (r as X86PtRegs).ax,
  setReturnValue: (r, value) => { (r as X86PtRegs).ax = value; },
  restartSyscall(r) {
    const regs = r as X86PtRegs;
    regs.ax = regs.origAx;
    regs.ip -= 2;
  },
  restartBlock(r) {
    const regs = r as X86PtRegs;
    regs.ax = NR_RESTART_SYSCALL;
    regs.ip -= 2;
  },
  syscallEntry(r) {
    const regs = r as X86PtRegs;
    // do_syscall_64() takes the number as an int: the low 32 bits of rax.
    return [regs.ax | 0, regs.di, regs.si, regs.dx, regs.r10, regs.r8, regs.r9];
  },
  setupRtFrame,
  handlerArgs: (r) => [(r as X86PtRegs).di, (r as X86PtRegs).si, (r as X86PtRegs).dx],
  functionReturn(task, regs) {
    const b = task.mm!.read(regs.sp, 8);
    if (!b) return false;
    regs.ip = s64(new DataView(b.buffer).getBigUint64(0, true));
    regs.sp += 8;
    return true;
  },
  kernelCodeSyscall: () => -1,
  restoreRtFrame,
};

export const arch_x86_kernel_signal_64_c = kernelObject("arch/x86/kernel/signal_64.c", [
  SYSCALL_DEFINE(0, "rt_sigreturn", (task) => rtSigreturn(task, X86_64_ENTRY)),
]);
