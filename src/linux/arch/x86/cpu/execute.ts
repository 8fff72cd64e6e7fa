/**
 * Executes one x86-64 instruction (the subset decode.ts reads) in user mode: CPL 3, IOPL 0,
 * 4-level paging (48-bit canonical addresses), as a Linux process runs.
 *
 * step() never throws for anything the program does: every outcome is a StepResult. An instruction
 * that faults has no effect at all (registers, flags and memory are as before it, rip included), as
 * on the real CPU where faults are restartable; it performs every load and the one store it may
 * make before it commits any register.
 *
 * Exceptions and the signals Linux turns them into (the C probes of test/cpu.test.ts, run on an
 * Intel CPU under Linux 6.18, show each of them):
 *   #UD (ud2, undefined opcodes)      SIGILL  ILL_ILLOPN, si_addr = the instruction, rip unchanged
 *   #BP (int3)                        SIGTRAP SI_KERNEL, rip one past the 0xCC
 *   #DB from int1 (icebp)             SIGTRAP TRAP_BRKPT, rip one past the 0xF1
 *   #GP (hlt at CPL 3, non-canonical address, branch to a non-canonical target)
 *                                     SIGSEGV SI_KERNEL, si_addr 0, rip unchanged
 *   #SS (non-canonical address through rsp/rbp or the stack)
 *                                     SIGBUS  SI_KERNEL, si_addr 0, rip unchanged
 *   #PF (unmapped, or a write to read-only memory, or a fetch)
 *                                     SIGSEGV SEGV_MAPERR/ACCERR, si_addr = the first byte that failed
 * On a branch to a non-canonical address this is Intel's behaviour (the branch itself faults; AMD
 * faults on the fetch at the new rip).
 *
 * Single-step (Intel SDM vol. 3, 18.3.1.4 "Single-Step Exception Condition"): the CPU raises the
 * single-step #DB after an instruction when TF was set at the *start* of that instruction. So the
 * popfq that sets TF is not followed by a trap (the trap comes after the next instruction), and the
 * popfq that clears TF is (TF was set when it started). step() reports this as `trapAfter`: TF at
 * the start of an instruction that completed (kind "ok" or "syscall"); the caller then sets DR6.BS
 * and delivers SIGTRAP (TRAP_TRACE). An instruction that faults or traps (int3, int1) completes no
 * single step: its own exception is delivered instead and trapAfter is false. For syscall, Linux
 * reports the step on the way out of the system call (syscall_exit_work); the flag is the same.
 * RF is cleared when an instruction completes.
 */
import { decode, isCanonical, type FetchMemory, type Instruction, type MemOperand, type Operand, type OpSize } from "./decode.js";
import { AC, AF, CF, DF, FIXED, ID, NT, OF, PF, RCX, RF, RSP, R11, SF, STATUS_FLAGS, TF, VM, ZF, type X86Regs } from "./regs.js";

export interface CpuMemory extends FetchMemory {
  /** `len` bytes at `addr`, or null when any of them is not readable. */
  read(addr: bigint, len: number): Uint8Array | null;
  /** Writes all of `data` at `addr` and returns true, or writes nothing and returns false. */
  write(addr: bigint, data: Uint8Array): boolean;
}

/** DR6.BS: set in DR6 by a single-step debug exception. */
export const DR6_BS = 0x4000;

export type FaultReason =
  | "pagefault" // #PF
  | "hlt" // #GP: hlt is privileged
  | "gp" // #GP: non-canonical address or target, instruction too long
  | "ss" // #SS: non-canonical stack address
  | "ud2" // #UD from ud2
  | "invalid" // #UD: an opcode the CPU does not define (in 64-bit mode)
  | "unsupported"; // a valid instruction this interpreter does not implement (SIGILL here)

export interface OkResult { kind: "ok"; trapAfter: boolean; insn: Instruction }
export interface SyscallResult { kind: "syscall"; trapAfter: boolean; insn: Instruction }
export interface TrapResult { kind: "trap"; signal: "SIGTRAP"; reason: "int3" | "int1"; trapAfter: false; insn: Instruction }
export interface FaultResult {
  kind: "fault";
  signal: "SIGSEGV" | "SIGBUS" | "SIGILL";
  /** si_addr as Linux reports it: the faulting address for #PF, the instruction for #UD, 0 for #GP/#SS. */
  addr: bigint;
  reason: FaultReason;
  /** For a page fault: what the access was. */
  access?: "fetch" | "read" | "write";
  detail?: string;
  trapAfter: false;
  insn?: Instruction;
}
export type StepResult = OkResult | SyscallResult | TrapResult | FaultResult;

const M64 = (1n << 64n) - 1n;

/** PF: set when the low byte of the result has an even number of 1 bits. */
const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let n = 0;
  for (let b = i; b; b >>= 1) n += b & 1;
  PARITY[i] = n % 2 === 0 ? PF : 0;
}

/** Flags user mode may change with popf at CPL 3 > IOPL 0 (SDM POPF: not IF, IOPL, VIF, VIP, VM, RF). */
export const POPF_USER_MASK = CF | PF | AF | ZF | SF | TF | DF | OF | NT | AC | ID;

/** Little-endian bytes [0, n) of `d` as an unsigned value (n = 2, 4 or 8). */
function leToBig(d: Uint8Array, n: number): bigint {
  const lo = (d[0]! | (d[1]! << 8) | ((n > 2 ? d[2]! | (d[3]! << 8) : 0) << 16)) >>> 0;
  if (n < 8) return BigInt(lo);
  const hi = (d[4]! | (d[5]! << 8) | (d[6]! << 16) | (d[7]! << 24)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The low n bytes (2, 4 or 8) of `v`, little-endian. */
function bigToLe(v: bigint, n: number): Uint8Array {
  const out = new Uint8Array(n);
  const lo = Number(v & 0xffffffffn);
  out[0] = lo & 0xff;
  out[1] = (lo >>> 8) & 0xff;
  if (n > 2) {
    out[2] = (lo >>> 16) & 0xff;
    out[3] = lo >>> 24;
  }
  if (n === 8) {
    const hi = Number((v >> 32n) & 0xffffffffn);
    out[4] = hi & 0xff;
    out[5] = (hi >>> 8) & 0xff;
    out[6] = (hi >>> 16) & 0xff;
    out[7] = hi >>> 24;
  }
  return out;
}

class Fault {
  constructor(readonly result: FaultResult) {}
}

function gp(detail: string, insn: Instruction): Fault {
  return new Fault({ kind: "fault", signal: "SIGSEGV", addr: 0n, reason: "gp", detail, trapAfter: false, insn });
}

class Machine {
  /** The address of the next instruction. */
  readonly next: bigint;
  constructor(readonly regs: X86Regs, readonly mem: CpuMemory, readonly insn: Instruction) {
    this.next = (insn.addr + BigInt(insn.length)) & M64;
  }

  ea(m: MemOperand): bigint {
    let a = m.disp;
    if (m.rip) a += this.next;
    if (m.base !== null) a += this.regs.get(m.base);
    if (m.index !== null) a += this.regs.get(m.index) * BigInt(m.scale);
    return a & M64;
  }

  /** The default segment is SS for a base of rsp or rbp (SDM vol. 1, 3.7.4), else DS. */
  stackSegment(m: MemOperand): boolean {
    if (this.insn.segment !== undefined) return this.insn.segment === "ss";
    return m.base === RSP || m.base === 5;
  }

  private canonical(addr: bigint, len: number, ss: boolean): void {
    if (isCanonical(addr) && isCanonical((addr + BigInt(len - 1)) & M64)) return;
    throw new Fault(ss
      ? { kind: "fault", signal: "SIGBUS", addr: 0n, reason: "ss", detail: `non-canonical stack address 0x${addr.toString(16)}`, trapAfter: false, insn: this.insn }
      : { kind: "fault", signal: "SIGSEGV", addr: 0n, reason: "gp", detail: `non-canonical address 0x${addr.toString(16)}`, trapAfter: false, insn: this.insn });
  }

  private pageFault(at: bigint, access: "read" | "write"): Fault {
    return new Fault({ kind: "fault", signal: "SIGSEGV", addr: at, reason: "pagefault", access, trapAfter: false, insn: this.insn });
  }

  load(addr: bigint, bytes: number, ss: boolean): bigint {
    this.canonical(addr, bytes, ss);
    const d = this.mem.read(addr, bytes);
    if (!d || d.length < bytes) {
      // the first byte that cannot be read is what the CPU reports (CR2)
      for (let i = 0; i < bytes; i++) {
        const a = (addr + BigInt(i)) & M64;
        if (!this.mem.read(a, 1)) throw this.pageFault(a, "read");
      }
      throw this.pageFault(addr, "read");
    }
    return leToBig(d, bytes);
  }

  store(addr: bigint, bytes: number, value: bigint, ss: boolean): void {
    this.canonical(addr, bytes, ss);
    const data = bigToLe(value, bytes);
    if (this.mem.write(addr, data)) return;
    // Find the first byte that cannot be written without changing memory: write each byte back
    // with the value it already has (x86 has no write-only pages, so unreadable means unwritable).
    for (let i = 0; i < bytes; i++) {
      const a = (addr + BigInt(i)) & M64;
      const cur = this.mem.read(a, 1);
      if (!cur || !this.mem.write(a, cur)) throw this.pageFault(a, "write");
    }
    throw this.pageFault(addr, "write");
  }

  read(o: Operand, size: OpSize): bigint {
    switch (o.kind) {
      case "reg":
        return this.regs.read(o.reg, size);
      case "imm":
        return o.value;
      case "mem":
        return this.load(this.ea(o), size / 8, this.stackSegment(o));
      case "rel":
        return o.target;
    }
  }

  /** Writes a destination; a memory destination is stored now, a register one is returned as a commit. */
  write(o: Operand, size: OpSize, v: bigint): () => void {
    if (o.kind === "mem") {
      this.store(this.ea(o), size / 8, v, this.stackSegment(o));
      return () => {};
    }
    if (o.kind !== "reg") throw new Error("x86 cpu: bad destination operand");
    return () => this.regs.write(o.reg, size, v);
  }

  branchTarget(t: bigint): bigint {
    if (!isCanonical(t)) throw gp(`branch to non-canonical address 0x${t.toString(16)}`, this.insn);
    return t;
  }

  push(v: bigint): () => void {
    const sp = (this.regs.rsp - 8n) & M64;
    this.store(sp, 8, v, true);
    return () => { this.regs.rsp = sp; };
  }
}

interface AluOut { r: bigint; flags: number }

function szp(r: bigint, size: OpSize): number {
  return (r === 0n ? ZF : 0) | ((r >> BigInt(size - 1)) & 1n ? SF : 0) | PARITY[Number(r & 0xffn)]!;
}

/** a + b + cin (add, adc, inc): CF = carry out of the top bit, OF = signed overflow, AF = carry out of bit 3. */
function addFlags(a: bigint, b: bigint, cin: bigint, size: OpSize): AluOut {
  const full = a + b + cin;
  const r = BigInt.asUintN(size, full);
  const top = BigInt(size - 1);
  let f = szp(r, size);
  if (full >> BigInt(size)) f |= CF;
  if ((((a ^ r) & (b ^ r)) >> top) & 1n) f |= OF;
  if ((a ^ b ^ r) & 0x10n) f |= AF;
  return { r, flags: f };
}

/** a - b - cin (sub, sbb, cmp, dec): CF = borrow, OF = signed overflow, AF = borrow from bit 4. */
function subFlags(a: bigint, b: bigint, cin: bigint, size: OpSize): AluOut {
  const r = BigInt.asUintN(size, a - b - cin);
  const top = BigInt(size - 1);
  let f = szp(r, size);
  if (a < b + cin) f |= CF;
  if ((((a ^ b) & (a ^ r)) >> top) & 1n) f |= OF;
  if ((a ^ b ^ r) & 0x10n) f |= AF;
  return { r, flags: f };
}

/**
 * and/or/xor/test: CF = OF = 0, SF/ZF/PF from the result. AF is undefined in the SDM; we clear it,
 * which is also what the Intel CPU of the probe does (it cleared AF whatever its prior value).
 */
function logicFlags(r: bigint, size: OpSize): AluOut {
  return { r, flags: szp(r, size) };
}

export function alu(op: string, a: bigint, b: bigint, size: OpSize, rflags: number): AluOut {
  const cin = rflags & CF ? 1n : 0n;
  switch (op) {
    case "add": return addFlags(a, b, 0n, size);
    case "adc": return addFlags(a, b, cin, size);
    case "sub":
    case "cmp": return subFlags(a, b, 0n, size);
    case "sbb": return subFlags(a, b, cin, size);
    case "and":
    case "test": return logicFlags(a & b, size);
    case "or": return logicFlags(a | b, size);
    case "xor": return logicFlags(a ^ b, size);
    case "inc": {
      const o = addFlags(a, 1n, 0n, size);
      return { r: o.r, flags: (o.flags & ~CF) | (rflags & CF) }; // inc/dec leave CF alone
    }
    case "dec": {
      const o = subFlags(a, 1n, 0n, size);
      return { r: o.r, flags: (o.flags & ~CF) | (rflags & CF) };
    }
  }
  throw new Error(`x86 cpu: alu ${op}`);
}

/** Evaluates condition `cc` (the tttn field of jcc / setcc / cmovcc). */
export function condition(cc: number, f: number): boolean {
  let r: boolean;
  switch (cc >> 1) {
    case 0: r = (f & OF) !== 0; break; // o
    case 1: r = (f & CF) !== 0; break; // b / c
    case 2: r = (f & ZF) !== 0; break; // e / z
    case 3: r = (f & (CF | ZF)) !== 0; break; // be
    case 4: r = (f & SF) !== 0; break; // s
    case 5: r = (f & PF) !== 0; break; // p
    case 6: r = !(f & SF) !== !(f & OF); break; // l: SF != OF
    default: r = (f & ZF) !== 0 || !(f & SF) !== !(f & OF); break; // le
  }
  return cc & 1 ? !r : r;
}

function exec(m: Machine, tf: boolean): StepResult {
  const { regs, insn } = m;
  const ops = insn.operands;
  const size = insn.opsize;
  let nextRip = m.next;
  switch (insn.op) {
    case "nop":
    case "pause":
    case "endbr64":
      break;
    case "int3":
    case "int1":
      regs.rip = nextRip;
      return { kind: "trap", signal: "SIGTRAP", reason: insn.op, trapAfter: false, insn };
    case "hlt":
      return { kind: "fault", signal: "SIGSEGV", addr: 0n, reason: "hlt", detail: "hlt is privileged (#GP)", trapAfter: false, insn };
    case "ud2":
      return { kind: "fault", signal: "SIGILL", addr: insn.addr, reason: "ud2", trapAfter: false, insn };
    case "syscall":
      // SDM SYSCALL: RCX := RIP (of the next instruction); R11 := RFLAGS. Linux's sysret/iret
      // returns to user mode with RFLAGS from R11, so the user-visible flags are unchanged.
      regs.set(RCX, nextRip);
      regs.set(R11, BigInt(regs.rflags));
      regs.rip = nextRip;
      regs.rflags &= ~RF;
      return { kind: "syscall", trapAfter: tf, insn };
    case "pushfq": {
      // the image has RF and VM cleared (SDM PUSHF)
      const commit = m.push(BigInt(regs.rflags & ~(RF | VM)));
      commit();
      break;
    }
    case "popfq": {
      const v = Number(m.load(regs.rsp, 8, true) & 0xffffffffn);
      regs.rsp = (regs.rsp + 8n) & M64;
      regs.rflags = ((regs.rflags & ~POPF_USER_MASK) | (v & POPF_USER_MASK) | FIXED) & ~RF;
      break;
    }
    case "push": {
      const v = m.read(ops[0]!, 64); // a memory source through rsp is addressed before the decrement
      m.push(v)();
      break;
    }
    case "pop": {
      const v = m.load(regs.rsp, 8, true);
      regs.rsp = (regs.rsp + 8n) & M64;
      regs.write((ops[0] as { reg: number }).reg, 64, v); // pop rsp: rsp gets the loaded value
      break;
    }
    case "mov": {
      const v = m.read(ops[1]!, size);
      m.write(ops[0]!, size, v)();
      break;
    }
    case "lea": {
      const a = m.ea(ops[1] as MemOperand);
      m.write(ops[0]!, size, BigInt.asUintN(size, a))();
      break;
    }
    case "add": case "or": case "adc": case "sbb": case "and": case "sub": case "xor": case "cmp": case "test": {
      const a = m.read(ops[0]!, size);
      const b = m.read(ops[1]!, size);
      const o = alu(insn.op, a, b, size, regs.rflags);
      if (insn.op !== "cmp" && insn.op !== "test") m.write(ops[0]!, size, o.r)();
      regs.rflags = (regs.rflags & ~STATUS_FLAGS) | o.flags;
      break;
    }
    case "inc":
    case "dec": {
      const a = m.read(ops[0]!, size);
      const o = alu(insn.op, a, 0n, size, regs.rflags);
      m.write(ops[0]!, size, o.r)();
      regs.rflags = (regs.rflags & ~STATUS_FLAGS) | o.flags;
      break;
    }
    case "jmp":
      nextRip = m.branchTarget(m.read(ops[0]!, 64));
      break;
    case "jcc":
      if (condition(insn.cond!, regs.rflags)) nextRip = m.branchTarget(m.read(ops[0]!, 64));
      break;
    case "call": {
      const target = m.branchTarget(m.read(ops[0]!, 64));
      m.push(nextRip)();
      nextRip = target;
      break;
    }
    case "ret": {
      const target = m.branchTarget(m.load(regs.rsp, 8, true));
      regs.rsp = (regs.rsp + 8n) & M64;
      nextRip = target;
      break;
    }
  }
  regs.rip = nextRip;
  regs.rflags &= ~RF;
  return { kind: "ok", trapAfter: tf, insn };
}

/** Executes the instruction at regs.rip. */
export function step(regs: X86Regs, mem: CpuMemory): StepResult {
  const tf = (regs.rflags & TF) !== 0;
  const d = decode(mem, regs.rip);
  switch (d.kind) {
    case "fetch-fault":
      return { kind: "fault", signal: "SIGSEGV", addr: d.faultAddr, reason: "pagefault", access: "fetch", trapAfter: false };
    case "gp":
      return { kind: "fault", signal: "SIGSEGV", addr: 0n, reason: "gp", detail: d.reason, trapAfter: false };
    case "undefined":
      return {
        kind: "fault", signal: "SIGILL", addr: d.addr, reason: d.unsupported ? "unsupported" : "invalid",
        detail: `${d.reason} (bytes ${[...d.bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ")})`, trapAfter: false,
      };
    case "insn":
      break;
  }
  // Every case of exec() makes its loads and its one store before it changes a register, so a
  // Fault thrown from inside leaves the registers as they were.
  try {
    return exec(new Machine(regs, mem, d.insn), tf);
  } catch (e) {
    if (e instanceof Fault) return e.result;
    throw e;
  }
}

export type RunResult =
  | { steps: number; result: StepResult }
  | { steps: number; result: { kind: "limit" } };

/**
 * Steps until something needs the caller: a syscall, trap or fault, or an ok step whose trapAfter
 * asks for the single-step trap; or until `maxSteps` instructions have been attempted.
 * `steps` counts the step() calls made, the last one included.
 */
export function run(regs: X86Regs, mem: CpuMemory, maxSteps: number): RunResult {
  for (let n = 1; n <= maxSteps; n++) {
    const r = step(regs, mem);
    if (r.kind !== "ok" || r.trapAfter) return { steps: n, result: r };
  }
  return { steps: maxSteps, result: { kind: "limit" } };
}
