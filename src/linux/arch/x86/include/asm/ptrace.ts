/**
 * struct pt_regs of x86_64 (arch/x86/include/asm/ptrace.h): the user registers the kernel saves
 * on entry. Here they are the CPU interpreter's own register file (X86Regs), so machine code
 * running on a task, the signal frame, rt_sigreturn and ptrace all read and write the same
 * registers, with all 64 bits of each; cs and ss are kept beside them (segments are not
 * modelled otherwise). The generic entry code sees only ip and sp (UserRegs) as numbers.
 */
import { Reg, X86Regs } from "../../cpu/regs.js";
import type { UserRegs } from "../../../../include/linux/ptrace.js";

/** __USER_CS and __USER_DS of x86_64 (arch/x86/include/asm/segment.h). */
export const USER_CS = 0x33, USER_DS = 0x2b;

export class X86PtRegs extends X86Regs implements UserRegs {
  cs = USER_CS;
  ss = USER_DS;

  get ip(): number {
    return this.ripNum;
  }
  set ip(v: number) {
    this.ripNum = v;
  }
  get sp(): number {
    return this.num(Reg.RSP);
  }
  set sp(v: number) {
    this.setNum(Reg.RSP, v);
  }
  /** orig_ax as the generic code wants it: the syscall number, -1 outside a system call. */
  get origAx(): number {
    return Number(BigInt.asIntN(64, this.orig_rax));
  }
  set origAx(v: number) {
    this.orig_rax = BigInt.asUintN(64, BigInt(v));
  }

  copyPt(o: X86PtRegs): this {
    this.copyFrom(o);
    this.cs = o.cs;
    this.ss = o.ss;
    return this;
  }
}

/**
 * struct user_regs_struct (arch/x86/include/asm/user_64.h): what PTRACE_GETREGS copies out,
 * and the first 216 bytes of struct user, in the order of their 8-byte slots.
 */
export const USER_REGS_FIELDS = [
  "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi", "rdi",
  "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs",
] as const;
export type UserRegsField = (typeof USER_REGS_FIELDS)[number];
/** sizeof(struct user_regs_struct). */
export const USER_REGS_SIZE = USER_REGS_FIELDS.length * 8;
/** The general-purpose registers of user_regs_struct, by their encoding number. */
export const GPR_OF_FIELD: Readonly<Partial<Record<UserRegsField, number>>> = {
  r15: Reg.R15, r14: Reg.R14, r13: Reg.R13, r12: Reg.R12, rbp: Reg.RBP, rbx: Reg.RBX, r11: Reg.R11,
  r10: Reg.R10, r9: Reg.R9, r8: Reg.R8, rax: Reg.RAX, rcx: Reg.RCX, rdx: Reg.RDX, rsi: Reg.RSI,
  rdi: Reg.RDI, rsp: Reg.RSP,
};

/**
 * The kernel's struct user (arch/x86/include/asm/user_64.h): regs, u_fpvalid, i387 (512
 * bytes), the sizes, start_code, start_stack, signal, reserved, u_ar0, u_fpstate, magic,
 * u_comm[32], u_debugreg[8], then error_code and fault_address, which glibc's <sys/user.h>
 * leaves out (probe: offsetof(u_debugreg) 0x350, glibc's sizeof 0x390; PEEKUSER at 0x390 and
 * 0x398 read 0, at 0x3a0 EIO).
 */
export const USER_DEBUGREG_OFFSET = 0x350;
export const SIZEOF_USER = USER_DEBUGREG_OFFSET + 8 * 8 + 2 * 8;
