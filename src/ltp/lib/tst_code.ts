/**
 * Running machine code on the calling process, for testcases that need real instructions (a
 * `syscall` instruction, a fault, a trap) rather than the libc's calls:
 *
 *     const child = await SAFE_FORK(() => tst_run_code(`
 *         mov eax, 60       ; exit
 *         mov edi, 7
 *         syscall
 *     `));
 *     // waitpid(child) sees exit status 7
 *
 * The code is loaded the way a JIT does it: an anonymous mapping written, then made
 * PROT_READ | PROT_EXEC; it runs with its own stack (a fresh mapping, rsp at its top) and
 * every other register 0. x86-64 only: elsewhere the test ends with TCONF.
 */
import { MAP_ANONYMOUS, MAP_PRIVATE, MAP_STACK, PROT_EXEC, PROT_READ, PROT_WRITE } from "../../linux/include/uapi/mman.js";
import { job } from "../context.js";
import { pokeBytes } from "../libc/memory.js";
import { TCONF, tst_brk } from "./tst_res.js";
import { SAFE_MMAP, SAFE_MPROTECT } from "./tst_safe_macros.js";
import { assembleProgram } from "./x86_asm/assemble.js";

const PAGE_SIZE = 4096;
/** The code's stack: 64 KiB. */
export const TST_CODE_STACK_SIZE = 64 * 1024;

/** Code loaded into the calling process: where it starts, its labels' addresses, its bytes. */
export interface LoadedCode {
  readonly addr: number;
  readonly labels: Readonly<Record<string, number>>;
  readonly bytes: Uint8Array;
}

function requireMachineCode(): void {
  const { target } = job();
  if (target.arch !== "x86_64") tst_brk(TCONF, `machine code is x86-64 only (the target is ${target.arch})`, "arch-unsupported");
  if (!target.current().runMachineCode) tst_brk(TCONF, "the target does not run machine code");
}

/**
 * Loads `code` (bytes, or assembler text for x86_asm/, assembled at the address it is
 * loaded at) into a fresh PROT_READ | PROT_EXEC mapping of the calling process. Loaded before
 * a fork, it is at the same address in the child: a tracer knows where its tracee's code and
 * labels are, as a debugger knows a program's symbols.
 */
export async function tst_load_code(code: Uint8Array | string): Promise<LoadedCode> {
  requireMachineCode();
  // Labels assemble to fixed sizes, so the length does not depend on the address.
  const length = typeof code === "string" ? assembleProgram(code).bytes.length : code.length;
  const size = Math.max(PAGE_SIZE, Math.ceil(length / PAGE_SIZE) * PAGE_SIZE);
  const text = await SAFE_MMAP(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  const program = typeof code === "string" ? assembleProgram(code, BigInt(text)) : null;
  const bytes = program ? program.bytes : (code as Uint8Array);
  pokeBytes(text, bytes);
  await SAFE_MPROTECT(text, size, PROT_READ | PROT_EXEC);
  const labels = program ? Object.fromEntries([...program.labels].map(([k, v]) => [k, Number(v)])) : {};
  return { addr: text, labels, bytes };
}

/**
 * Runs the machine code at `addr` on the calling process with a stack of its own (a fresh
 * mapping, rsp at its top) and every other register 0. It does not return: the process ends
 * by the code's exit call or by the signal of a fault.
 */
export async function tst_run_code_at(addr: number): Promise<never> {
  requireMachineCode();
  const stack = await SAFE_MMAP(0, TST_CODE_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  return job().target.current().runMachineCode!({ ip: addr, sp: stack + TST_CODE_STACK_SIZE });
}

/** tst_load_code() then tst_run_code_at(): the code runs on the calling process. */
export async function tst_run_code(code: Uint8Array | string): Promise<never> {
  return tst_run_code_at((await tst_load_code(code)).addr);
}
