/**
 * arch/x86/kernel/ptrace.c: the registers through ptrace (PEEKUSER/POKEUSER on struct user,
 * GETREGS/SETREGS on user_regs_struct) and the debug registers (u_debugreg[0..7]): DR0-DR3
 * are ptrace hardware breakpoints validated as perf's would be, DR6 the virtual status the
 * debug exceptions leave, DR7 the control word, DR4/DR5 do not exist.
 */
import type { Task } from "../../../include/linux/sched.js";
import { EFAULT, EINVAL, EIO } from "../../../include/uapi/errno.js";
import { PTRACE_GETREGS, PTRACE_PEEKUSER, PTRACE_POKEUSER, PTRACE_SETREGS } from "../../../include/uapi/ptrace.js";
import { putWord } from "../../../kernel/ptrace.js";
import { ulong } from "../../../include/linux/syscalls.js";
import { wordBits, type Word } from "../../../include/uapi/word.js";
import { AC, AF, CF, DF, NT, OF, PF, RF, SF, TF, ZF } from "../cpu/regs.js";
import { DR6_FIXED } from "../cpu/results.js";
import {
  GPR_OF_FIELD, SIZEOF_USER, USER_DEBUGREG_OFFSET, USER_REGS_FIELDS, USER_REGS_SIZE, type UserRegsField,
} from "../include/asm/ptrace.js";
import { x86PtRegs, userDisableSingleStep, userEnableBlockStep, userEnableSingleStep } from "./step.js";
import type { ArchPtrace } from "../../../include/linux/ptrace.js";

/** TASK_SIZE_MAX of 4-level paging: the first address user breakpoints and fs_base may not reach. */
const TASK_SIZE_MAX = 2n ** 47n - 4096n;
/** The flags a debugger may change (FLAG_MASK of x86_64; probe: poking all ones read back 0x54fd7). */
const FLAG_MASK = CF | PF | AF | ZF | SF | TF | DF | OF | NT | RF | AC;
/** DR6_RESERVED: the bits of DR6 that read as 1; virtual_dr6 keeps the others, positive. */
const DR6_RESERVED = BigInt(DR6_FIXED);
/** DR_CONTROL_RESERVED: DR7 bits 10-15 that decode ignores. */
const DR_CONTROL_RESERVED = 0xfc00n;
/** The x86 breakpoint length and type encodings of arch/x86/include/asm/hw_breakpoint.h. */
const LEN_1 = 0x40, LEN_2 = 0x44, LEN_4 = 0x4c, LEN_8 = 0x48;
const TYPE_EXECUTE = 0x80, TYPE_WRITE = 0x81, TYPE_RW = 0x83;

/** A ptrace hardware breakpoint (thread.ptrace_bps[n], a perf event in Linux). */
interface HwBreakpoint {
  addr: bigint;
  len: number;
  type: number;
  disabled: boolean;
}

/** struct thread_struct's debug and segment state. A fork child starts with none (copy_thread()). */
export interface X86Thread {
  readonly bps: (HwBreakpoint | null)[];
  /** The enabled execution breakpoints, kept as the breakpoints change: what the CPU checks before each instruction. */
  execBps: readonly ExecBreakpoint[];
  /** virtual_dr6: DR6 as the tracer sees it after the last debug exception, positive polarity. */
  virtualDr6: bigint;
  /** ptrace_dr7: DR7 as the tracer last wrote it successfully. */
  ptraceDr7: bigint;
  fsBase: bigint;
  gsBase: bigint;
  /** fsindex, gsindex, ds, es: 0 for a 64-bit process. */
  readonly selectors: Record<"ds" | "es" | "fs" | "gs", number>;
}

/** An enabled execution breakpoint: its number (the DR_TRAPn bit) and address. */
export interface ExecBreakpoint {
  readonly n: number;
  readonly addr: bigint;
}

const threads = new WeakMap<Task, X86Thread>();
const NO_BREAKPOINTS: readonly ExecBreakpoint[] = [];

export function x86Thread(task: Task): X86Thread {
  let t = threads.get(task);
  if (!t) {
    t = {
      bps: [null, null, null, null], execBps: NO_BREAKPOINTS, virtualDr6: 0n, ptraceDr7: 0n, fsBase: 0n, gsBase: 0n,
      selectors: { ds: 0, es: 0, fs: 0, gs: 0 },
    };
    threads.set(task, t);
  }
  return t;
}

/** The breakpoints the CPU checks before each instruction: enabled execution breakpoints. */
export function execBreakpoints(task: Task): readonly ExecBreakpoint[] {
  return threads.get(task)?.execBps ?? NO_BREAKPOINTS;
}

function fieldAt(offset: number): UserRegsField {
  return USER_REGS_FIELDS[offset / 8]!;
}

/** getreg(): one slot of user_regs_struct; a TF the debugger forced reads as clear (get_flags()). */
function getreg(child: Task, offset: number): bigint {
  const regs = x86PtRegs(child);
  const field = fieldAt(offset);
  const gpr = GPR_OF_FIELD[field];
  if (gpr !== undefined) return regs.get(gpr);
  const t = x86Thread(child);
  switch (field) {
    case "orig_rax": return regs.orig_rax;
    case "rip": return regs.rip;
    case "cs": return BigInt(regs.cs);
    case "ss": return BigInt(regs.ss);
    case "eflags": return BigInt(child.forcedTf ? regs.rflags & ~TF : regs.rflags);
    case "fs_base": return t.fsBase;
    case "gs_base": return t.gsBase;
    default: return BigInt(t.selectors[field as keyof X86Thread["selectors"]]);
  }
}

/**
 * putreg(): selectors are 16 bits and must be null or RPL 3 (cs and ss not null), the bases
 * user addresses, the flags only FLAG_MASK (set_flags(): a TF the debugger writes is its own
 * from then on; one it clears while it forced TF stays set).
 */
function putreg(child: Task, offset: number, value: bigint): number {
  const regs = x86PtRegs(child);
  const field = fieldAt(offset);
  const gpr = GPR_OF_FIELD[field];
  if (gpr !== undefined) {
    regs.set(gpr, value);
    return 0;
  }
  const t = x86Thread(child);
  switch (field) {
    case "orig_rax": regs.orig_rax = value; return 0;
    case "rip": regs.rip = value; return 0;
    case "eflags": {
      let v = Number(value & 0xffffffffn);
      if (v & TF) child.forcedTf = false;
      else if (child.forcedTf) v |= TF;
      regs.rflags = (regs.rflags & ~FLAG_MASK) | (v & FLAG_MASK);
      return 0;
    }
    case "fs_base":
    case "gs_base":
      if (value >= TASK_SIZE_MAX) return -EIO;
      if (field === "fs_base") t.fsBase = value;
      else t.gsBase = value;
      return 0;
    default: {
      const sel = Number(value & 0xffffn);
      if (sel !== 0 && (sel & 3) !== 3) return -EIO;
      if (field === "cs" || field === "ss") {
        if (sel === 0) return -EIO;
        regs[field] = sel;
      } else {
        t.selectors[field as keyof X86Thread["selectors"]] = sel;
      }
      return 0;
    }
  }
}

/** arch_bp_generic_fields(): the DR7 length and type bits as a breakpoint; EINVAL for I/O or a long execute. */
function genericFields(len: number, type: number): { len: number; type: number } | number {
  if (type === TYPE_EXECUTE) return len === LEN_1 ? { len: 8, type } : -EINVAL;
  if (type !== TYPE_WRITE && type !== TYPE_RW) return -EINVAL;
  const bytes = len === LEN_1 ? 1 : len === LEN_2 ? 2 : len === LEN_4 ? 4 : len === LEN_8 ? 8 : 0;
  return bytes ? { len: bytes, type } : -EINVAL;
}

/**
 * hw_breakpoint_parse() for a user breakpoint: aligned to its length (a data breakpoint), and
 * entirely below TASK_SIZE_MAX (probe: DR0 = 0xffffffff81000000 is EINVAL).
 */
function validBreakpoint(addr: bigint, len: number, type: number): number {
  const align = type === TYPE_EXECUTE ? 0n : BigInt(len - 1);
  if (addr & align) return -EINVAL;
  const span = type === TYPE_EXECUTE ? 1n : BigInt(len);
  if (addr >= TASK_SIZE_MAX || addr + span - 1n >= TASK_SIZE_MAX) return -EINVAL;
  return 0;
}

/** Registers or changes breakpoint n the way ptrace_register_breakpoint() / ptrace_modify_breakpoint() do. */
function setBreakpoint(t: X86Thread, n: number, addr: bigint, len: number, type: number, disabled: boolean): number {
  const f = genericFields(len, type);
  if (typeof f === "number") return f;
  const err = validBreakpoint(addr, f.len, type);
  if (err) return err;
  t.bps[n] = { addr, len: f.len, type, disabled };
  t.execBps = t.bps.flatMap((bp, i) => (bp && !bp.disabled && bp.type === TYPE_EXECUTE ? [{ n: i, addr: bp.addr }] : []));
  return 0;
}

/** decode_dr7(): breakpoint n's enable bits, length and type encodings. */
function decodeDr7(dr7: bigint, n: number): { enabled: boolean; len: number; type: number } {
  const info = Number((dr7 >> BigInt(16 + n * 4)) & 0xfn);
  return { enabled: ((dr7 >> BigInt(n * 2)) & 3n) !== 0n, len: (info & 0xc) | 0x40, type: (info & 0x3) | 0x80 };
}

/** The DR7 length bits of a breakpoint (an execution breakpoint is LEN_1 though perf calls it sizeof(long)). */
function lenBits(bp: HwBreakpoint): number {
  if (bp.type === TYPE_EXECUTE) return LEN_1;
  return bp.len === 1 ? LEN_1 : bp.len === 2 ? LEN_2 : bp.len === 4 ? LEN_4 : LEN_8;
}

/** ptrace_get_dr7(): the control word the current breakpoints amount to. */
function dr7OfBreakpoints(t: X86Thread): bigint {
  let dr7 = 0n;
  t.bps.forEach((bp, n) => {
    if (!bp || bp.disabled) return;
    dr7 |= (BigInt((lenBits(bp) | bp.type) & 0xf) << BigInt(16 + n * 4)) | (2n << BigInt(n * 2)) | 0x200n;
  });
  return dr7;
}

/** ptrace_write_dr7(): each breakpoint as DR7 says; on an error the old state comes back. */
function writeDr7(t: X86Thread, value: bigint): number {
  const old = dr7OfBreakpoints(t);
  const apply = (dr7: bigint): number => {
    const data = dr7 & ~DR_CONTROL_RESERVED;
    for (let n = 0; n < 4; n++) {
      const { enabled, len, type } = decodeDr7(data, n);
      const bp = t.bps[n];
      if (!bp && !enabled) continue;
      const err = setBreakpoint(t, n, bp?.addr ?? 0n, len, type, !enabled);
      if (err) return err;
    }
    return 0;
  };
  const err = apply(value);
  if (err) apply(old);
  return err;
}

/** ptrace_get_debugreg(). */
function getDebugreg(child: Task, n: number): bigint {
  const t = x86Thread(child);
  if (n < 4) return t.bps[n]?.addr ?? 0n;
  if (n === 6) return t.virtualDr6 ^ DR6_RESERVED;
  if (n === 7) return t.ptraceDr7;
  return 0n;
}

/**
 * ptrace_set_debugreg(): DR0-3 a breakpoint address (a new one starts as a disabled 1-byte
 * write breakpoint), DR6 the virtual status, DR7 the control word; DR4/DR5 are EIO.
 */
function setDebugreg(child: Task, n: number, val: bigint): number {
  const t = x86Thread(child);
  if (n < 4) {
    const bp = t.bps[n];
    // ptrace_set_breakpoint_addr(): only the address changes (checked as the breakpoint it is).
    return bp ? setBreakpoint(t, n, val, lenBits(bp), bp.type, bp.disabled) : setBreakpoint(t, n, val, LEN_1, TYPE_WRITE, true);
  }
  if (n === 6) {
    t.virtualDr6 = val ^ DR6_RESERVED;
    return 0;
  }
  if (n === 7) {
    const err = writeDr7(t, val);
    if (!err) t.ptraceDr7 = val;
    return err;
  }
  return -EIO;
}

const DEBUGREG_END = USER_DEBUGREG_OFFSET + 7 * 8;

/** arch_ptrace(): the user area and the register set; the rest is ptrace_request()'s. */
function archPtrace(task: Task, child: Task, request: number, addr: number, data: Word): number | null {
  switch (request) {
    case PTRACE_PEEKUSER: {
      if (addr % 8 || addr >= SIZEOF_USER) return -EIO;
      let tmp = 0n;
      if (addr < USER_REGS_SIZE) tmp = getreg(child, addr);
      else if (addr >= USER_DEBUGREG_OFFSET && addr <= DEBUGREG_END) tmp = getDebugreg(child, (addr - USER_DEBUGREG_OFFSET) / 8);
      return putWord(task, ulong(data), tmp);
    }
    case PTRACE_POKEUSER:
      if (addr % 8 || addr >= SIZEOF_USER) return -EIO;
      if (addr < USER_REGS_SIZE) return putreg(child, addr, wordBits(data));
      if (addr >= USER_DEBUGREG_OFFSET && addr <= DEBUGREG_END) return setDebugreg(child, (addr - USER_DEBUGREG_OFFSET) / 8, wordBits(data));
      return -EIO;
    case PTRACE_GETREGS: {
      const b = new Uint8Array(USER_REGS_SIZE);
      const v = new DataView(b.buffer);
      for (let off = 0; off < USER_REGS_SIZE; off += 8) v.setBigUint64(off, getreg(child, off), true);
      return task.mm!.write(ulong(data), b) ? 0 : -EFAULT;
    }
    case PTRACE_SETREGS: {
      const b = task.mm!.read(ulong(data), USER_REGS_SIZE);
      if (!b) return -EFAULT;
      const v = new DataView(b.buffer);
      for (let off = 0; off < USER_REGS_SIZE; off += 8) {
        const err = putreg(child, off, v.getBigUint64(off, true));
        if (err) return err;
      }
      return 0;
    }
    default:
      return null;
  }
}

export const X86_PTRACE: ArchPtrace = {
  request: archPtrace,
  hasSingleStep: true,
  hasBlockStep: true,
  userEnableSingleStep,
  userEnableBlockStep,
  userDisableSingleStep,
};
