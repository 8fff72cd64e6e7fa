/**
 * `npm run bench`, the x86-64 interpreter (src/linux/arch/x86/cpu) on its own, without a kernel:
 * instructions per second through run() on a tight loop and on a mixed one, and step() calls per
 * second (one instruction each, as PTRACE_SINGLESTEP runs them). The single-step target of the
 * feature is 100x the real kernel's PTRACE_SINGLESTEP rate including the kernel's own overhead, so
 * the interpreter alone has to be far faster than that.
 */
import { PagedMemory, X86Regs, cpuFor, type RunResult } from "../src/linux/arch/x86/cpu/index.js";
import { assemble } from "../src/ltp/lib/x86_asm/assemble.js";
import { fmtRate } from "./reference.js";

const CODE = 0x401000n;
const DATA = 0x600000n;
const STACK_TOP = 0x7ffffffde000n;

/** `dec rcx; jnz`: two instructions per iteration. */
const LOOP = `
    mov rcx, 0x7fffffff
top:
    dec rcx
    jnz top
    int3`;

/** mov/add/cmp/jcc/push/pop/call/ret with register, immediate and memory operands: 14 instructions per iteration. */
const MIXED = `
    mov rcx, 0x7fffffff
    mov rbx, ${DATA}
top:
    mov rax, rcx
    add rax, 5
    push rax
    mov qword ptr [rbx+8], rax
    pop rdx
    cmp rdx, qword ptr [rbx+8]
    jne bad
    call f
    and rdx, 0xff
    test rdx, rdx
    lea rsi, [rbx+rdx*8]
    dec rcx
    jnz top
    int3
f:  ret
bad: ud2`;

/** A machine with `src` (text, or bytes assembled at CODE) loaded at CODE, a data page and a stack. */
function machine(src: string | Uint8Array): { mem: PagedMemory; regs: X86Regs } {
  const code = typeof src === "string" ? assemble(src, CODE) : src;
  const mem = new PagedMemory();
  mem.map(CODE, code.length, "rx");
  mem.poke(CODE, code);
  mem.map(DATA, 4096, "rw");
  mem.map(STACK_TOP - 4096n, 4096, "rw");
  return { mem, regs: new X86Regs({ rip: CODE, rsp: STACK_TOP - 0x100n }) };
}

function expectLimit(r: RunResult): void {
  if (r.result.kind !== "limit") throw new Error(`bench program stopped: ${JSON.stringify(r.result, (_, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v))}`);
}

/** Instructions per second of `program` ("loop" or "mixed") run by run() in chunks of `chunk` (after a warm-up). */
export function insnRunRate(program: "loop" | "mixed", n = 50_000_000, chunk = 1_000_000): number {
  const { mem, regs } = machine(program === "loop" ? LOOP : MIXED);
  const cpu = cpuFor(mem);
  for (let i = 0; i < 5; i++) expectLimit(cpu.run(regs, 200_000));
  const t0 = performance.now();
  let done = 0;
  while (done < n) {
    const r = cpu.run(regs, chunk);
    expectLimit(r);
    done += r.steps;
  }
  return done / ((performance.now() - t0) / 1000);
}

/** step() calls per second over the `dec rcx; jnz` loop (decoded once, then stepped). */
export function insnStepRate(n = 5_000_000): number {
  const { mem, regs } = machine(LOOP);
  const cpu = cpuFor(mem);
  const once = (k: number) => {
    for (let i = 0; i < k; i++) if (cpu.step(regs).kind !== "ok") throw new Error("bench step did not complete");
  };
  once(200_000);
  const t0 = performance.now();
  once(n);
  return n / ((performance.now() - t0) / 1000);
}

/**
 * step() calls per second on code that runs once (each step decodes): 4000 different
 * instructions in a row, as stepping through fresh code does (each round on a new memory, so
 * nothing is decoded yet; the first rounds warm the JIT up and are not counted).
 */
export function insnFirstStepRate(rounds = 50, warmup = 10): number {
  const forms = [
    "mov rax, rbx", "add rax, 7", "mov qword ptr [rsp-8], rax", "cmp rax, qword ptr [rsp-8]", "lea rdx, [rax+rbx*2+8]",
    "xor ecx, ecx", "inc rcx", "sub rdx, rcx", "test rdx, rdx", "jne next",
  ];
  const n = 4000;
  const code = assemble(Array.from({ length: n }, (_, i) => forms[i % forms.length]!.replace("next", `l${i}\nl${i}:`)).join("\n"), CODE);
  let steps = 0;
  let ms = 0;
  for (let r = 0; r < warmup + rounds; r++) {
    const { mem, regs } = machine(code);
    const cpu = cpuFor(mem);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) if (cpu.step(regs).kind !== "ok") throw new Error("bench step did not complete");
    if (r < warmup) continue;
    ms += performance.now() - t0;
    steps += n;
  }
  return steps / (ms / 1000);
}

const ROUNDS = 3;
const median = (f: () => number) => Array.from({ length: ROUNDS }, f).sort((a, b) => a - b)[ROUNDS >> 1]!;

/** Prints the four rates (median of ROUNDS measurements each). */
export function benchInsn(): void {
  const loop = median(() => insnRunRate("loop"));
  const mixed = median(() => insnRunRate("mixed"));
  const step = median(() => insnStepRate());
  const first = median(() => insnFirstStepRate());
  console.log(`x86 interpreter, run(): dec/jnz loop ${fmtRate(loop)}, mixed loop ${fmtRate(mixed)} instructions (target: >= 20 M/s; median of ${ROUNDS})`);
  console.log(`x86 interpreter, step(): ${fmtRate(step)} on decoded code, ${fmtRate(first)} on code run once (decode + step)`);
}
