/**
 * The CPU: runs a task's registers on an address space, one instruction (step) or until
 * something needs the kernel (run), with decoded instructions cached by address.
 *
 * One X86Cpu per address space: it keeps the TLB and the decoded instructions of that memory,
 * and runs whichever registers it is given (threads sharing an mm can share it; nothing of a
 * task stays in it between calls). step(regs, mem) and run(regs, mem, n) find it by memory.
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
 *
 * Decoded instructions are kept per code page, by offset, and dropped when the memory says bytes
 * changed (codeGeneration), when this CPU stores over them (self-modifying code), or when the
 * page's translation changed to other bytes. An instruction that crosses a page boundary is
 * decoded each time it runs (its bytes belong to two pages).
 */
import { Addr, CpuCore, X } from "./core.js";
import { Dec, decodeInsn, MAX_INSN_LEN } from "./decode.js";
import { compileBlock, endsBlock, Jit, outsideBlocks } from "./block.js";
import { bind } from "./execute.js";
import { Insn, Op, type CompiledBlock } from "./insn.js";
import { Page, Prot, type CpuMemory } from "./memory.js";
import { Fl, Reg, type X86Regs } from "./regs.js";
import {
  CpuFault, RES_INT1, RES_INT3, RES_LIMIT, RES_OK, RES_OK_TRAP, RES_SYSCALL, RES_SYSCALL_TRAP,
  type FaultResult, type RunResult, type StepResult,
} from "./results.js";

/* How a run stopped (besides the X codes of the handlers). */
const enum Stop { LIMIT = -1, STEP = -2, SYSCALL_TF = -3, FAULT = -4 }

/** The decoded instructions of one executable page. */
class CodePage {
  insns: (Insn | undefined)[] = new Array<Insn | undefined>(Page.SIZE);
  /** Offsets decoded once already. */
  seen = new Uint8Array(Page.SIZE);
  /** The page's address. */
  readonly base: number;
  constructor(
    readonly pfn: number,
    public data: Uint8Array,
    public gen: number,
    /** Not writable: blocks may be compiled from it. */
    public compilable: boolean,
  ) {
    this.base = pfn * Page.SIZE;
  }
}

/** No page: every address is outside it. */
const NO_PAGE = new CodePage(-Infinity, new Uint8Array(0), -1, false);

function hexBytes(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");
}

export class X86Cpu extends CpuCore {
  private readonly codePages = new Map<number, CodePage>();
  /** The code page the last run ended in (a step usually starts in it again). */
  private lastCp = NO_PAGE;
  /** Bytes of an instruction that crosses into the next page. */
  private readonly scratch = new Uint8Array(MAX_INSN_LEN);
  /** Instructions the last step()/run() attempted. */
  steps = 0;
  /** Blocks compiled so far (for tests and benchmarks). */
  blocks = 0;
  private lastFault: FaultResult | null = null;

  constructor(mem: CpuMemory) {
    super(mem);
  }

  /** Executes exactly one instruction at regs.rip. */
  step(regs: X86Regs): StepResult {
    const code = this.exec(regs, 1);
    return code === Stop.LIMIT ? RES_OK : this.result(code);
  }

  /**
   * Runs until something needs the caller: a syscall, trap or fault, or an instruction that
   * began with TF set (the single-step trap is due); or until `maxSteps` instructions ran.
   */
  run(regs: X86Regs, maxSteps: number): RunResult {
    const code = this.exec(regs, maxSteps);
    return { steps: this.steps, result: code === Stop.LIMIT ? RES_LIMIT : this.result(code) };
  }

  private result(code: number): StepResult {
    switch (code) {
      case Stop.STEP: return RES_OK_TRAP;
      case X.SYSCALL: return RES_SYSCALL;
      case Stop.SYSCALL_TF: return RES_SYSCALL_TRAP;
      case X.INT3: return RES_INT3;
      case X.INT1: return RES_INT1;
      default: return this.lastFault!;
    }
  }

  /** The run loop: returns an X or Stop code; this.steps is the instructions attempted. */
  private exec(regs: X86Regs, max: number): number {
    this.enter(regs);
    const h = regs.hi[Reg.RIP]! >>> 0;
    let ip = h < Addr.LOW_HI_END ? h * Addr.TWO32 + (regs.lo[Reg.RIP]! >>> 0) : -1; // -1: rip is exact in regs only
    let n = 0;
    let code: number = Stop.LIMIT;
    let cp = this.lastCp.gen === this.tlbSeen ? this.lastCp : NO_PAGE;
    let base = cp.base;
    let blk: CompiledBlock | null = null; // the block running, for a fault
    try {
      while (n < max) {
        n++; // the instruction at ip is attempted (a fetch fault counts)
        let off = ip - base;
        if (!(off >= 0 && off < Page.SIZE)) {
          cp = this.codePageAt(ip);
          base = cp.base;
          off = ip - base;
        }
        let insn = cp.insns[off] ?? this.decodeAt(cp, off, ip);
        const fl = this.flags;
        const b = insn.block;
        let r: number;
        if (b !== null && (fl & (Fl.TF | Fl.RF)) === 0 && max - n >= b.len - 1) {
          blk = b;
          r = b.run(this);
          blk = null;
          n += b.len - 1;
          insn = b.last;
        } else {
          r = insn.fn(this, insn);
          if (++insn.heat === Jit.HOT && cp.compilable) this.compile(cp, insn);
          if (r <= X.FAR && fl & (Fl.TF | Fl.RF)) {
            this.flags &= ~Fl.RF;
            if (fl & Fl.TF) code = Stop.STEP;
          }
        }
        if (r <= X.FAR) {
          ip = r === X.NEXT ? insn.next : r === X.TAKEN ? insn.target : r === X.JUMP ? this.jumpTo : -1;
          if (code === Stop.STEP) break;
          continue;
        }
        ip = insn.next;
        if (r === X.SYSCALL) {
          this.flags &= ~Fl.RF;
          code = fl & Fl.TF ? Stop.SYSCALL_TF : X.SYSCALL;
        } else {
          code = r;
        }
        break;
      }
    } catch (e) {
      if (!(e instanceof CpuFault)) throw e;
      if (blk !== null) {
        // the block's instructions before the faulting one completed; n counted its first
        n += this.pos;
        ip = blk.insns[this.pos]!.addr;
      }
      this.lastFault = e.result;
      code = Stop.FAULT;
    }
    this.lastCp = cp;
    this.steps = n;
    if (ip >= 0) {
      regs.lo[Reg.RIP] = ip | 0;
      regs.hi[Reg.RIP] = Math.floor(ip / Addr.TWO32);
    }
    regs.rflags = this.flags;
    return code;
  }

  /** Compiles the block that starts with `first`: decoded instructions of cp up to the first that ends a block. */
  private compile(cp: CodePage, first: Insn): void {
    const run: Insn[] = [];
    for (let i: Insn | null = first; i !== null && run.length < Jit.MAX_LEN && !outsideBlocks(i);) {
      run.push(i);
      if (endsBlock(i)) break;
      i = this.peekInsn(cp, i.next - cp.base);
    }
    if (run.length < 2) return; // one instruction runs as fast interpreted
    first.block = compileBlock(run);
    this.blocks++;
  }

  /** The instruction at offset `off` of cp, decoded (and cached) if needed; null if it is not all in the page. */
  private peekInsn(cp: CodePage, off: number): Insn | null {
    if (off >= Page.SIZE) return null;
    const cached = cp.insns[off];
    if (cached !== undefined) return cached;
    const insn = new Insn();
    const status = decodeInsn(cp.data, off, Page.SIZE, insn);
    if (status !== Dec.OK && status !== Dec.UNDEFINED) return null;
    this.finish(insn, cp.data, off, cp.base + off);
    cp.insns[off] = insn;
    return insn;
  }

  /** The code page holding `ip`, checked executable (a fetch fault otherwise). */
  private codePageAt(ip: number): CodePage {
    if (ip < 0 || ip >= Addr.LOW_END) throw this.fetchFault(ip);
    const pfn = Math.floor(ip / Page.SIZE);
    let cp = this.codePages.get(pfn);
    if (cp !== undefined && cp.gen === this.tlbSeen) return cp;
    const page = this.pageFor(pfn, "fetch", ip);
    const compilable = !(page.prot & Prot.WRITE);
    if (cp === undefined) {
      cp = new CodePage(pfn, page.data, this.tlbSeen, compilable);
      this.codePages.set(pfn, cp);
    } else {
      if (cp.data !== page.data || cp.compilable !== compilable) {
        // other bytes, or blocks that a store could now change under them: decode again
        cp.data = page.data;
        cp.compilable = compilable;
        cp.insns = new Array<Insn | undefined>(Page.SIZE);
        cp.seen.fill(0);
      }
      cp.gen = this.tlbSeen;
    }
    return cp;
  }

  /** Decodes and binds the instruction at `off` of `cp` (address ip), caching it unless it crosses the page end. */
  private decodeAt(cp: CodePage, off: number, ip: number): Insn {
    let insn = new Insn();
    let bytes = cp.data;
    let from = off;
    let status = decodeInsn(bytes, off, Page.SIZE, insn);
    const crosses = status === Dec.NEED_MORE;
    if (crosses) {
      // the instruction continues on the next page, which must be executable too
      const next = cp.base + Page.SIZE;
      if (next >= Addr.LOW_END) throw this.gp(`instruction fetch past the canonical range at 0x${next.toString(16)}`);
      const more = this.pageFor(cp.pfn + 1, "fetch", next).data;
      const k = Page.SIZE - off;
      bytes = this.scratch;
      from = 0;
      bytes.set(cp.data.subarray(off), 0);
      bytes.set(more.subarray(0, MAX_INSN_LEN - k), k);
      insn = new Insn();
      status = decodeInsn(bytes, 0, MAX_INSN_LEN, insn);
    }
    if (status === Dec.TOO_LONG) throw this.gp("instruction longer than 15 bytes");
    this.finish(insn, bytes, from, ip);
    // Cache it the second time it runs: code that runs once (stepping through fresh code) leaves
    // only young garbage, which is cheaper for V8 than thousands of cached objects to promote.
    if (!crosses && cp.seen[off]++) cp.insns[off] = insn;
    return insn;
  }

  /** Binds a decoded instruction (whose bytes start at bytes[from]) to address ip. */
  private finish(insn: Insn, bytes: Uint8Array, from: number, ip: number): void {
    if (insn.op === Op.UNDEFINED) insn.reason += ` (bytes ${hexBytes(bytes.subarray(from, from + insn.len))})`;
    bind(insn, ip);
  }

  /** Drops the decoded instructions that overlap bytes [off, off+len) of page pfn. */
  protected override codeStored(pfn: number, data: Uint8Array, off: number, len: number): void {
    const cp = this.codePages.get(pfn);
    if (cp !== undefined) {
      const insns = cp.insns;
      for (let k = Math.max(0, off - (MAX_INSN_LEN - 1)); k < off + len; k++) insns[k] = undefined;
      cp.data = data; // the store may have gone to a new copy of the page (copy-on-write)
    }
    this.mem.codeWritten(pfn);
    this.codeSeen = this.mem.codeGeneration;
  }

  protected override codeChanged(): void {
    this.codePages.clear();
    this.lastCp = NO_PAGE;
  }
}

/* ---- step(regs, mem) / run(regs, mem, n): the CPU of a memory, kept with it ---- */

const cpus = new WeakMap<CpuMemory, X86Cpu>();
let lastMem: CpuMemory | null = null;
let lastCpu: X86Cpu | null = null;

/** The CPU that runs code in `mem` (made on first use, kept as long as the memory lives). */
export function cpuFor(mem: CpuMemory): X86Cpu {
  if (mem === lastMem) return lastCpu!;
  let cpu = cpus.get(mem);
  if (cpu === undefined) {
    cpu = new X86Cpu(mem);
    cpus.set(mem, cpu);
  }
  lastMem = mem;
  lastCpu = cpu;
  return cpu;
}

/** Executes the instruction at regs.rip. */
export function step(regs: X86Regs, mem: CpuMemory): StepResult {
  return cpuFor(mem).step(regs);
}

/**
 * Steps until something needs the caller: a syscall, trap or fault, or an ok step whose trapAfter
 * asks for the single-step trap; or until `maxSteps` instructions have been attempted.
 * `steps` counts the instructions attempted, the last one included.
 */
export function run(regs: X86Regs, mem: CpuMemory, maxSteps: number): RunResult {
  return cpuFor(mem).run(regs, maxSteps);
}
