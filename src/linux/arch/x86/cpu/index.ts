/**
 * The x86-64 CPU interpreter: register state, decoder and executor for a subset of real machine
 * code, independent of the kernel's task structures (ptrace single-step and the `syscall` entry
 * wire it to tasks).
 */
export * from "./regs.js";
export * from "./decode.js";
export * from "./execute.js";
