/**
 * The x86-64 CPU interpreter: register state, decoder and executor for a subset of real machine
 * code, independent of the kernel's task structures (ptrace single-step and the `syscall` entry
 * wire it to tasks). Files, one job each:
 *   regs.ts      the register file (X86Regs) and RFLAGS bits
 *   memory.ts    what the CPU needs of an address space (CpuMemory), and the TLB/code contract
 *   insn.ts      the decoded instruction (Insn) the interpreter runs
 *   decode.ts    bytes -> Insn
 *   disasm.ts    Insn -> Instruction with typed operands, and objdump-style text
 *   alu.ts       add/sub/logic/inc/dec and their flags (as code text); jcc conditions
 *   core.ts      registers in use, effective addresses, TLB, loads and stores, faults
 *   execute.ts   one handler per instruction form; bind() picks it
 *   block.ts     hot straight-line runs compiled into one JS function each
 *   cpu.ts       X86Cpu: the run loop, the decoded-instruction cache, step() and run()
 *   results.ts   what a step reports, and the signals of the exceptions
 *   paged_memory.ts  a CpuMemory without a kernel, for tests and benchmarks
 */
export * from "./regs.js";
export * from "./memory.js";
export * from "./results.js";
export { condition, condIndex, CC_MASKS } from "./alu.js";
export { POPF_USER_MASK } from "./execute.js";
export * from "./disasm.js";
export { X86Cpu, cpuFor, step, run } from "./cpu.js";
export { PagedMemory, type ProtSpec } from "./paged_memory.js";
