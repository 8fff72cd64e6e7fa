/**
 * What each instruction does (user mode: CPL 3, IOPL 0): one handler per operation and operand
 * form, picked once when the instruction is decoded (bind()), so running it is one call with no
 * operand-kind switches and no allocation. The interpreter calls insn.fn; compiled blocks
 * (block.ts) call the same handlers.
 *
 * Every handler makes its loads and its one store before it writes a register or RFLAGS, so a
 * fault (thrown from CpuCore) leaves the task exactly as before the instruction, rip included.
 * Semantics that the real CPU decides and the tests check against probes:
 *  - a 32-bit register write zero-extends to 64 bits, a 16-bit one keeps bits 63:16;
 *  - push rsp pushes the value before the decrement, pop rsp loads rsp, and a memory operand
 *    addressed through rsp (push [rsp+8], call [rsp]) uses rsp before the instruction changes it;
 *  - a branch to a non-canonical address faults on the branch (#GP, Intel; AMD faults on the
 *    fetch at the new rip), one to the upper half completes and the fetch there faults (#PF);
 *  - syscall: rcx = the next rip, r11 = rflags (SDM SYSCALL); Linux returns with rflags from r11,
 *    so the flags the program sees are unchanged;
 *  - pushfq pushes RFLAGS without RF and VM; popfq changes only what CPL 3 may (not IF, IOPL,
 *    VIF, VIP, VM, RF) and clears RF.
 */
import { aluCode, CC_MASKS, PARITY } from "./alu.js";
import { Addr, type CpuCore, X } from "./core.js";
import { Form, type Handler, type Insn, Op, OP_NAMES, Seg } from "./insn.js";
import { big, Fl, Reg } from "./regs.js";

/** Flags user mode may change with popf at CPL 3 > IOPL 0 (SDM POPF: not IF, IOPL, VIF, VIP, VM, RF). */
const enum Popf { USER_MASK = Fl.CF | Fl.PF | Fl.AF | Fl.ZF | Fl.SF | Fl.TF | Fl.DF | Fl.OF | Fl.NT | Fl.AC | Fl.ID }
export const POPF_USER_MASK: number = Popf.USER_MASK;

/** Writes register r the way an instruction of operand size `size` does. */
function setReg(lo: Int32Array, hi: Int32Array, r: number, size: number, vlo: number, vhi: number): void {
  if (size === 64) {
    lo[r] = vlo;
    hi[r] = vhi;
  } else if (size === 32) {
    lo[r] = vlo;
    hi[r] = 0;
  } else {
    lo[r] = (lo[r]! & ~0xffff) | (vlo & 0xffff);
  }
}

/* ---- the stack ---- */

/** Stores a quadword below rsp, then moves rsp (nothing changes if the store faults). */
function push(c: CpuCore, vlo: number, vhi: number): void {
  const l = (c.lo[Reg.RSP]! >>> 0) - 8;
  const h = l < 0 ? (c.hi[Reg.RSP]! - 1) | 0 : c.hi[Reg.RSP]!;
  c.store(l | 0, h, 64, true, vlo, vhi);
  c.lo[Reg.RSP] = l;
  c.hi[Reg.RSP] = h;
}

/** Loads the quadword at rsp into vlo/vhi (popRsp() then moves rsp). */
function loadTop(c: CpuCore): void {
  c.load(c.lo[Reg.RSP]!, c.hi[Reg.RSP]!, 64, true);
}

function popRsp(c: CpuCore): void {
  const l = (c.lo[Reg.RSP]! >>> 0) + 8;
  if (l > 0xffffffff) c.hi[Reg.RSP] = (c.hi[Reg.RSP]! + 1) | 0;
  c.lo[Reg.RSP] = l;
}

/* ---- branch targets ---- */

/**
 * Goes to the 64-bit target (lo, hi): X.JUMP with jumpTo set when it is in the lower half,
 * X.FAR when it is in the upper half (`commit` false: only the check, for a call that still has
 * to push), #GP when it is not canonical.
 */
function jump(c: CpuCore, lo: number, hi: number, commit = true): number {
  const h = hi >>> 0;
  if (h < Addr.LOW_HI_END) {
    if (commit) c.jumpTo = h * Addr.TWO32 + (lo >>> 0);
    return X.JUMP;
  }
  if (h < Addr.HIGH_HI_START) throw c.gp(`branch to non-canonical address 0x${big(lo, hi).toString(16)}`);
  return commit ? c.farRip(lo, hi) : X.FAR;
}

/** A relative branch whose target bind() found outside the lower half: #GP, or a far rip. */
function relFar(c: CpuCore, i: Insn): number {
  const t = i.next + i.rel;
  return jump(c, t | 0, Math.floor(t / Addr.TWO32) | 0);
}

/* ---- handlers ---- */

function hNop(): number {
  return X.NEXT;
}
function hInt3(): number {
  return X.INT3;
}
function hInt1(): number {
  return X.INT1;
}
function hHlt(c: CpuCore): number {
  throw c.gp("hlt is privileged (#GP)", "hlt");
}
function hUd2(c: CpuCore, i: Insn): number {
  throw c.illegal(i.addr, "ud2");
}
function hUndefined(c: CpuCore, i: Insn): number {
  throw c.illegal(i.addr, i.unsupported ? "unsupported" : "invalid", i.reason);
}

function hSyscall(c: CpuCore, i: Insn): number {
  c.lo[Reg.RCX] = i.next | 0;
  c.hi[Reg.RCX] = Math.floor(i.next / Addr.TWO32);
  c.lo[Reg.R11] = c.flags;
  c.hi[Reg.R11] = 0;
  return X.SYSCALL;
}

function hPushf(c: CpuCore): number {
  push(c, c.flags & ~(Fl.RF | Fl.VM), 0);
  return X.NEXT;
}
function hPopf(c: CpuCore): number {
  loadTop(c);
  const v = c.vlo;
  popRsp(c);
  c.flags = ((c.flags & ~Popf.USER_MASK) | (v & Popf.USER_MASK) | Fl.FIXED) & ~Fl.RF;
  return X.NEXT;
}
function hPushR(c: CpuCore, i: Insn): number {
  push(c, c.lo[i.dst]!, c.hi[i.dst]!);
  return X.NEXT;
}
function hPushM(c: CpuCore, i: Insn): number {
  c.ea(i);
  c.load(c.eaLo, c.eaHi, 64, i.ss);
  push(c, c.vlo, c.vhi);
  return X.NEXT;
}
function hPushI(c: CpuCore, i: Insn): number {
  push(c, i.immLo, i.immHi);
  return X.NEXT;
}
function hPop(c: CpuCore, i: Insn): number {
  loadTop(c);
  popRsp(c);
  c.lo[i.dst] = c.vlo; // after the increment: pop rsp loads rsp
  c.hi[i.dst] = c.vhi;
  return X.NEXT;
}

function hMovRR(c: CpuCore, i: Insn): number {
  setReg(c.lo, c.hi, i.dst, i.size, c.lo[i.src]!, c.hi[i.src]!);
  return X.NEXT;
}
function hMovRI(c: CpuCore, i: Insn): number {
  setReg(c.lo, c.hi, i.dst, i.size, i.immLo, i.immHi);
  return X.NEXT;
}
function hMovRM(c: CpuCore, i: Insn): number {
  c.ea(i);
  c.load(c.eaLo, c.eaHi, i.size, i.ss);
  setReg(c.lo, c.hi, i.dst, i.size, c.vlo, c.vhi);
  return X.NEXT;
}
function hMovMR(c: CpuCore, i: Insn): number {
  c.ea(i);
  c.store(c.eaLo, c.eaHi, i.size, i.ss, c.lo[i.src]!, c.hi[i.src]!);
  return X.NEXT;
}
function hMovMI(c: CpuCore, i: Insn): number {
  c.ea(i);
  c.store(c.eaLo, c.eaHi, i.size, i.ss, i.immLo, i.immHi);
  return X.NEXT;
}
function hLea(c: CpuCore, i: Insn): number {
  c.ea(i); // the address is not accessed, so it may be anything
  setReg(c.lo, c.hi, i.dst, i.size, c.eaLo, c.eaHi);
  return X.NEXT;
}

/*
 * ALU instructions (add ... cmp, test, inc, dec: destination op= source): their handlers are
 * generated from alu.ts's text, one per operation, size and operand form, the first time one is
 * needed; compiled blocks put the same text inline.
 */

/** Where an ALU instruction's operands are: reg op= reg, reg op= imm, reg op= [mem], [mem] op= reg, [mem] op= imm. */
export const enum AluForm { RR, RI, RM, MR, MI }

export function aluForm(i: Insn): AluForm {
  const reg = i.rm >= 0;
  if (i.form === Form.RM_REG) return reg ? AluForm.RR : AluForm.MR;
  if (i.form === Form.REG_RM) return reg ? AluForm.RR : AluForm.RM;
  return reg ? AluForm.RI : AluForm.MI; // r/m, imm; inc/dec r/m
}

/** How generated code names a field of the instruction: `i.dst` in a handler, the value in a block. */
export type FieldRef = (field: "dst" | "src" | "immLo" | "immHi" | "ss") => string;

/** JS text of `size`-bit register write r = (l, h), given `lo` and `hi`: as setReg(). */
function setRegCode(r: string, size: number, l: string, h: string): string {
  if (size === 64) return `lo[${r}] = ${l}; hi[${r}] = ${h};`;
  if (size === 32) return `lo[${r}] = ${l}; hi[${r}] = 0;`;
  return `lo[${r}] = (lo[${r}] & -65536) | (${l} & 65535);`;
}

/**
 * Statements that run ALU instruction `i` (the instruction itself is `insn` in the text), given
 * c, lo, hi and P (PARITY): loads first, then the store, then registers and RFLAGS.
 */
export function aluSource(i: Insn, v: FieldRef, insn: string): string {
  const size = i.size as 16 | 32 | 64;
  const writes = i.op !== Op.CMP && i.op !== Op.TEST;
  const form = aluForm(i);
  const mem = form === AluForm.RM || form === AluForm.MR || form === AluForm.MI;
  const out: string[] = [];
  if (mem) out.push(`c.ea(${insn}); const el = c.eaLo, eh = c.eaHi; c.load(el, eh, ${size}, ${v("ss")});`);
  out.push(form === AluForm.MR || form === AluForm.MI ? "const al = c.vlo, ah = c.vhi;" : `const al = lo[${v("dst")}], ah = hi[${v("dst")}];`);
  if (form === AluForm.RR || form === AluForm.MR) out.push(`const bl = lo[${v("src")}], bh = hi[${v("src")}];`);
  else if (form === AluForm.RM) out.push("const bl = c.vlo, bh = c.vhi;");
  else out.push(`const bl = ${v("immLo")}, bh = ${v("immHi")};`);
  out.push("let f = c.flags, rl = 0, rh = 0;", aluCode(i.op, size));
  if (writes) {
    out.push(form === AluForm.MR || form === AluForm.MI ? `c.store(el, eh, ${size}, ${v("ss")}, rl, rh);` : setRegCode(v("dst"), size, "rl", "rh"));
  }
  out.push("c.flags = f;");
  return out.join(" ");
}

const aluHandlers = new Map<number, Handler>();

/** The handler of ALU instruction `i`: compiled from aluSource() for its operation, size and form. */
function aluHandler(i: Insn): Handler {
  const key = (i.op * 128 + i.size) * 8 + aluForm(i);
  let h = aluHandlers.get(key);
  if (h === undefined) {
    const body = aluSource(i, (field) => `i.${field}`, "i");
    const name = `${OP_NAMES[i.op]}${i.size}_${"RR RI RM MR MI".split(" ")[aluForm(i)]}`;
    h = new Function("P", `"use strict"; return function ${name}(c, i) { const lo = c.lo, hi = c.hi; ${body} return 0; };`)(PARITY) as Handler;
    aluHandlers.set(key, h);
  }
  return h;
}

/* Branches. */
function hJmpRel(c: CpuCore, i: Insn): number {
  return i.target >= 0 ? X.TAKEN : relFar(c, i);
}
function hJcc(c: CpuCore, i: Insn): number {
  const f = c.flags;
  // condIndex(f) of alu.ts, inline: CF | PF<<1 | ZF<<2 | SF<<3 | OF<<4
  if (((CC_MASKS[i.cond]! >>> ((f & 1) | ((f >> 1) & 2) | ((f >> 4) & 12) | ((f >> 7) & 16))) & 1) === 0) return X.NEXT;
  return i.target >= 0 ? X.TAKEN : relFar(c, i);
}
function hJmpR(c: CpuCore, i: Insn): number {
  return jump(c, c.lo[i.dst]!, c.hi[i.dst]!);
}
function hJmpM(c: CpuCore, i: Insn): number {
  c.ea(i);
  c.load(c.eaLo, c.eaHi, 64, i.ss);
  return jump(c, c.vlo, c.vhi);
}
/** Pushes the return address, then goes to (lo, hi), which jump() has checked. */
function call(c: CpuCore, i: Insn, lo: number, hi: number): number {
  jump(c, lo, hi, false); // #GP before anything changes
  push(c, i.next | 0, Math.floor(i.next / Addr.TWO32));
  return jump(c, lo, hi);
}
function hCallRel(c: CpuCore, i: Insn): number {
  if (i.target >= 0) {
    push(c, i.next | 0, Math.floor(i.next / Addr.TWO32));
    return X.TAKEN;
  }
  const t = i.next + i.rel;
  return call(c, i, t | 0, Math.floor(t / Addr.TWO32) | 0);
}
function hCallR(c: CpuCore, i: Insn): number {
  return call(c, i, c.lo[i.dst]!, c.hi[i.dst]!);
}
function hCallM(c: CpuCore, i: Insn): number {
  c.ea(i);
  c.load(c.eaLo, c.eaHi, 64, i.ss);
  return call(c, i, c.vlo, c.vhi);
}
function hRet(c: CpuCore): number {
  loadTop(c);
  const lo = c.vlo, hi = c.vhi;
  jump(c, lo, hi, false);
  popRsp(c);
  return jump(c, lo, hi);
}

/** The handler of a bound instruction. */
function pick(i: Insn): Handler {
  const reg = i.rm >= 0; // the r/m operand is a register
  switch (i.op) {
    case Op.NOP: case Op.PAUSE: case Op.ENDBR64: return hNop;
    case Op.INT3: return hInt3;
    case Op.INT1: return hInt1;
    case Op.HLT: return hHlt;
    case Op.UD2: return hUd2;
    case Op.UNDEFINED: return hUndefined;
    case Op.SYSCALL: return hSyscall;
    case Op.PUSHFQ: return hPushf;
    case Op.POPFQ: return hPopf;
    case Op.PUSH: return i.form === Form.IMM ? hPushI : reg ? hPushR : hPushM;
    case Op.POP: return hPop;
    case Op.MOV:
      if (reg) return i.form === Form.RM_REG || i.form === Form.REG_RM ? hMovRR : hMovRI;
      return i.form === Form.RM_REG ? hMovMR : i.form === Form.REG_RM ? hMovRM : hMovMI;
    case Op.LEA: return hLea;
    case Op.JMP: return i.form === Form.REL ? hJmpRel : reg ? hJmpR : hJmpM;
    case Op.JCC: return hJcc;
    case Op.CALL: return i.form === Form.REL ? hCallRel : reg ? hCallR : hCallM;
    case Op.RET: return hRet;
    default: // ADD ... DEC
      return aluHandler(i);
  }
}

/**
 * Whether running `i` can throw: it accesses memory (or the stack), branches to a target that
 * may not be canonical, or always faults. Register-only instructions cannot.
 */
export function mayFault(i: Insn): boolean {
  switch (i.op) {
    case Op.NOP: case Op.PAUSE: case Op.ENDBR64: case Op.LEA: case Op.INT3: case Op.INT1: case Op.SYSCALL:
      return false;
    case Op.JCC: return i.target < 0;
    case Op.JMP: case Op.CALL: return i.form !== Form.REL || i.target < 0 || i.op === Op.CALL;
    case Op.MOV: case Op.ADD: case Op.OR: case Op.ADC: case Op.SBB: case Op.AND: case Op.SUB: case Op.XOR:
    case Op.CMP: case Op.TEST: case Op.INC: case Op.DEC:
      return i.rm < 0;
    default: return true; // push/pop/pushf/popf/ret, hlt/ud2/undefined
  }
}

/** Binds a decoded instruction to its address: next, branch target, address constants, handler. */
export function bind(i: Insn, addr: number): void {
  i.addr = addr;
  i.next = addr + i.len;
  if (i.form === Form.REL) {
    const t = i.next + i.rel;
    i.target = t >= 0 && t < Addr.LOW_END ? t : -1;
  }
  if (i.ripRel) {
    const t = i.next + i.disp;
    i.dispLo = t | 0;
    i.dispHi = Math.floor(t / Addr.TWO32) | 0;
  } else {
    i.dispLo = i.disp;
    i.dispHi = i.disp < 0 ? -1 : 0;
  }
  i.ss = i.seg === Seg.SS || (i.seg === Seg.NONE && (i.base === Reg.RSP || i.base === Reg.RBP));
  if (i.form === Form.REG_RM) {
    i.dst = i.reg;
    i.src = i.rm;
  } else {
    i.dst = i.rm;
    i.src = i.reg;
  }
  i.fn = pick(i);
}
