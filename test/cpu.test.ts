/**
 * The x86-64 CPU interpreter (src/linux/arch/x86/cpu) and the test assembler (src/ltp/lib/x86_asm/).
 *
 * Ground truth, all taken on the development machine (Intel Xeon @ 2.50GHz, Linux 6.18, GNU
 * Binutils 2.40):
 *  - encodings: every byte sequence below is what GNU as (`as --64`, `.intel_syntax noprefix`)
 *    emitted for the source text next to it, and the text after it is what `objdump -d -M intel`
 *    printed for those bytes;
 *  - semantics: C probes with inline assembly that ran the instruction on the real CPU and read the
 *    result back (pushfq for flags, a signal handler's ucontext for faults); their output is quoted
 *    next to the assertions as "probe:".
 *
 * Imports are from ../dist (the compiled modules), never from ../src.
 */
import t from "tap";
import type { Test } from "tap";
import {
  X86Regs, PagedMemory, decode, formatInstruction, step, run, cpuFor, SINGLE_STEP_TRAP, DR6_BS,
  CF, PF, AF, ZF, SF, TF, IF, DF, OF, RF, RFLAGS_INIT,
} from "../dist/src/linux/arch/x86/cpu/index.js";
import { assemble, assembleProgram, AsmError } from "../dist/src/ltp/lib/x86_asm/assemble.js";

/* ---- memory: PagedMemory, pages with r/w/x permissions (map, poke and peek are the loader's) ---- */

const PAGE = 4096n;

const CODE = 0x401000n;
const DATA = 0x600000n;
const STACK_TOP = 0x7ffffffde000n;

/** Code at CODE (r-x), a data page at DATA (rw-), a stack page below STACK_TOP (rw-). */
function machine(src: string | Uint8Array, init: ConstructorParameters<typeof X86Regs>[0] = {}) {
  const code = typeof src === "string" ? assemble(src, CODE) : src;
  const mem = new PagedMemory();
  mem.map(CODE, Math.max(code.length, 1), "rx");
  mem.poke(CODE, code);
  mem.map(DATA, 4096, "rw");
  mem.map(STACK_TOP - PAGE, 4096, "rw");
  const regs = new X86Regs({ rip: CODE, rsp: STACK_TOP - 0x100n, ...init });
  return { mem, regs, code };
}

/** A fetch-only memory holding `bytes` at `base`. */
function bytesAt(bytes: Uint8Array, base = 0n) {
  return {
    fetch(addr: bigint, len: number) {
      const o = Number(addr - base);
      return o >= 0 && o + len <= bytes.length ? bytes.subarray(o, o + len) : null;
    },
  };
}

const hexBytes = (s: string) => Uint8Array.from(s.split(" ").filter(Boolean).map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");

/** objdump's Intel text in the decoder's spelling: lower case, ", ", [abs] for ds:abs, no "+0x0", signed rip offsets. */
function objdumpText(s: string): string {
  return s.toLowerCase()
    .replace(/,/g, ", ")
    .replace(/ds:(0x[0-9a-f]+)/, "[$1]")
    .replace(/\+0x0\]/, "]")
    .replace(/\+0x(f{8}[0-9a-f]{8})\]/, (_, h: string) => `-0x${(2n ** 64n - BigInt(`0x${h}`)).toString(16)}]`)
    .replace(/^pushf$/, "pushfq")
    .replace(/^popf$/, "popfq")
    .replace(/^(\S+) ([0-9a-f]+) <.*>$/, "$1 0x$2");
}

/* ---- 1. registers ---- */

t.test("X86Regs: encoding order, sized writes, rflags, clone", async (t) => {
  const r = new X86Regs();
  t.equal(r.rflags, 0x202, "a fresh process starts with IF and the reserved bit 1");
  t.equal(RFLAGS_INIT, 0x202);
  t.same([CF, PF, AF, ZF, SF, TF, IF, DF, OF, RF], [1, 4, 0x10, 0x40, 0x80, 0x100, 0x200, 0x400, 0x800, 0x10000]);
  const names = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"] as const;
  names.forEach((n, i) => r.set(i, BigInt(i + 1) * 0x1111n));
  t.same(names.map((n) => r[n]), names.map((_, i) => BigInt(i + 1) * 0x1111n), "set(n) is the named register in encoding order");
  r.rbx = -1n;
  t.equal(r.get(3), 0xffffffffffffffffn, "values are kept modulo 2^64");
  r.write(3, 32, 0x12345678n);
  t.equal(r.rbx, 0x12345678n, "a 32-bit write zero-extends");
  r.rbx = 0xffffffffffffffffn;
  r.write(3, 16, 0x1234n);
  t.equal(r.rbx, 0xffffffffffff1234n, "a 16-bit write keeps bits 63:16");
  t.equal(r.read(3, 16), 0x1234n);
  r.rflags = 0;
  t.equal(r.rflags, 2, "bit 1 stays set");
  const c = r.clone();
  c.rax = 99n;
  c.rip = 5n;
  t.equal(r.rax, 0x1111n, "clone is independent");
  t.equal(c.orig_rax, -1n, "orig_rax is -1 outside a syscall");
  t.throws(() => r.get(16));
});

/* ---- 2. every supported encoding: decoder vs objdump, assembler vs GNU as ---- */

// [source, bytes GNU as emitted, objdump -M intel text of those bytes]
const ENCODINGS: [string, string, string][] = [
  ["nop", "90", "nop"],
  ["nop dword ptr [rax]", "0f 1f 00", "nop DWORD PTR [rax]"],
  ["nop dword ptr [rax+rax*1+0x0]", "0f 1f 04 00", "nop DWORD PTR [rax+rax*1]"],
  ["nop word ptr [rax+rax*1]", "66 0f 1f 04 00", "nop WORD PTR [rax+rax*1]"],
  ["nop eax", "0f 1f c0", "nop eax"],
  ["pause", "f3 90", "pause"],
  ["endbr64", "f3 0f 1e fa", "endbr64"],
  ["int3", "cc", "int3"],
  ["int1", "f1", "int1"],
  ["hlt", "f4", "hlt"],
  ["ud2", "0f 0b", "ud2"],
  ["syscall", "0f 05", "syscall"],
  ["pushfq", "9c", "pushf"],
  ["popfq", "9d", "popf"],
  ["ret", "c3", "ret"],
  ["push rax", "50", "push rax"],
  ["push rbp", "55", "push rbp"],
  ["push r8", "41 50", "push r8"],
  ["push r15", "41 57", "push r15"],
  ["push qword ptr [rax]", "ff 30", "push QWORD PTR [rax]"],
  ["push qword ptr [rsp+8]", "ff 74 24 08", "push QWORD PTR [rsp+0x8]"],
  ["push 5", "6a 05", "push 0x5"],
  ["push -1", "6a ff", "push 0xffffffffffffffff"],
  ["push 0x80", "68 80 00 00 00", "push 0x80"],
  ["push -0x12345678", "68 88 a9 cb ed", "push 0xffffffffedcba988"],
  ["pop rax", "58", "pop rax"],
  ["pop rsp", "5c", "pop rsp"],
  ["pop r12", "41 5c", "pop r12"],
  ["pop r15", "41 5f", "pop r15"],
  ["mov rax, 39", "48 c7 c0 27 00 00 00", "mov rax,0x27"],
  ["mov rax, -1", "48 c7 c0 ff ff ff ff", "mov rax,0xffffffffffffffff"],
  ["mov r9, 0x7fffffff", "49 c7 c1 ff ff ff 7f", "mov r9,0x7fffffff"],
  ["mov rbx, 0xffffffff", "48 bb ff ff ff ff 00 00 00 00", "movabs rbx,0xffffffff"],
  ["mov rax, 0x123456789abcdef0", "48 b8 f0 de bc 9a 78 56 34 12", "movabs rax,0x123456789abcdef0"],
  ["movabs rax, 1", "48 b8 01 00 00 00 00 00 00 00", "movabs rax,0x1"],
  ["movabs r10, -2", "49 ba fe ff ff ff ff ff ff ff", "movabs r10,0xfffffffffffffffe"],
  ["mov eax, 39", "b8 27 00 00 00", "mov eax,0x27"],
  ["mov r10d, 1", "41 ba 01 00 00 00", "mov r10d,0x1"],
  ["mov eax, -1", "b8 ff ff ff ff", "mov eax,0xffffffff"],
  ["mov ax, 5", "66 b8 05 00", "mov ax,0x5"],
  ["mov r8w, 0x1234", "66 41 b8 34 12", "mov r8w,0x1234"],
  ["mov qword ptr [rsp+8], 5", "48 c7 44 24 08 05 00 00 00", "mov QWORD PTR [rsp+0x8],0x5"],
  ["mov qword ptr [rax], -1", "48 c7 00 ff ff ff ff", "mov QWORD PTR [rax],0xffffffffffffffff"],
  ["mov dword ptr [rax], 5", "c7 00 05 00 00 00", "mov DWORD PTR [rax],0x5"],
  ["mov word ptr [rax], 7", "66 c7 00 07 00", "mov WORD PTR [rax],0x7"],
  ["mov qword ptr [rip+0x100], 0x10", "48 c7 05 00 01 00 00 10 00 00 00", "mov QWORD PTR [rip+0x100],0x10"],
  ["mov rax, rbx", "48 89 d8", "mov rax,rbx"],
  ["mov r8, rsp", "49 89 e0", "mov r8,rsp"],
  ["mov rsp, r15", "4c 89 fc", "mov rsp,r15"],
  ["{load} mov rax, rbx", "48 8b c3", "mov rax,rbx"],
  ["{load} mov r9, r10", "4d 8b ca", "mov r9,r10"],
  ["mov qword ptr [rbp-8], rdi", "48 89 7d f8", "mov QWORD PTR [rbp-0x8],rdi"],
  ["mov rdi, qword ptr [rsp]", "48 8b 3c 24", "mov rdi,QWORD PTR [rsp]"],
  ["mov rax, qword ptr [rip+0x10]", "48 8b 05 10 00 00 00", "mov rax,QWORD PTR [rip+0x10]"],
  ["mov r12, qword ptr [rip-4]", "4c 8b 25 fc ff ff ff", "mov r12,QWORD PTR [rip+0xfffffffffffffffc]"],
  ["mov qword ptr [r12+r13*8+0x100], r14", "4f 89 b4 ec 00 01 00 00", "mov QWORD PTR [r12+r13*8+0x100],r14"],
  ["mov rsi, qword ptr [r13]", "49 8b 75 00", "mov rsi,QWORD PTR [r13+0x0]"],
  ["mov rsi, qword ptr [rbp]", "48 8b 75 00", "mov rsi,QWORD PTR [rbp+0x0]"],
  ["mov rsi, qword ptr [r12]", "49 8b 34 24", "mov rsi,QWORD PTR [r12]"],
  ["mov rax, qword ptr [rax+r12*1]", "4a 8b 04 20", "mov rax,QWORD PTR [rax+r12*1]"],
  ["mov rdx, qword ptr [rax*8]", "48 8b 14 c5 00 00 00 00", "mov rdx,QWORD PTR [rax*8+0x0]"],
  ["mov rax, qword ptr [0x1000]", "48 8b 04 25 00 10 00 00", "mov rax,QWORD PTR ds:0x1000"],
  ["mov rcx, qword ptr [rbx+rsi*2-0x80]", "48 8b 4c 73 80", "mov rcx,QWORD PTR [rbx+rsi*2-0x80]"],
  ["mov rcx, qword ptr [rbx+rsi*2-0x81]", "48 8b 8c 73 7f ff ff ff", "mov rcx,QWORD PTR [rbx+rsi*2-0x81]"],
  ["mov eax, ebx", "89 d8", "mov eax,ebx"],
  ["mov r8d, dword ptr [rdi+4]", "44 8b 47 04", "mov r8d,DWORD PTR [rdi+0x4]"],
  ["mov dword ptr [rsp], eax", "89 04 24", "mov DWORD PTR [rsp],eax"],
  ["mov ax, bx", "66 89 d8", "mov ax,bx"],
  ["mov word ptr [rsi], r9w", "66 44 89 0e", "mov WORD PTR [rsi],r9w"],
  ["lea rax, [rip+0x100]", "48 8d 05 00 01 00 00", "lea rax,[rip+0x100]"],
  ["lea rsi, [rbx+rcx*4+8]", "48 8d 74 8b 08", "lea rsi,[rbx+rcx*4+0x8]"],
  ["lea rdx, [rax*8]", "48 8d 14 c5 00 00 00 00", "lea rdx,[rax*8+0x0]"],
  ["lea rax, [0x1000]", "48 8d 04 25 00 10 00 00", "lea rax,ds:0x1000"],
  ["lea eax, [rdi+1]", "8d 47 01", "lea eax,[rdi+0x1]"],
  ["lea r15, [r15+r15*2]", "4f 8d 3c 7f", "lea r15,[r15+r15*2]"],
  ["lea ax, [rbx+2]", "66 8d 43 02", "lea ax,[rbx+0x2]"],
  ["add rax, rbx", "48 01 d8", "add rax,rbx"],
  ["{load} add rax, rbx", "48 03 c3", "add rax,rbx"],
  ["add rax, 1", "48 83 c0 01", "add rax,0x1"],
  ["add rax, 0x1000", "48 05 00 10 00 00", "add rax,0x1000"],
  ["add rbx, 0x1000", "48 81 c3 00 10 00 00", "add rbx,0x1000"],
  ["add rbx, -0x80", "48 83 c3 80", "add rbx,0xffffffffffffff80"],
  ["add rbx, 0x7f", "48 83 c3 7f", "add rbx,0x7f"],
  ["add rbx, 0x80", "48 81 c3 80 00 00 00", "add rbx,0x80"],
  ["add qword ptr [rsp], 1", "48 83 04 24 01", "add QWORD PTR [rsp],0x1"],
  ["add rax, qword ptr [rbx]", "48 03 03", "add rax,QWORD PTR [rbx]"],
  ["add dword ptr [rax], 0x12345", "81 00 45 23 01 00", "add DWORD PTR [rax],0x12345"],
  ["add eax, 0xffffffff", "83 c0 ff", "add eax,0xffffffff"],
  ["add ax, 1", "66 83 c0 01", "add ax,0x1"],
  ["add ax, 0x100", "66 05 00 01", "add ax,0x100"],
  ["add cx, 0x100", "66 81 c1 00 01", "add cx,0x100"],
  ["or rcx, 1", "48 83 c9 01", "or rcx,0x1"],
  ["or rax, qword ptr [rip+0x20]", "48 0b 05 20 00 00 00", "or rax,QWORD PTR [rip+0x20]"],
  ["or r8, r9", "4d 09 c8", "or r8,r9"],
  ["{load} or r8, r9", "4d 0b c1", "or r8,r9"],
  ["or eax, 0x10000", "0d 00 00 01 00", "or eax,0x10000"],
  ["adc rax, rbx", "48 11 d8", "adc rax,rbx"],
  ["{load} adc rax, rbx", "48 13 c3", "adc rax,rbx"],
  ["adc rdx, 0", "48 83 d2 00", "adc rdx,0x0"],
  ["adc rcx, 0x1000", "48 81 d1 00 10 00 00", "adc rcx,0x1000"],
  ["adc rax, 0x1000", "48 15 00 10 00 00", "adc rax,0x1000"],
  ["sbb rcx, 0", "48 83 d9 00", "sbb rcx,0x0"],
  ["sbb rax, rbx", "48 19 d8", "sbb rax,rbx"],
  ["{load} sbb rax, rbx", "48 1b c3", "sbb rax,rbx"],
  ["sbb ebx, 0x1000", "81 db 00 10 00 00", "sbb ebx,0x1000"],
  ["sbb eax, 0x1000", "1d 00 10 00 00", "sbb eax,0x1000"],
  ["and rax, -16", "48 83 e0 f0", "and rax,0xfffffffffffffff0"],
  ["and r11, 0xfff", "49 81 e3 ff 0f 00 00", "and r11,0xfff"],
  ["and eax, 0xff00", "25 00 ff 00 00", "and eax,0xff00"],
  ["and rax, rbx", "48 21 d8", "and rax,rbx"],
  ["{load} and rax, rbx", "48 23 c3", "and rax,rbx"],
  ["and qword ptr [rdi+8], rsi", "48 21 77 08", "and QWORD PTR [rdi+0x8],rsi"],
  ["sub rsp, 8", "48 83 ec 08", "sub rsp,0x8"],
  ["sub rax, qword ptr [rbx]", "48 2b 03", "sub rax,QWORD PTR [rbx]"],
  ["sub rbx, rcx", "48 29 cb", "sub rbx,rcx"],
  ["{load} sub rbx, rcx", "48 2b d9", "sub rbx,rcx"],
  ["sub ecx, 0x12345", "81 e9 45 23 01 00", "sub ecx,0x12345"],
  ["sub rax, 0x1000", "48 2d 00 10 00 00", "sub rax,0x1000"],
  ["cmp rax, 5", "48 83 f8 05", "cmp rax,0x5"],
  ["cmp rdi, rsi", "48 39 f7", "cmp rdi,rsi"],
  ["{load} cmp rdi, rsi", "48 3b fe", "cmp rdi,rsi"],
  ["cmp qword ptr [rbp-16], 0", "48 83 7d f0 00", "cmp QWORD PTR [rbp-0x10],0x0"],
  ["cmp eax, -1", "83 f8 ff", "cmp eax,0xffffffff"],
  ["cmp rax, 0x1000", "48 3d 00 10 00 00", "cmp rax,0x1000"],
  ["cmp rbx, 0x1000", "48 81 fb 00 10 00 00", "cmp rbx,0x1000"],
  ["xor eax, eax", "31 c0", "xor eax,eax"],
  ["xor rax, rax", "48 31 c0", "xor rax,rax"],
  ["{load} xor rax, rax", "48 33 c0", "xor rax,rax"],
  ["xor r8d, r8d", "45 31 c0", "xor r8d,r8d"],
  ["xor rax, 0x1000", "48 35 00 10 00 00", "xor rax,0x1000"],
  ["xor rbx, 0x55", "48 83 f3 55", "xor rbx,0x55"],
  ["test rax, rax", "48 85 c0", "test rax,rax"],
  ["test rax, 1", "48 a9 01 00 00 00", "test rax,0x1"],
  ["test rbx, 0x100", "48 f7 c3 00 01 00 00", "test rbx,0x100"],
  ["test eax, 1", "a9 01 00 00 00", "test eax,0x1"],
  ["test qword ptr [rax], rbx", "48 85 18", "test QWORD PTR [rax],rbx"],
  ["test ax, 0x8000", "66 a9 00 80", "test ax,0x8000"],
  ["test dword ptr [rbx], 0x10", "f7 03 10 00 00 00", "test DWORD PTR [rbx],0x10"],
  ["inc rax", "48 ff c0", "inc rax"],
  ["inc r9", "49 ff c1", "inc r9"],
  ["inc qword ptr [rdi]", "48 ff 07", "inc QWORD PTR [rdi]"],
  ["inc eax", "ff c0", "inc eax"],
  ["inc ax", "66 ff c0", "inc ax"],
  ["dec r15", "49 ff cf", "dec r15"],
  ["dec dword ptr [rax+4]", "ff 48 04", "dec DWORD PTR [rax+0x4]"],
  ["dec rcx", "48 ff c9", "dec rcx"],
  ["call rax", "ff d0", "call rax"],
  ["call r11", "41 ff d3", "call r11"],
  ["call qword ptr [rip+8]", "ff 15 08 00 00 00", "call QWORD PTR [rip+0x8]"],
  ["call qword ptr [rbx+0x10]", "ff 53 10", "call QWORD PTR [rbx+0x10]"],
  ["jmp rax", "ff e0", "jmp rax"],
  ["jmp r15", "41 ff e7", "jmp r15"],
  ["jmp qword ptr [rbx+8]", "ff 63 08", "jmp QWORD PTR [rbx+0x8]"],
];

t.test("decoder and assembler agree with GNU as / objdump on every supported encoding", async (t) => {
  for (const [src, gnuHex, objdump] of ENCODINGS) {
    const bytes = hexBytes(gnuHex);
    const d = decode(bytesAt(bytes), 0n);
    const got = d.kind === "insn"
      ? { length: d.insn.length, text: formatInstruction(d.insn), asm: toHex(assemble(src)) }
      : { kind: d.kind };
    t.same(got, { length: bytes.length, text: objdumpText(objdump), asm: gnuHex }, src);
  }
});

t.test("decoded fields", async (t) => {
  const one = (hex: string, base = 0n) => {
    const d = decode(bytesAt(hexBytes(hex), base), base);
    if (d.kind !== "insn") throw new Error(`${hex}: ${d.kind}`);
    return d.insn;
  };
  // mov qword ptr [r12+r13*8+0x100], r14 (REX.WRXB = 4f)
  let i = one("4f 89 b4 ec 00 01 00 00");
  t.same([i.op, i.opsize, i.rex, i.opcode, i.length], ["mov", 64, 0x4f, 0x89, 8]);
  t.same(i.operands[0], { kind: "mem", size: 64, base: 12, index: 13, scale: 8, disp: 0x100n, dispSize: 32, rip: false });
  t.same(i.operands[1], { kind: "reg", reg: 14, size: 64 });
  // mov r12, [rip-4] at 0x401000: RIP-relative, displacement signed
  i = one("4c 8b 25 fc ff ff ff", CODE);
  t.match(i.operands[1], { kind: "mem", rip: true, base: null, index: null, disp: -4n });
  // mov rax, -1 (imm32 sign-extended to 64) and mov eax, -1 (imm32, zero-extended by the write)
  t.match(one("48 c7 c0 ff ff ff ff").operands[1], { kind: "imm", value: 0xffffffffffffffffn, encSize: 32 });
  t.match(one("b8 ff ff ff ff").operands, [{ reg: 0, size: 32 }, { value: 0xffffffffn, size: 32 }]);
  // movabs r10, imm64
  i = one("49 ba fe ff ff ff ff ff ff ff");
  t.same([i.mnemonic, i.length], ["movabs", 10]);
  t.match(i.operands, [{ reg: 10 }, { value: 0xfffffffffffffffen, encSize: 64 }]);
  // 83 /n imm8 sign-extended; 81 /7 (cmp) with REX.B
  t.match(one("48 83 c3 80").operands[1], { value: 0xffffffffffffff80n, encSize: 8 });
  i = one("49 81 ff 00 10 00 00");
  t.same([i.op, i.operands[0]], ["cmp", { kind: "reg", reg: 15, size: 64 }]);
  // jcc rel32 at 0x401000: target = next + rel
  i = one("0f 8c fd fe ff ff", CODE);
  t.same([i.op, i.mnemonic, i.cond, i.length], ["jcc", "jl", 12, 6]);
  t.match(i.operands[0], { kind: "rel", disp: -0x103n, target: CODE + 6n - 0x103n, encSize: 32 });
  // [rax*8] and [0x1000]: SIB with no base
  t.match(one("48 8b 14 c5 00 00 00 00").operands[1], { base: null, index: 0, scale: 8, disp: 0n });
  t.match(one("48 8b 04 25 00 10 00 00").operands[1], { base: null, index: null, disp: 0x1000n, rip: false });
  // r12 as an index needs REX.X; SIB index 100 without it means "no index"
  t.match(one("4a 8b 04 20").operands[1], { base: 0, index: 12, scale: 1 });
  t.match(one("49 8b 34 24").operands[1], { base: 12, index: null });
  // mod=00 rm=101 with REX.B is still RIP-relative, not r13
  t.match(one("49 8b 05 00 00 00 00").operands[1], { rip: true, base: null });
});

/* ---- 3. branches and rel8/rel32 relaxation ---- */

const CCS = ["jo", "jno", "jb", "jae", "je", "jne", "jbe", "ja", "js", "jns", "jp", "jnp", "jl", "jge", "jle", "jg"];
const BRANCH_SRC = [
  "top:", "nop", "jmp top", "jmp fwd", ...CCS.map((c) => `${c} top`), "jz fwd", "jnz top", "call func",
  "fwd:", ...Array<string>(130).fill("nop"),
  "jmp top", ...CCS.map((c) => `${c} top`), "jmp far_fwd", "jc far_fwd", "call func",
  ...Array<string>(130).fill("nop"),
  "far_fwd:", "func:", "ret",
].join("\n");
// GNU as on BRANCH_SRC: [offset, bytes, objdump text] of every instruction but the nops
const BRANCHES: [number, string, string][] = [
  [0x1, "eb fd", "jmp 0 <top>"],
  [0x3, "eb 29", "jmp 2e <fwd>"],
  [0x5, "70 f9", "jo 0 <top>"],
  [0x7, "71 f7", "jno 0 <top>"],
  [0x9, "72 f5", "jb 0 <top>"],
  [0xb, "73 f3", "jae 0 <top>"],
  [0xd, "74 f1", "je 0 <top>"],
  [0xf, "75 ef", "jne 0 <top>"],
  [0x11, "76 ed", "jbe 0 <top>"],
  [0x13, "77 eb", "ja 0 <top>"],
  [0x15, "78 e9", "js 0 <top>"],
  [0x17, "79 e7", "jns 0 <top>"],
  [0x19, "7a e5", "jp 0 <top>"],
  [0x1b, "7b e3", "jnp 0 <top>"],
  [0x1d, "7c e1", "jl 0 <top>"],
  [0x1f, "7d df", "jge 0 <top>"],
  [0x21, "7e dd", "jle 0 <top>"],
  [0x23, "7f db", "jg 0 <top>"],
  [0x25, "74 07", "je 2e <fwd>"],
  [0x27, "75 d7", "jne 0 <top>"],
  [0x29, "e8 79 01 00 00", "call 1a7 <far_fwd>"],
  [0xb0, "e9 4b ff ff ff", "jmp 0 <top>"],
  [0xb5, "0f 80 45 ff ff ff", "jo 0 <top>"],
  [0xbb, "0f 81 3f ff ff ff", "jno 0 <top>"],
  [0xc1, "0f 82 39 ff ff ff", "jb 0 <top>"],
  [0xc7, "0f 83 33 ff ff ff", "jae 0 <top>"],
  [0xcd, "0f 84 2d ff ff ff", "je 0 <top>"],
  [0xd3, "0f 85 27 ff ff ff", "jne 0 <top>"],
  [0xd9, "0f 86 21 ff ff ff", "jbe 0 <top>"],
  [0xdf, "0f 87 1b ff ff ff", "ja 0 <top>"],
  [0xe5, "0f 88 15 ff ff ff", "js 0 <top>"],
  [0xeb, "0f 89 0f ff ff ff", "jns 0 <top>"],
  [0xf1, "0f 8a 09 ff ff ff", "jp 0 <top>"],
  [0xf7, "0f 8b 03 ff ff ff", "jnp 0 <top>"],
  [0xfd, "0f 8c fd fe ff ff", "jl 0 <top>"],
  [0x103, "0f 8d f7 fe ff ff", "jge 0 <top>"],
  [0x109, "0f 8e f1 fe ff ff", "jle 0 <top>"],
  [0x10f, "0f 8f eb fe ff ff", "jg 0 <top>"],
  [0x115, "e9 8d 00 00 00", "jmp 1a7 <far_fwd>"],
  [0x11a, "0f 82 87 00 00 00", "jb 1a7 <far_fwd>"],
  [0x120, "e8 82 00 00 00", "call 1a7 <far_fwd>"],
  [0x1a7, "c3", "ret"],
];

t.test("branches: rel8 when it fits, rel32 otherwise, all 16 conditions, as GNU as", async (t) => {
  const p = assembleProgram(BRANCH_SRC);
  const listed = p.listing.filter((l) => toHex(l.bytes) !== "90").map((l) => [Number(l.addr), toHex(l.bytes)]);
  t.same(listed, BRANCHES.map(([off, hex]) => [off, hex]), "same offsets and bytes as GNU as");
  t.equal(p.bytes.length, 0x1a8);
  t.same([p.labels.get("top"), p.labels.get("fwd"), p.labels.get("far_fwd")], [0n, 0x2en, 0x1a7n]);
  const mem = bytesAt(p.bytes);
  for (const [off, , text] of BRANCHES) {
    const d = decode(mem, BigInt(off));
    t.equal(d.kind === "insn" ? formatInstruction(d.insn) : d.kind, objdumpText(text), `decode at 0x${off.toString(16)}`);
  }
});

/* ---- 4. prefixes, limits, undefined bytes ---- */

t.test("decoder: prefixes and the 15-byte limit", async (t) => {
  const dec = (hex: string) => decode(bytesAt(hexBytes(hex)), 0n);
  // probe: "48 66 89 d8: rax=0x1111111111112222" (rax=0x1111.., rbx=0x2222..): a REX followed by
  // another prefix is ignored, so this is mov ax, bx
  const m = machine(hexBytes("48 66 89 d8"), { rax: 0x1111111111111111n, rbx: 0x2222222222222222n });
  t.equal(step(m.regs, m.mem).kind, "ok");
  t.equal(m.regs.rax, 0x1111111111112222n, "48 66 89 d8 is mov ax, bx");
  let d = dec("66 2e 0f 1f 84 00 00 00 00 00"); // GCC's 10-byte padding nop (nopw cs:[rax+rax*1+0x0])
  t.match(d, { kind: "insn", insn: { op: "nop", length: 10, segment: "cs" } });
  t.match(dec("66 90"), { kind: "insn", insn: { op: "nop", length: 2 } });
  t.match(dec("48 90"), { kind: "insn", insn: { op: "nop", length: 2 } });
  t.match(dec("41 90"), { kind: "undefined", unsupported: true }, "41 90 is xchg eax, r8d, not a nop");
  // probe: "14 x 66 + 90 (15 bytes): ok", "15 x 66 + 90 (16 bytes): sig=11 code=128 addr=0x0 rip=start+0"
  t.match(dec("66 ".repeat(14) + "90"), { kind: "insn", insn: { length: 15 } });
  d = dec("66 ".repeat(15) + "90");
  t.equal(d.kind, "gp", "16 bytes: #GP");
  const g = machine(hexBytes("66 ".repeat(15) + "90"));
  t.match(step(g.regs, g.mem), { kind: "fault", signal: "SIGSEGV", addr: 0n, reason: "gp" });
  t.equal(g.regs.rip, CODE);
});

t.test("undefined, unsupported and truncated instructions are results, never exceptions", async (t) => {
  const cases: [string, string, boolean][] = [
    ["06", "push es: invalid in 64-bit mode", false],
    ["d6", "salc: invalid in 64-bit mode", false],
    ["0f ff", "ud0", false],
    ["8d c0", "lea with a register source", false],
    ["ff f8", "ff /7", false],
    ["0f a2", "cpuid (valid, not implemented here)", true],
    ["88 c0", "8-bit mov (not implemented here)", true],
    ["f0 48 01 00", "lock prefix", true],
    ["67 48 8b 00", "address-size prefix", true],
    ["64 48 8b 00", "fs override", true],
    ["66 50", "16-bit push", true],
  ];
  for (const [hex, what, unsupported] of cases) {
    const m = machine(hexBytes(hex));
    const d = decode(m.mem, CODE);
    t.match(d, { kind: "undefined", addr: CODE, unsupported }, what);
    t.match(step(m.regs, m.mem), { kind: "fault", signal: "SIGILL", addr: CODE, reason: unsupported ? "unsupported" : "invalid" }, `${what}: SIGILL`);
    t.equal(m.regs.rip, CODE);
  }
  // 5000 random byte strings: decode and step always return
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  const kinds = new Set<string>();
  let threw = 0;
  for (let n = 0; n < 5000; n++) {
    const bytes = Uint8Array.from({ length: 1 + (rnd() % 15) }, rnd);
    const m = machine(bytes, { rax: DATA, rbx: DATA + 8n, rsi: 0x10n, rdi: STACK_TOP - 0x80n });
    try {
      kinds.add(step(m.regs, m.mem).kind);
    } catch {
      threw++;
    }
  }
  t.equal(threw, 0, "no exception from 5000 random instructions");
  t.ok(kinds.has("ok") && kinds.has("fault"), [...kinds].join(" "));
});

/* ---- 5. flags ---- */

// Probe output: "op size a b rflags-in result rflags-out&0xfd5", from flags.c, which for every line
// ran `push rflags-in; popfq; <op> %b, %a; pushfq; pop` on the CPU (AT&T order: a = a op b; inc/dec
// take only a). The probe covered add/sub/cmp/adc/sbb/and/or/xor/test/inc/dec x 64/32/16 bits x
// rflags-in 0x202 and 0xad7 (770 lines, all matched when this was written); quoted here is a subset:
// add/sub/cmp with 0x202, adc/sbb/inc with 0xad7 (CF=1 in), dec with 0x202 (CF=0 in), the logic ops
// with 0xad7 (they clear CF, OF and, on this Intel CPU, AF, whatever came in). Only adc, sbb, inc
// and dec gave results that depended on rflags-in. 32-bit results show the zero-extension, 16-bit
// ones the untouched bits 63:16.
const FLAGS_PROBE = `
add 64 0x7fffffffffffffff 0x1 0x202 0x8000000000000000 0xa94
add 64 0x0 0x1 0x202 0x1 0x200
add 64 0xffffffffffffffff 0x1 0x202 0x0 0x255
add 64 0x8000000000000000 0x1 0x202 0x8000000000000001 0x280
add 64 0x8000000000000000 0x8000000000000000 0x202 0x0 0xa45
add 64 0xf 0x1 0x202 0x10 0x210
add 64 0x10 0x1 0x202 0x11 0x204
add 64 0x5 0x5 0x202 0xa 0x204
add 64 0x1 0x2 0x202 0x3 0x204
add 64 0x123456789abcdef0 0xfedcba987654321 0x202 0x2222222222222211 0x204
add 64 0xff 0x1 0x202 0x100 0x214
add 64 0x3 0xffffffffffffffff 0x202 0x2 0x211
add 64 0x8000000000000000 0x7fffffffffffffff 0x202 0xffffffffffffffff 0x284
add 64 0x0 0x0 0x202 0x0 0x244
add 32 0xdead00007fffffff 0x1 0x202 0x80000000 0xa94
add 32 0xdead000000000000 0x1 0x202 0x1 0x200
add 32 0xdead0000ffffffff 0x1 0x202 0x0 0x255
add 32 0x80000000 0x80000000 0x202 0x0 0xa45
add 32 0x10 0x1 0x202 0x11 0x204
add 32 0x80000000 0x7fffffff 0x202 0xffffffff 0x284
add 16 0xdeadbeef00007fff 0x1 0x202 0xdeadbeef00008000 0xa94
add 16 0xdeadbeef00000000 0x1 0x202 0xdeadbeef00000001 0x200
add 16 0xdeadbeef0000ffff 0x1 0x202 0xdeadbeef00000000 0x255
add 16 0x8000 0x7fff 0x202 0xffff 0x284
sub 64 0x7fffffffffffffff 0x1 0x202 0x7ffffffffffffffe 0x200
sub 64 0x0 0x1 0x202 0xffffffffffffffff 0x295
sub 64 0xffffffffffffffff 0x1 0x202 0xfffffffffffffffe 0x280
sub 64 0x8000000000000000 0x1 0x202 0x7fffffffffffffff 0xa14
sub 64 0x8000000000000000 0x8000000000000000 0x202 0x0 0x244
sub 64 0xf 0x1 0x202 0xe 0x200
sub 64 0x10 0x1 0x202 0xf 0x214
sub 64 0x5 0x5 0x202 0x0 0x244
sub 64 0x1 0x2 0x202 0xffffffffffffffff 0x295
sub 64 0x123456789abcdef0 0xfedcba987654321 0x202 0x2468acf13579bcf 0x214
sub 64 0xff 0x1 0x202 0xfe 0x200
sub 64 0x3 0xffffffffffffffff 0x202 0x4 0x211
sub 64 0x8000000000000000 0x7fffffffffffffff 0x202 0x1 0xa10
sub 64 0x0 0x0 0x202 0x0 0x244
sub 32 0xdead00007fffffff 0x1 0x202 0x7ffffffe 0x200
sub 32 0xdead000000000000 0x1 0x202 0xffffffff 0x295
sub 32 0xdead0000ffffffff 0x1 0x202 0xfffffffe 0x280
sub 32 0x80000000 0x80000000 0x202 0x0 0x244
sub 32 0x10 0x1 0x202 0xf 0x214
sub 32 0x80000000 0x7fffffff 0x202 0x1 0xa10
sub 16 0xdeadbeef00007fff 0x1 0x202 0xdeadbeef00007ffe 0x200
sub 16 0xdeadbeef00000000 0x1 0x202 0xdeadbeef0000ffff 0x295
sub 16 0xdeadbeef0000ffff 0x1 0x202 0xdeadbeef0000fffe 0x280
sub 16 0x8000 0x7fff 0x202 0x1 0xa10
cmp 64 0x7fffffffffffffff 0x1 0x202 0x7fffffffffffffff 0x200
cmp 64 0x0 0x1 0x202 0x0 0x295
cmp 64 0xffffffffffffffff 0x1 0x202 0xffffffffffffffff 0x280
cmp 64 0x8000000000000000 0x1 0x202 0x8000000000000000 0xa14
cmp 64 0x8000000000000000 0x8000000000000000 0x202 0x8000000000000000 0x244
cmp 64 0xf 0x1 0x202 0xf 0x200
cmp 64 0x10 0x1 0x202 0x10 0x214
cmp 64 0x5 0x5 0x202 0x5 0x244
cmp 64 0x1 0x2 0x202 0x1 0x295
cmp 64 0x123456789abcdef0 0xfedcba987654321 0x202 0x123456789abcdef0 0x214
cmp 64 0xff 0x1 0x202 0xff 0x200
cmp 64 0x3 0xffffffffffffffff 0x202 0x3 0x211
cmp 64 0x8000000000000000 0x7fffffffffffffff 0x202 0x8000000000000000 0xa10
cmp 64 0x0 0x0 0x202 0x0 0x244
cmp 32 0xdead00007fffffff 0x1 0x202 0xdead00007fffffff 0x200
cmp 32 0xdead000000000000 0x1 0x202 0xdead000000000000 0x295
cmp 32 0xdead0000ffffffff 0x1 0x202 0xdead0000ffffffff 0x280
cmp 32 0x80000000 0x80000000 0x202 0x80000000 0x244
cmp 32 0x10 0x1 0x202 0x10 0x214
cmp 32 0x80000000 0x7fffffff 0x202 0x80000000 0xa10
cmp 16 0xdeadbeef00007fff 0x1 0x202 0xdeadbeef00007fff 0x200
cmp 16 0xdeadbeef00000000 0x1 0x202 0xdeadbeef00000000 0x295
cmp 16 0xdeadbeef0000ffff 0x1 0x202 0xdeadbeef0000ffff 0x280
cmp 16 0x8000 0x7fff 0x202 0x8000 0xa10
adc 64 0x7fffffffffffffff 0x1 0xad7 0x8000000000000001 0xa90
adc 64 0x0 0x1 0xad7 0x2 0x200
adc 64 0xffffffffffffffff 0x1 0xad7 0x1 0x211
adc 64 0x8000000000000000 0x1 0xad7 0x8000000000000002 0x280
adc 64 0x8000000000000000 0x8000000000000000 0xad7 0x1 0xa01
adc 64 0xf 0x1 0xad7 0x11 0x214
adc 64 0x10 0x1 0xad7 0x12 0x204
adc 64 0x5 0x5 0xad7 0xb 0x200
adc 64 0x1 0x2 0xad7 0x4 0x200
adc 64 0x123456789abcdef0 0xfedcba987654321 0xad7 0x2222222222222212 0x204
adc 64 0xff 0x1 0xad7 0x101 0x210
adc 64 0x3 0xffffffffffffffff 0xad7 0x3 0x215
adc 64 0x8000000000000000 0x7fffffffffffffff 0xad7 0x0 0x255
adc 64 0x0 0x0 0xad7 0x1 0x200
adc 32 0xdead00007fffffff 0x1 0xad7 0x80000001 0xa90
adc 32 0xdead000000000000 0x1 0xad7 0x2 0x200
adc 32 0xdead0000ffffffff 0x1 0xad7 0x1 0x211
adc 32 0x80000000 0x80000000 0xad7 0x1 0xa01
adc 32 0x10 0x1 0xad7 0x12 0x204
adc 32 0x80000000 0x7fffffff 0xad7 0x0 0x255
adc 16 0xdeadbeef00007fff 0x1 0xad7 0xdeadbeef00008001 0xa90
adc 16 0xdeadbeef00000000 0x1 0xad7 0xdeadbeef00000002 0x200
adc 16 0xdeadbeef0000ffff 0x1 0xad7 0xdeadbeef00000001 0x211
adc 16 0x8000 0x7fff 0xad7 0x0 0x255
sbb 64 0x7fffffffffffffff 0x1 0xad7 0x7ffffffffffffffd 0x200
sbb 64 0x0 0x1 0xad7 0xfffffffffffffffe 0x291
sbb 64 0xffffffffffffffff 0x1 0xad7 0xfffffffffffffffd 0x280
sbb 64 0x8000000000000000 0x1 0xad7 0x7ffffffffffffffe 0xa10
sbb 64 0x8000000000000000 0x8000000000000000 0xad7 0xffffffffffffffff 0x295
sbb 64 0xf 0x1 0xad7 0xd 0x200
sbb 64 0x10 0x1 0xad7 0xe 0x210
sbb 64 0x5 0x5 0xad7 0xffffffffffffffff 0x295
sbb 64 0x1 0x2 0xad7 0xfffffffffffffffe 0x291
sbb 64 0x123456789abcdef0 0xfedcba987654321 0xad7 0x2468acf13579bce 0x210
sbb 64 0xff 0x1 0xad7 0xfd 0x200
sbb 64 0x3 0xffffffffffffffff 0xad7 0x3 0x215
sbb 64 0x8000000000000000 0x7fffffffffffffff 0xad7 0x0 0xa54
sbb 64 0x0 0x0 0xad7 0xffffffffffffffff 0x295
sbb 32 0xdead00007fffffff 0x1 0xad7 0x7ffffffd 0x200
sbb 32 0xdead000000000000 0x1 0xad7 0xfffffffe 0x291
sbb 32 0xdead0000ffffffff 0x1 0xad7 0xfffffffd 0x280
sbb 32 0x80000000 0x80000000 0xad7 0xffffffff 0x295
sbb 32 0x10 0x1 0xad7 0xe 0x210
sbb 32 0x80000000 0x7fffffff 0xad7 0x0 0xa54
sbb 16 0xdeadbeef00007fff 0x1 0xad7 0xdeadbeef00007ffd 0x200
sbb 16 0xdeadbeef00000000 0x1 0xad7 0xdeadbeef0000fffe 0x291
sbb 16 0xdeadbeef0000ffff 0x1 0xad7 0xdeadbeef0000fffd 0x280
sbb 16 0x8000 0x7fff 0xad7 0x0 0xa54
and 64 0x7fffffffffffffff 0x1 0xad7 0x1 0x200
and 64 0x0 0x1 0xad7 0x0 0x244
and 64 0x8000000000000000 0x8000000000000000 0xad7 0x8000000000000000 0x284
and 64 0x5 0x5 0xad7 0x5 0x204
and 64 0x123456789abcdef0 0xfedcba987654321 0xad7 0x224422882244220 0x200
and 64 0xff 0x1 0xad7 0x1 0x200
or 64 0x7fffffffffffffff 0x1 0xad7 0x7fffffffffffffff 0x204
or 64 0x0 0x1 0xad7 0x1 0x200
or 64 0x8000000000000000 0x8000000000000000 0xad7 0x8000000000000000 0x284
or 64 0x5 0x5 0xad7 0x5 0x204
or 64 0x123456789abcdef0 0xfedcba987654321 0xad7 0x1ffddff99ffddff1 0x200
or 64 0xff 0x1 0xad7 0xff 0x204
xor 64 0x7fffffffffffffff 0x1 0xad7 0x7ffffffffffffffe 0x200
xor 64 0x0 0x1 0xad7 0x1 0x200
xor 64 0x8000000000000000 0x8000000000000000 0xad7 0x0 0x244
xor 64 0x5 0x5 0xad7 0x0 0x244
xor 64 0x123456789abcdef0 0xfedcba987654321 0xad7 0x1dd99dd11dd99dd1 0x204
xor 64 0xff 0x1 0xad7 0xfe 0x200
test 64 0x7fffffffffffffff 0x1 0xad7 0x7fffffffffffffff 0x200
test 64 0x0 0x1 0xad7 0x0 0x244
test 64 0x8000000000000000 0x8000000000000000 0xad7 0x8000000000000000 0x284
test 64 0x5 0x5 0xad7 0x5 0x204
test 64 0x123456789abcdef0 0xfedcba987654321 0xad7 0x123456789abcdef0 0x200
test 64 0xff 0x1 0xad7 0xff 0x200
inc 64 0x7fffffffffffffff 0x0 0xad7 0x8000000000000000 0xa95
inc 64 0x0 0x0 0xad7 0x1 0x201
inc 64 0xffffffffffffffff 0x0 0xad7 0x0 0x255
inc 64 0x8000000000000000 0x0 0xad7 0x8000000000000001 0x281
inc 64 0xf 0x0 0xad7 0x10 0x211
inc 64 0x10 0x0 0xad7 0x11 0x205
inc 64 0x5 0x0 0xad7 0x6 0x205
inc 64 0x1 0x0 0xad7 0x2 0x201
inc 64 0x123456789abcdef0 0x0 0xad7 0x123456789abcdef1 0x201
inc 64 0xff 0x0 0xad7 0x100 0x215
inc 64 0x3 0x0 0xad7 0x4 0x201
inc 32 0xdead00007fffffff 0x0 0xad7 0x80000000 0xa95
inc 32 0xdead000000000000 0x0 0xad7 0x1 0x201
inc 32 0xdead0000ffffffff 0x0 0xad7 0x0 0x255
inc 32 0x80000000 0x0 0xad7 0x80000001 0x281
inc 32 0x10 0x0 0xad7 0x11 0x205
inc 16 0xdeadbeef00007fff 0x0 0xad7 0xdeadbeef00008000 0xa95
inc 16 0xdeadbeef00000000 0x0 0xad7 0xdeadbeef00000001 0x201
inc 16 0xdeadbeef0000ffff 0x0 0xad7 0xdeadbeef00000000 0x255
inc 16 0x8000 0x0 0xad7 0x8001 0x281
dec 64 0x7fffffffffffffff 0x0 0x202 0x7ffffffffffffffe 0x200
dec 64 0x0 0x0 0x202 0xffffffffffffffff 0x294
dec 64 0xffffffffffffffff 0x0 0x202 0xfffffffffffffffe 0x280
dec 64 0x8000000000000000 0x0 0x202 0x7fffffffffffffff 0xa14
dec 64 0xf 0x0 0x202 0xe 0x200
dec 64 0x10 0x0 0x202 0xf 0x214
dec 64 0x5 0x0 0x202 0x4 0x200
dec 64 0x1 0x0 0x202 0x0 0x244
dec 64 0x123456789abcdef0 0x0 0x202 0x123456789abcdeef 0x210
dec 64 0xff 0x0 0x202 0xfe 0x200
dec 64 0x3 0x0 0x202 0x2 0x200
dec 32 0xdead00007fffffff 0x0 0x202 0x7ffffffe 0x200
dec 32 0xdead000000000000 0x0 0x202 0xffffffff 0x294
dec 32 0xdead0000ffffffff 0x0 0x202 0xfffffffe 0x280
dec 32 0x80000000 0x0 0x202 0x7fffffff 0xa14
dec 32 0x10 0x0 0x202 0xf 0x214
dec 16 0xdeadbeef00007fff 0x0 0x202 0xdeadbeef00007ffe 0x200
dec 16 0xdeadbeef00000000 0x0 0x202 0xdeadbeef0000ffff 0x294
dec 16 0xdeadbeef0000ffff 0x0 0x202 0xdeadbeef0000fffe 0x280
dec 16 0x8000 0x0 0x202 0x7fff 0xa14
`;

t.test("add/sub/cmp/adc/sbb/inc/dec/and/or/xor/test flags match the real CPU", async (t) => {
  const R: Record<string, [string, string]> = { 64: ["rax", "rbx"], 32: ["eax", "ebx"], 16: ["ax", "bx"] };
  const rows = FLAGS_PROBE.trim().split("\n");
  t.equal(rows.length, 184);
  for (const row of rows) {
    const [op, size, a, b, fin, r, f] = row.trim().split(" ") as [string, string, string, string, string, string, string];
    const [ra, rb] = R[size]!;
    const m = machine(op === "inc" || op === "dec" ? `${op} ${ra}` : `${op} ${ra}, ${rb}`, {
      rax: BigInt(a), rbx: BigInt(b), rflags: Number(fin),
    });
    const res = step(m.regs, m.mem);
    t.same([res.kind, `0x${m.regs.rax.toString(16)}`, `0x${(m.regs.rflags & 0xfd5).toString(16)}`], ["ok", r, f], row.trim());
  }
});

t.test("jcc: the 16 conditions match setcc on the real CPU", async (t) => {
  // probe: "setcc masks (bit k = combination k of CF|PF<<1|ZF<<2|SF<<3|OF<<4): 0xffff0000 0x0000ffff
  // 0xaaaaaaaa 0x55555555 0xf0f0f0f0 0x0f0f0f0f 0xfafafafa 0x05050505 0xff00ff00 0x00ff00ff 0xcccccccc
  // 0x33333333 0x00ffff00 0xff0000ff 0xf0fffff0 0x0f00000f" (jo, jno, jb, jae, je, jne, jbe, ja, js,
  // jns, jp, jnp, jl, jge, jle, jg)
  const probe = [0xffff0000, 0x0000ffff, 0xaaaaaaaa, 0x55555555, 0xf0f0f0f0, 0x0f0f0f0f, 0xfafafafa, 0x05050505,
    0xff00ff00, 0x00ff00ff, 0xcccccccc, 0x33333333, 0x00ffff00, 0xff0000ff, 0xf0fffff0, 0x0f00000f];
  const bits = [CF, PF, ZF, SF, OF];
  for (let cc = 0; cc < 16; cc++) {
    let mask = 0;
    for (const rel of [8, 32]) {
      const code = rel === 8 ? Uint8Array.of(0x70 | cc, 0x10) : Uint8Array.of(0x0f, 0x80 | cc, 0x10, 0, 0, 0);
      mask = 0;
      for (let combo = 0; combo < 32; combo++) {
        let fl = 0x202;
        bits.forEach((b, i) => { if (combo & (1 << i)) fl |= b; });
        const m = machine(code, { rflags: fl });
        step(m.regs, m.mem);
        if (m.regs.rip === CODE + BigInt(code.length) + 0x10n) mask |= 1 << combo;
        else if (m.regs.rip !== CODE + BigInt(code.length)) throw new Error("bad rip");
      }
      t.equal(mask >>> 0, probe[cc], `${CCS[cc]} rel${rel}`);
    }
  }
});

/* ---- 6. traps and faults ---- */

// probe (sig.c: the bytes run from an mmap'd page, the second page unmapped; handler reads si_* and
// the ucontext; rip and addr relative to the code):
//   ud2: sig=4 code=2 addr=start+0x0 rip=start+0 trapno=6 err=0
//   hlt: sig=11 code=128 addr=0x0 rip=start+0 trapno=13 err=0
//   int3: sig=5 code=128 addr=0x0 rip=start+1 trapno=3 err=0
//   int1: sig=5 code=1 addr=start+0x1 rip=start+1 trapno=1 err=0
//   0x06 (invalid in 64-bit): sig=4 code=2 addr=start+0x0 rip=start+0 trapno=6 err=0
//   mov rax,imm32 split at page end: sig=11 code=1 addr=start+0x3 rip=start+0 trapno=14 err=20
//   0f at page end: sig=11 code=1 addr=start+0x1 rip=start+0 trapno=14 err=20
//   invalid 06 at page end: sig=4 code=2 addr=start+0x0 rip=start+0 trapno=6 err=0
//   jmp rax (non-canonical): sig=11 code=128 addr=0x0 rip=start+10 trapno=13 err=0
//   mov rax,[rax] non-canonical: sig=11 code=128 addr=0x0 rip=start+10 trapno=13 err=0
//   mov rax,[0x10]: sig=11 code=1 addr=0x10 rip=start+7 trapno=14 err=4
//   mov rax,[page+4092] (8 bytes crossing): sig=11 code=1 addr=start+0x1000 rip=start+0 trapno=14 err=4
//   mov [page+4092],rax (crossing): sig=11 code=1 addr=start+0x1000 rip=start+0 trapno=14 err=6
// and ss.c:
//   push with non-canonical rsp: sig=7 code=128 addr=0x0 trapno=12
//   mov rax,[rbp] non-canonical: sig=7 code=128 addr=0x0 trapno=12
//   mov rax,[rax] non-canonical: sig=11 code=128 addr=0x0 trapno=13
//   mov rax,[0x7ffffffffffc] (8 bytes crossing into non-canonical): sig=11 code=128 addr=0x0 trapno=13

t.test("int3 and int1 trap with rip one past; ud2 and hlt fault with rip unchanged", async (t) => {
  let m = machine("nop\nint3\nnop");
  t.match(step(m.regs, m.mem), { kind: "ok" });
  t.match(step(m.regs, m.mem), { kind: "trap", signal: "SIGTRAP", reason: "int3", trapAfter: false });
  t.equal(m.regs.rip, CODE + 2n, "int3: rip one past the 0xCC, as the debugger sees it");
  m = machine("int1");
  t.match(step(m.regs, m.mem), { kind: "trap", signal: "SIGTRAP", reason: "int1" });
  t.equal(m.regs.rip, CODE + 1n);
  m = machine("nop\nud2");
  step(m.regs, m.mem);
  const before = m.regs.clone();
  t.match(step(m.regs, m.mem), { kind: "fault", signal: "SIGILL", addr: CODE + 1n, reason: "ud2" });
  t.same(m.regs, before, "ud2: nothing changed");
  m = machine("db 0x0f, 0x0b");
  t.match(step(m.regs, m.mem), { kind: "fault", signal: "SIGILL", addr: CODE });
  m = machine("hlt");
  t.match(step(m.regs, m.mem), { kind: "fault", signal: "SIGSEGV", reason: "hlt", addr: 0n });
  t.equal(m.regs.rip, CODE, "hlt: #GP, rip unchanged");
});

t.test("SIGSEGV for fetches from unmapped memory, at the first missing byte", async (t) => {
  let m = machine("nop");
  m.regs.rip = 0x12345000n;
  t.match(step(m.regs, m.mem), { kind: "fault", signal: "SIGSEGV", reason: "pagefault", access: "fetch", addr: 0x12345000n });
  t.equal(m.regs.rip, 0x12345000n);
  // an instruction that runs off the end of the mapping: #PF at the first byte it needs
  const mem = new PagedMemory();
  mem.map(CODE, 4096, "rx");
  mem.poke(CODE + 4093n, hexBytes("48 c7 c0"));
  const regs = new X86Regs({ rip: CODE + 4093n });
  t.match(step(regs, mem), { kind: "fault", signal: "SIGSEGV", access: "fetch", addr: CODE + 4096n });
  mem.poke(CODE + 4095n, hexBytes("0f"));
  regs.rip = CODE + 4095n;
  t.match(step(regs, mem), { kind: "fault", signal: "SIGSEGV", addr: CODE + 4096n }, "0f at the page end");
  mem.poke(CODE + 4095n, hexBytes("06"));
  t.match(step(regs, mem), { kind: "fault", signal: "SIGILL", addr: CODE + 4095n }, "an invalid opcode at the page end is #UD");
  // a data page is not executable
  m = machine("nop");
  m.regs.rip = DATA;
  t.match(step(m.regs, m.mem), { kind: "fault", signal: "SIGSEGV", access: "fetch", addr: DATA });
});

t.test("data faults: first failing byte, #GP / #SS for non-canonical addresses, no partial effects", async (t) => {
  let m = machine("mov rax, qword ptr [rax]", { rax: 0x10n });
  t.match(step(m.regs, m.mem), { kind: "fault", signal: "SIGSEGV", reason: "pagefault", access: "read", addr: 0x10n });
  t.equal(m.regs.rip, CODE);
  m = machine("mov rax, qword ptr [rbx]", { rbx: DATA + 4092n });
  t.match(step(m.regs, m.mem), { kind: "fault", access: "read", addr: DATA + 4096n }, "8 bytes crossing into an unmapped page");
  m = machine("mov qword ptr [rbx], rax", { rbx: DATA + 4092n, rax: -1n });
  t.match(step(m.regs, m.mem), { kind: "fault", access: "write", addr: DATA + 4096n });
  t.same(m.mem.peek(DATA + 4092n, 4), new Uint8Array(4), "nothing written");
  // a read-modify-write on read-only memory: the load succeeds, the store faults, flags unchanged
  m = machine("add qword ptr [rbx], 1", { rbx: CODE, rflags: 0x202 | CF | ZF });
  const before = m.regs.clone();
  t.match(step(m.regs, m.mem), { kind: "fault", signal: "SIGSEGV", access: "write", addr: CODE });
  t.same(m.regs, before, "registers and flags as before");
  // push onto an unmapped stack: rsp unchanged
  m = machine("push rax", { rsp: 0x1000n });
  t.match(step(m.regs, m.mem), { kind: "fault", access: "write", addr: 0xff8n });
  t.equal(m.regs.rsp, 0x1000n);
  // non-canonical
  m = machine("mov rax, qword ptr [rax]", { rax: 0x8000000000000000n });
  t.match(step(m.regs, m.mem), { kind: "fault", signal: "SIGSEGV", reason: "gp", addr: 0n });
  m = machine("mov rax, qword ptr [rax]", { rax: 0x7ffffffffffcn });
  t.match(step(m.regs, m.mem), { kind: "fault", signal: "SIGSEGV", reason: "gp" }, "crossing into non-canonical: #GP, not #PF");
  m = machine("push rax", { rsp: 0x8000000000000000n });
  t.match(step(m.regs, m.mem), { kind: "fault", signal: "SIGBUS", reason: "ss", addr: 0n });
  m = machine("mov rax, qword ptr [rbp]", { rbp: 0x8000000000000000n });
  t.match(step(m.regs, m.mem), { kind: "fault", signal: "SIGBUS", reason: "ss" }, "rbp base: stack segment");
  m = machine("jmp rax", { rax: 0x8000000000000000n });
  t.match(step(m.regs, m.mem), { kind: "fault", signal: "SIGSEGV", reason: "gp" });
  t.equal(m.regs.rip, CODE, "the branch itself faults (Intel)");
  m = machine("ret");
  m.mem.poke(m.regs.rsp, hexBytes("00 00 00 00 00 00 00 80"));
  const sp = m.regs.rsp;
  t.match(step(m.regs, m.mem), { kind: "fault", reason: "gp" });
  t.same([m.regs.rip, m.regs.rsp], [CODE, sp], "ret to a non-canonical address: nothing popped");
});

/* ---- 7. syscall, pushfq/popfq, single-step ---- */

t.test("syscall: rip past it, rcx = next rip, r11 = rflags", async (t) => {
  // probe: "syscall: rcx==next rip: 1, r11=0x202, rflags before=0x202"
  const m = machine("mov eax, 39\nsyscall\nint3", { rflags: 0x202 | CF | ZF });
  t.match(step(m.regs, m.mem), { kind: "ok" });
  const r = step(m.regs, m.mem);
  t.match(r, { kind: "syscall", trapAfter: false });
  t.equal(m.regs.rax, 39n, "rax holds the number for the caller to dispatch");
  t.equal(m.regs.rip, CODE + 7n);
  t.equal(m.regs.rcx, CODE + 7n);
  t.equal(m.regs.r11, BigInt(0x202 | CF | ZF));
  t.equal(m.regs.rflags, 0x202 | CF | ZF);
});

t.test("pushfq / popfq", async (t) => {
  // round trip
  let m = machine("cmp rax, rbx\npushfq\nxor eax, eax\npopfq\nint3", { rax: 1n, rbx: 2n });
  const r = run(m.regs, m.mem, 10);
  t.match(r, { steps: 5, result: { kind: "trap", reason: "int3" } });
  t.equal(m.regs.rflags & (CF | SF | ZF | PF | AF | OF), CF | SF | PF | AF, "flags of 1 - 2 are back after xor cleared them");
  t.equal(m.regs.rsp, STACK_TOP - 0x100n);
  // the pushed image: RF and VM are not copied
  m = machine("pushfq", { rflags: 0x202 | RF | CF });
  step(m.regs, m.mem);
  t.same(m.mem.peek(m.regs.rsp, 8), hexBytes("03 02 00 00 00 00 00 00"));
  // what user mode may change. probe: "popfq(all ones except TF,AC) from 0x202 -> 0x204ed7",
  // "popfq(AC only) from 0x202 -> 0x40202", "popfq(0) from 0x202 -> 0x202"
  const popf = (v: bigint, rflags = 0x202) => {
    const mm = machine("popfq", { rflags });
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, true);
    mm.mem.poke(mm.regs.rsp, b);
    step(mm.regs, mm.mem);
    return mm.regs.rflags;
  };
  t.equal(popf(0xfffffffffffbfeffn), 0x204ed7, "all but TF/AC: IF stays, IOPL/RF/VM/VIF/VIP ignored");
  t.equal(popf(0x40000n), 0x40202, "AC");
  t.equal(popf(0n), 0x202, "popfq cannot clear IF");
  t.equal(popf(0n, 0x202 | RF | CF), 0x202, "RF is cleared");
  t.equal(popf(0x100n) & TF, TF, "TF can be set");
});

t.test("single-step: the trap follows an instruction that started with TF set", async (t) => {
  // probe (tf.c: a SIGTRAP handler recorded each trap's rip while this code ran on the CPU):
  //   trap 0: rip=L2 si_code=2 ... trap 7: rip=L9 si_code=2 (L2, L3, L4, L5, L6, L7, L8, L9: no
  //   trap after the popfq that set TF, one after the popfq that cleared it),
  //   "pushfq inside single-step pushed 0x302"
  const src = `
    pushfq
    or qword ptr [rsp], 0x100
    popfq
  L1: nop
  L2: nop
  L3: pushfq
  L4: pop rax
  L5: mov rbx, rax
  L6: pushfq
  L7: and qword ptr [rsp], -0x101
  L8: popfq
  L9: nop
  L10: int3`;
  const p = assembleProgram(src, CODE);
  const m = machine(p.bytes);
  const name = new Map([...p.labels].map(([k, v]) => [v, k]));
  const traps: string[] = [];
  for (let i = 0; i < 20; i++) {
    const r = step(m.regs, m.mem);
    if (r.kind !== "ok") break;
    if (r.trapAfter) traps.push(name.get(m.regs.rip) ?? `0x${m.regs.rip.toString(16)}`);
  }
  t.same(traps, ["L2", "L3", "L4", "L5", "L6", "L7", "L8", "L9"]);
  t.equal(m.regs.rbx, 0x302n, "pushfq pushes TF");
  // run() stops on a step that asks for the single-step trap
  const m2 = machine("nop\nnop\nnop", { rflags: 0x202 | TF });
  t.match(run(m2.regs, m2.mem, 10), { steps: 1, result: { kind: "ok", trapAfter: true } });
  t.equal(m2.regs.rip, CODE + 1n);
  // a faulting instruction completes no step
  const m3 = machine("ud2", { rflags: 0x202 | TF });
  t.match(step(m3.regs, m3.mem), { kind: "fault", trapAfter: false });
  const m4 = machine("mov eax, 1\nsyscall", { rflags: 0x202 | TF });
  step(m4.regs, m4.mem);
  t.match(step(m4.regs, m4.mem), { kind: "syscall", trapAfter: true });
});

/* ---- 8. programs ---- */

t.test("loops assembled with labels run the right number of iterations", async (t) => {
  let m = machine(`
      mov rcx, 5
      xor eax, eax
  again:
      add rax, 2
      dec rcx
      jnz again     ; rel8
      int3`);
  let r = run(m.regs, m.mem, 100);
  t.match(r, { steps: 2 + 3 * 5 + 1, result: { kind: "trap", reason: "int3" } });
  t.same([m.regs.rax, m.regs.rcx], [10n, 0n]);
  // a body longer than 127 bytes: the backward jnz takes rel32
  const body = Array<string>(40).fill("add rax, 1").join("\n");
  const src = `mov ecx, 3\nxor eax, eax\ntop:\n${body}\nsub rcx, 1\njne top\ncmp rax, 120\nje ok\nud2\nok: int3`;
  const bytes = assemble(src, CODE);
  t.equal(toHex(bytes.subarray(5 + 2 + 160 + 4, 5 + 2 + 160 + 4 + 2)), "0f 85", "jne is rel32");
  m = machine(bytes);
  r = run(m.regs, m.mem, 1000);
  t.match(r, { steps: 2 + 3 * 42 + 3, result: { kind: "trap", reason: "int3" } });
  t.equal(m.regs.rax, 120n);
  m = machine("l: jmp l");
  t.match(run(m.regs, m.mem, 50), { steps: 50, result: { kind: "limit" } });
});

t.test("call/ret, push/pop, rip-relative data, lea, sized writes", async (t) => {
  const p = assembleProgram(`
      call f
      mov rbx, qword ptr [rip+value]
      lea rsi, [rip+value]
      push rbx
      push rsp
      pop rdx
      pop r9
      mov r8, -1
      mov r8d, 7          ; zero-extends
      mov r10, -1
      mov r10w, 0x1234    ; keeps 63:16
      mov r11, 0x8000000000000000
      lea r12, [r11+r11*2+8]
      lea r13d, [r11-1]    ; 32-bit lea truncates
      int3
  f:  mov eax, 1
      ret
  value: dq 0x1122334455667788`, CODE);
  const m = machine(p.bytes);
  const sp = m.regs.rsp;
  step(m.regs, m.mem);
  t.equal(m.regs.rip, p.labels.get("f"), "call");
  t.same(m.mem.peek(m.regs.rsp, 8), hexBytes("05 10 40 00 00 00 00 00"), "return address pushed");
  const r = run(m.regs, m.mem, 100);
  t.match(r.result, { kind: "trap", reason: "int3" });
  t.equal(m.regs.rsp, sp, "stack balanced");
  t.equal(m.regs.rax, 1n);
  t.equal(m.regs.rbx, 0x1122334455667788n);
  t.equal(m.regs.rsi, p.labels.get("value"));
  t.equal(m.regs.rdx, sp - 8n, "push rsp pushes the value before the push");
  t.equal(m.regs.r9, 0x1122334455667788n);
  t.equal(m.regs.r8, 7n);
  t.equal(m.regs.r10, 0xffffffffffff1234n);
  t.equal(m.regs.r12, 0x8000000000000008n);
  t.equal(m.regs.r13, 0xffffffffn);
  // pop rsp loads rsp from the stack
  const m2 = machine("pop rsp");
  m2.mem.poke(m2.regs.rsp, hexBytes("08 00 60 00 00 00 00 00"));
  step(m2.regs, m2.mem);
  t.equal(m2.regs.rsp, DATA + 8n);
  // indirect call through memory, inc/dec on memory
  const m3 = machine(`
      mov qword ptr [rbx], 41
      inc qword ptr [rbx]
      dec dword ptr [rbx+8]
      call qword ptr [rbx+16]
      int3`, { rbx: DATA });
  m3.mem.poke(DATA + 16n, hexBytes("00 10 40 00 00 00 00 00")); // -> CODE (infinite, stop after 4)
  for (let i = 0; i < 4; i++) step(m3.regs, m3.mem);
  t.same(m3.mem.peek(DATA, 16), hexBytes("2a 00 00 00 00 00 00 00 ff ff ff ff 00 00 00 00"));
  t.equal(m3.regs.rip, CODE);
});

/* ---- 9. the assembler ---- */

t.test("assembler: data, labels, base address, errors with line numbers", async (t) => {
  t.same(assemble('db 0x0f, 0x0b, "hi\\n", 0\ndw 0x1234\ndd -1'), hexBytes("0f 0b 68 69 0a 00 34 12 ff ff ff ff"));
  const p = assembleProgram("start: lea rax, [rip+msg]\n mov rbx, offset msg\n dq msg\nmsg: db 1", 0x400000n);
  t.equal(p.labels.get("msg"), 0x400000n + 7n + 10n + 8n);
  t.same([...p.bytes.subarray(0, 7)], [0x48, 0x8d, 0x05, 18, 0, 0, 0], "rip-relative to the label");
  t.same([...p.bytes.subarray(7, 9)], [0x48, 0xbb], "offset label in mov r64: movabs (any address fits)");
  t.same(p.bytes.subarray(17, 25), hexBytes("19 00 40 00 00 00 00 00"), "dq label is absolute");
  t.same(assemble("MOV RAX, 1 ; comment\n  # another\n\nNOP"), hexBytes("48 c7 c0 01 00 00 00 90"), "case, comments, blank lines");
  const errors: [string, RegExp][] = [
    ["nop\nfoo rax", /^line 2: unknown mnemonic 'foo'/],
    ["mov al, 1", /^line 1: 8-bit register 'al' is not supported/],
    ["nop\nnop\njmp nowhere", /^line 3: undefined label 'nowhere'/],
    ["a:\na:", /^line 2: label 'a' defined twice/],
    ["inc [rax]", /^line 1: operand size unknown/],
    ["mov eax, 0x100000000", /^line 1: immediate .* does not fit 32 bits/],
    ["mov rax, msg\nmsg: nop", /^line 1: label in an operand of mov: write 'offset label'/],
    ["add rax, 0x80000000", /^line 1: immediate does not fit a sign-extended imm32/],
    ["mov rax, ebx", /^line 1: operand size mismatch/],
    ["mov rax, [rsp*2]", /^line 1: rsp cannot be an index register/],
    ["push eax", /^line 1: push takes a 64-bit register/],
    ["ret 8", /^line 1: ret takes 0 operands/],
    ["int 3", /^line 1: unknown mnemonic 'int'/],
  ];
  for (const [src, re] of errors) {
    t.throws(() => assemble(src), { message: re }, src);
    try {
      assemble(src);
    } catch (e) {
      t.ok(e instanceof AsmError && typeof e.line === "number", "AsmError with .line");
    }
  }
});

t.test("the assembler's output decodes back to the same instructions", async (t) => {
  // every table line as one program, at a base address; decode it instruction by instruction,
  // print each as text, assemble that text at the same address: the same bytes
  const src = ENCODINGS.map(([s]) => s).join("\n");
  const p = assembleProgram(src, CODE);
  const mem = bytesAt(p.bytes, CODE);
  let addr = CODE;
  let n = 0;
  const mismatches: string[] = [];
  while (addr < CODE + BigInt(p.bytes.length)) {
    const d = decode(mem, addr);
    if (d.kind !== "insn") throw new Error(`0x${addr.toString(16)}: ${d.kind}`);
    const text = formatInstruction(d.insn);
    // a reg, reg form with the "reg, r/m" opcode (8B, 03 ...) needs {load} to be chosen again
    const i = d.insn;
    const load = i.operands.length === 2 && i.operands[0]!.kind === "reg" && i.operands[1]!.kind === "reg" &&
      (i.opcode === 0x8b || (i.opcode < 0x40 && (i.opcode & 7) === 3));
    const back = assemble(`${load ? "{load} " : ""}${text}`, addr);
    if (toHex(back) !== toHex(d.insn.bytes)) mismatches.push(`${text}: ${toHex(d.insn.bytes)} -> ${toHex(back)}`);
    t.equal(d.insn.addr, p.listing[n]!.addr);
    addr += BigInt(d.insn.length);
    n++;
  }
  t.equal(n, ENCODINGS.length, "one instruction per line");
  t.same(mismatches, []);
});

/* ---- 10. signals: what Linux makes of each exception ---- */

// probe (faults.c: each access in C or inline asm, a SA_SIGINFO handler printing si_* and the
// ucontext; pages made with mmap, "touched" ones written before mprotect):
//   write ro untouched: sig=11 code=2 addr=ro trapno=14 err=6
//   write ro touched: sig=11 code=2 addr=ro_touched trapno=14 err=7
//   read none: sig=11 code=2 addr=none trapno=14 err=4
//   read xo: sig=11 code=4 (SEGV_PKUERR: this machine has protection keys; the mm decides what a page allows)
//   read kernel 0xffff800000000000: sig=11 code=1 addr=0xffff800000000000 trapno=14 err=5
//   read kernel 0xffffffff81000000: sig=11 code=1 addr=0xffffffff81000000 trapno=14 err=5
//   write kernel 0xfffffffffffffff8: sig=11 code=1 addr=0xfffffffffffffff8 trapno=14 err=7
//   read 8 at 0xfffffffffffffffc (wraps): sig=11 code=1 addr=0xfffffffffffffffc trapno=14 err=5
//   call rw page: sig=11 code=2 addr=rw rip=rw trapno=14 err=21
//   call none page: sig=11 code=2 addr=none rip=none trapno=14 err=20
//   call kernel 0xffff800000000000: sig=11 code=1 addr=0xffff800000000000 rip=0xffff800000000000 trapno=14 err=21
//   hlt: sig=11 code=128 addr=(nil) rip=hlt trapno=13 err=0
// (The error code depends on whether the page was present, which only the kernel's page tables
// know, so results leave it out.)

t.test("fault results carry the signal, si_code, si_addr and trap number Linux reports", async (t) => {
  const one = (src: string, init: Parameters<typeof machine>[1] = {}) => {
    const m = machine(src, init);
    return { m, r: step(m.regs, m.mem) };
  };
  t.match(one("ud2").r, { signal: "SIGILL", signo: 4, code: 2, addr: CODE, trapno: 6 }, "ud2: ILL_ILLOPN");
  t.match(one("hlt").r, { signal: "SIGSEGV", signo: 11, code: 0x80, addr: 0n, trapno: 13 }, "hlt: SI_KERNEL");
  t.match(one("int3").r, { kind: "trap", signal: "SIGTRAP", signo: 5, code: 0x80, trapno: 3 }, "int3: SI_KERNEL");
  t.match(one("int1").r, { kind: "trap", signal: "SIGTRAP", signo: 5, code: 1, trapno: 1 }, "int1: TRAP_BRKPT");
  t.match(one("mov rax, qword ptr [rax]", { rax: 0x10n }).r, { signo: 11, code: 1, addr: 0x10n, trapno: 14, access: "read" }, "unmapped: SEGV_MAPERR");
  t.match(one("mov qword ptr [rbx], rax", { rbx: CODE + 8n }).r, { signo: 11, code: 2, addr: CODE + 8n, access: "write" }, "read-only: SEGV_ACCERR");
  t.match(one("push rax", { rsp: 0x8000000000000000n }).r, { signal: "SIGBUS", signo: 7, code: 0x80, addr: 0n, trapno: 12 });
  let x = one("mov rax, qword ptr [rax]", { rax: 0xffff800000000000n });
  t.match(x.r, { signo: 11, code: 1, addr: 0xffff800000000000n, reason: "pagefault", access: "read" }, "kernel address: SEGV_MAPERR");
  x = one("mov rax, qword ptr [rax]", { rax: 0xfffffffffffffffcn });
  t.match(x.r, { code: 1, addr: 0xfffffffffffffffcn }, "8 bytes wrapping past 2^64: #PF at the first byte");
  x = one("mov qword ptr [rax], rbx", { rax: 0xfffffffffffffff8n });
  t.match(x.r, { code: 1, addr: 0xfffffffffffffff8n, access: "write" });
  // PROT_NONE and non-executable pages
  const m = machine("nop");
  m.mem.map(0x700000n, 4096, "");
  m.regs.rax = 0x700000n;
  m.mem.poke(CODE, assemble("mov rbx, qword ptr [rax]\njmp rax", CODE));
  t.match(step(m.regs, m.mem), { code: 2, addr: 0x700000n, access: "read" }, "PROT_NONE read: SEGV_ACCERR");
  m.regs.rip = CODE + 3n;
  t.match(step(m.regs, m.mem), { kind: "ok" }, "the jump to a PROT_NONE page completes");
  t.match(step(m.regs, m.mem), { code: 2, addr: 0x700000n, access: "fetch" }, "and the fetch there is SEGV_ACCERR");
  t.equal(m.regs.rip, 0x700000n);
  m.regs.rip = DATA;
  t.match(step(m.regs, m.mem), { code: 2, addr: DATA, access: "fetch" }, "fetch from rw-: SEGV_ACCERR");
  // a branch into the kernel's half completes; the fetch there faults with the exact address
  const k = machine("jmp rax", { rax: 0xffff800000000001n });
  t.match(step(k.regs, k.mem), { kind: "ok" });
  t.equal(k.regs.rip, 0xffff800000000001n);
  t.match(step(k.regs, k.mem), { signo: 11, code: 1, addr: 0xffff800000000001n, access: "fetch" });
  t.equal(k.regs.rip, 0xffff800000000001n, "rip stays at the faulting fetch");
  const c = machine("call rax", { rax: 0xffff800000000000n });
  t.match(run(c.regs, c.mem, 10), { steps: 2, result: { code: 1, addr: 0xffff800000000000n, access: "fetch" } });
  t.same(c.mem.peek(c.regs.rsp, 8), hexBytes("02 10 40 00 00 00 00 00"), "the call pushed its return address");
  const g = machine("jmp rax", { rax: 0x800000000000n });
  t.match(step(g.regs, g.mem), { signo: 11, code: 0x80, addr: 0n, reason: "gp" }, "non-canonical target: #GP on the branch");
  // a jump to the upper half by displacement: rel32 from low addresses wraps below 0
  const w = new PagedMemory();
  w.map(0, 4096, "rx");
  w.poke(0, hexBytes("e9 00 00 00 80")); // jmp rel32 -0x80000000
  const wr = new X86Regs({ rip: 0n });
  t.match(step(wr, w), { kind: "ok" });
  t.equal(wr.rip, 0xffffffff80000005n);
  t.match(step(wr, w), { code: 1, addr: 0xffffffff80000005n, access: "fetch" });
});

t.test("X86Regs: number accessors for the syscall entry", async (t) => {
  const r = new X86Regs({ rax: 39n, rdi: -1n, rsi: 0x7fffffffe000n, rdx: 0x8000000000000000n, rip: 0x401000n });
  t.equal(r.num(0), 39);
  t.equal(r.num(7), -1, "rdi = -1 reads as -1 (ulong() makes it 2^64-1)");
  t.equal(r.num(6), 0x7fffffffe000);
  t.equal(r.num(2), -(2 ** 63));
  t.equal(r.ripNum, 0x401000);
  r.setNum(0, -14);
  t.equal(r.rax, 0xfffffffffffffff2n, "-EFAULT");
  r.setNum(0, 2 ** 40 + 5);
  t.equal(r.rax, 2n ** 40n + 5n);
  r.ripNum = 0x7fffffffe123;
  t.equal(r.rip, 0x7fffffffe123n);
  t.throws(() => r.setNum(0, 0.5));
  t.throws(() => r.num(16));
});

/* ---- 11. flags: random operands against the real CPU ---- */

// aluprobe.c ran, for 5000 pseudo-random cases, `push fin; popfq; <op> b, a; pushfq; pop` on the
// CPU and printed "op size a b fin result rflags&0x8d5" (the format of FLAGS_PROBE). The cases
// come from xorshift64 (x ^= x << 13; x ^= x >> 7; x ^= x << 17; seed 0x2545F4914F6CDD1D):
//   op = next % 11 (add or adc sbb and sub xor cmp test inc dec), size = [16, 32, 64][next % 3],
//   a = operand(), b = operand(), fin = 0x202 | (next & 0x8d5), where operand() takes r = next and
//   is SPECIAL[(r >> 8) % 23] when r % 4 == 0, that plus ((r >> 32) & 3) - 1 when r % 4 == 1, else next.
// The FNV-1a hash of its output (lines joined with "\n") was 0x017bfbcc; the first lines were
//   test 16 0x62ce1ffad85b1c36 0xcf91633be7328c1 0xad2 0x62ce1ffad85b1c36 0x4
//   xor 16 0xffff 0x2 0x253 0xfffd 0x80
//   add 16 0x7fffffffffffffff 0x9bb024aec20eab0a 0x2d6 0x7fffffffffffab09 0x95
// (20000 cases from the same generator matched as well when this was written.)
t.test("5000 random ALU cases: results and flags hash the same as the real CPU's", async (t) => {
  const M = (1n << 64n) - 1n;
  let st = 0x2545F4914F6CDD1Dn;
  const next = () => {
    st ^= (st << 13n) & M;
    st ^= st >> 7n;
    st ^= (st << 17n) & M;
    return st;
  };
  const SPECIAL = [0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0x100n, 0x7fffn, 0x8000n, 0xffffn, 0x10000n, 0x7fffffffn,
    0x80000000n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn,
    0xfffffffffffffffen, 0xfn, 0x10n, 0x8n, 0x7ffffffffffffffen];
  const operand = () => {
    const r = next();
    if ((r & 3n) === 0n) return SPECIAL[Number((r >> 8n) % 23n)]!;
    if ((r & 3n) === 1n) return (SPECIAL[Number((r >> 8n) % 23n)]! + ((r >> 32n) & 3n) - 1n) & M;
    return next();
  };
  const OPS = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp", "test", "inc", "dec"];
  const R: Record<number, [string, string]> = { 64: ["rax", "rbx"], 32: ["eax", "ebx"], 16: ["ax", "bx"] };
  const lines: string[] = [];
  for (let k = 0; k < 5000; k++) {
    const op = OPS[Number(next() % 11n)]!;
    const size = [16, 32, 64][Number(next() % 3n)]!;
    const a = operand();
    const b = operand();
    const fin = 0x202 | Number(next() & 0x8d5n);
    const [ra, rb] = R[size]!;
    const m = machine(op === "inc" || op === "dec" ? `${op} ${ra}` : `${op} ${ra}, ${rb}`, { rax: a, rbx: b, rflags: fin });
    if (step(m.regs, m.mem).kind !== "ok") throw new Error(`${op} did not complete`);
    lines.push(`${op} ${size} 0x${a.toString(16)} 0x${b.toString(16)} 0x${fin.toString(16)} 0x${m.regs.rax.toString(16)} 0x${(m.regs.rflags & 0x8d5).toString(16)}`);
  }
  t.same(lines.slice(0, 3), [
    "test 16 0x62ce1ffad85b1c36 0xcf91633be7328c1 0xad2 0x62ce1ffad85b1c36 0x4",
    "xor 16 0xffff 0x2 0x253 0xfffd 0x80",
    "add 16 0x7fffffffffffffff 0x9bb024aec20eab0a 0x2d6 0x7fffffffffffab09 0x95",
  ]);
  let h = 0x811c9dc5;
  for (const ch of new TextEncoder().encode(lines.join("\n"))) h = Math.imul(h ^ ch, 0x01000193) >>> 0;
  t.equal(`0x${h.toString(16).padStart(8, "0")}`, "0x017bfbcc");
});

/* ---- 12. the decoded-instruction cache and the memory's generations ---- */

t.test("code changes reach the CPU: loader writes, self-modifying code, mapping changes", async (t) => {
  // a loader's (or ptrace's) write moves codeGeneration: the new bytes run
  const m = machine("mov eax, 1\nint3");
  run(m.regs, m.mem, 10);
  t.equal(m.regs.rax, 1n);
  m.mem.poke(CODE, assemble("mov eax, 2", CODE));
  m.regs.rip = CODE;
  run(m.regs, m.mem, 10);
  t.equal(m.regs.rax, 2n, "poke: decoded again");
  // self-modifying code on a writable code page: the store drops the instruction it overwrites
  const p = assembleProgram(`
      xor ecx, ecx
  again:
  patch: mov eax, 1
      inc ecx
      cmp ecx, 2
      je done
      mov dword ptr [rip+patch+1], 2
      jmp again
  done: int3`, CODE);
  const s = machine(p.bytes);
  s.mem.protect(CODE, 4096, "rwx");
  t.match(run(s.regs, s.mem, 100), { result: { kind: "trap", reason: "int3" } });
  t.equal(s.regs.rax, 2n, "the second pass ran the patched mov");
  // a hot loop on a read-only code page gets compiled; a poke still reaches it
  const h = machine("mov ecx, 200\nl: add rax, 1\ndec ecx\njnz l\nint3");
  const cpu = cpuFor(h.mem);
  const blocks = cpu.blocks;
  run(h.regs, h.mem, 10_000);
  t.equal(h.regs.rax, 200n);
  t.ok(cpu.blocks > blocks, "a block was compiled");
  h.mem.poke(CODE + 5n, assemble("add rax, 2", CODE + 5n));
  h.regs.rip = CODE;
  h.regs.rax = 0n;
  run(h.regs, h.mem, 10_000);
  t.equal(h.regs.rax, 400n, "the block was dropped with the old bytes");
  // compiled code whose page becomes writable: the store that faulted on r-x succeeds after
  // mprotect, and the loop runs the new instruction (the block from the r-x page is gone)
  const q = assembleProgram(`
      mov ecx, 300
  l:  add rax, 1
      dec ecx
      jnz l
      cmp rbx, 0
      jne done
      mov rbx, 1
      mov dword ptr [rip+l], 0x02c08348   ; add rax, 1 (48 83 c0 01) becomes add rax, 2
      mov ecx, 300
      jmp l
  done: int3`, CODE);
  const w = machine(q.bytes);
  t.match(run(w.regs, w.mem, 10_000), { result: { kind: "fault", code: 2, access: "write", addr: q.labels.get("l") } });
  t.equal(w.regs.rax, 300n);
  w.mem.protect(CODE, 4096, "rwx");
  t.match(run(w.regs, w.mem, 10_000), { result: { kind: "trap", reason: "int3" } });
  t.equal(w.regs.rax, 900n, "300 x 1, then 300 x 2");
  // mapping changes (tlbGeneration): a page made read-only, code made non-executable
  const d = machine("mov qword ptr [rbx], rax\nmov qword ptr [rbx], rax", { rbx: DATA });
  t.match(step(d.regs, d.mem), { kind: "ok" });
  d.mem.protect(DATA, 4096, "r");
  t.match(step(d.regs, d.mem), { code: 2, access: "write", addr: DATA }, "the cached write translation was dropped");
  d.mem.protect(CODE, 4096, "r");
  d.regs.rip = CODE;
  t.match(step(d.regs, d.mem), { code: 2, access: "fetch", addr: CODE });
  d.mem.unmap(DATA, 4096);
  d.mem.protect(CODE, 4096, "rx");
  t.match(step(d.regs, d.mem), { code: 1, access: "write", addr: DATA });
});

t.test("a memory that materialises pages on write: loads see the CPU's own stores", async (t) => {
  // translate(read) of an untouched page gives a shared zero page; translate(write) makes the
  // page (and moves tlbGeneration, as the contract asks)
  const ZERO = new Uint8Array(4096);
  const code = assemble("mov rax, qword ptr [rbx]\nmov qword ptr [rbx], rcx\nmov rdx, qword ptr [rbx]\nint3", CODE);
  const pages = new Map<number, Uint8Array>();
  const codePage = new Uint8Array(4096);
  codePage.set(code);
  const mem = {
    tlbGeneration: 0,
    codeGeneration: 0,
    translate(pfn: number, write: boolean) {
      if (pfn === Number(CODE / PAGE)) return { prot: 5, data: codePage };
      if (pfn !== Number(DATA / PAGE)) return null;
      let d = pages.get(pfn);
      if (!d && write) {
        pages.set(pfn, (d = new Uint8Array(4096)));
        this.tlbGeneration++;
      }
      return { prot: 3, data: d ?? ZERO };
    },
    codeWritten() {},
  };
  const regs = new X86Regs({ rip: CODE, rbx: DATA, rcx: 0x1234n });
  t.match(run(regs, mem, 10), { steps: 4, result: { kind: "trap" } });
  t.same([regs.rax, regs.rdx], [0n, 0x1234n]);
  t.same(ZERO, new Uint8Array(4096), "the zero page was not written");
});

/* ---- 13. compiled blocks behave exactly like the interpreter ---- */

/** Runs a machine to its end by step() alone (the interpreter: one instruction per call never uses a block). */
function stepAll(m: ReturnType<typeof machine>, max = 1_000_000) {
  let steps = 0;
  for (;;) {
    const r = step(m.regs, m.mem);
    steps++;
    if (r.kind !== "ok" || steps >= max) return { steps, result: r };
  }
}

function sameState(t: Test, a: ReturnType<typeof machine>, b: ReturnType<typeof machine>, what: string) {
  t.same([...a.regs.lo, ...a.regs.hi, a.regs.rflags], [...b.regs.lo, ...b.regs.hi, b.regs.rflags], `${what}: registers`);
  t.same(a.mem.peek(DATA, 4096), b.mem.peek(DATA, 4096), `${what}: data`);
  t.same(a.mem.peek(STACK_TOP - PAGE, 4096), b.mem.peek(STACK_TOP - PAGE, 4096), `${what}: stack`);
}

t.test("random loops: run() with compiled blocks ends exactly where step() by step does", async (t) => {
  let seed = 777;
  const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  const pick = <T>(xs: readonly T[]) => xs[rnd(xs.length)]!;
  const REGS: Record<number, string[]> = {
    64: ["rax", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"],
    32: ["eax", "edx", "esi", "edi", "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"],
    16: ["ax", "dx", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"],
  };
  const PTR: Record<number, string> = { 64: "qword", 32: "dword", 16: "word" };
  const ALU = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp", "test"];
  const IMM16 = [0, 1, -1, 0x7f, -0x80, 0x1234, 0x7fff, -0x8000];
  const imm = (size: number) => String(pick(size === 16 ? IMM16 : [...IMM16, 0x12345678, 0x7fffffff, -0x80000000]));
  let labels = 0;
  const mem = (size: number) => `${PTR[size]} ptr [rbx+${8 * rnd(32)}]`;
  const insn = (): string => {
    const size = pick([64, 64, 32, 16]);
    const r = () => pick(REGS[size]!);
    switch (rnd(14)) {
      case 0: return `${pick(ALU)} ${r()}, ${r()}`;
      case 1: return `${pick(ALU)} ${r()}, ${imm(size)}`;
      case 2: return pick(ALU) === "test" ? `test ${mem(size)}, ${r()}` : `${pick(ALU.slice(0, 8))} ${r()}, ${mem(size)}`;
      case 3: return `${pick(ALU)} ${mem(size)}, ${r()}`;
      case 4: return `${pick(ALU)} ${mem(size)}, ${imm(size)}`;
      case 5: return `${pick(["inc", "dec"])} ${pick([r(), mem(size)])}`;
      case 6: return `mov ${r()}, ${pick([r(), imm(size), mem(size)])}`;
      case 7: return `mov ${mem(size)}, ${pick([r(), imm(size)])}`;
      case 8: return `lea ${pick(REGS[64]!)}, [${pick(REGS[64]!)}+${pick(REGS[64]!)}*${pick([1, 2, 4, 8])}+${rnd(100)}]`;
      case 9: return `push ${pick([pick(REGS[64]!), imm(64), mem(64)])}\npop ${pick(REGS[64]!)}`;
      case 10: return `pushfq\npop ${pick(REGS[64]!)}`;
      case 11: {
        const l = `L${labels++}`; // a forward branch over one instruction
        return `j${pick(["z", "nz", "c", "nc", "s", "ns", "o", "l", "ge", "be", "a", "p"])} ${l}\nadd ${r()}, 1\n${l}:`;
      }
      case 12: return `call fn_${rnd(2)}`;
      default: return `mov ${r()}, ${mem(size)}`;
    }
  };
  let compiled = 0;
  for (let prog = 0; prog < 40; prog++) {
    const body = Array.from({ length: 4 + rnd(20) }, insn).join("\n");
    const src = `mov ecx, ${60 + rnd(100)}\ntop:\n${body}\ndec ecx\njnz top\nint3\nfn_0: add rax, rdx\nret\nfn_1: xor rax, 0x55\nret`;
    const init: Parameters<typeof machine>[1] = { rbx: DATA };
    for (const n of REGS[64]!) (init as Record<string, bigint>)[n] = BigInt.asUintN(64, BigInt(rnd(1 << 30)) * 0x9e3779b97f4a7c15n);
    const a = machine(src, init);
    const b = machine(src, init);
    for (let k = 0; k < 4096; k += 8) {
      const v = BigInt(rnd(1 << 30)) * 0x100000001n;
      const bytes = hexBytes(v.toString(16).padStart(16, "0").match(/../g)!.reverse().join(" "));
      a.mem.poke(DATA + BigInt(k), bytes);
      b.mem.poke(DATA + BigInt(k), bytes);
    }
    const cpu = cpuFor(a.mem);
    const ra = run(a.regs, a.mem, 1_000_000);
    const rb = stepAll(b);
    compiled += cpu.blocks;
    t.same(ra, rb, `program ${prog}: same stop and count`);
    sameState(t, a, b, `program ${prog}`);
  }
  t.ok(compiled >= 40, `blocks were compiled (${compiled})`);
});

t.test("compiled blocks: faults, budgets and TF stop where the interpreter does", async (t) => {
  // a store that walks off the end of the data page, after the loop is hot
  const src = "mov ecx, 1000\nl: mov qword ptr [rbx], rax\nadd rbx, 8\nadd rax, rcx\ndec ecx\njnz l\nint3";
  const a = machine(src, { rbx: DATA + 8n });
  const b = machine(src, { rbx: DATA + 8n });
  const ra = run(a.regs, a.mem, 1_000_000);
  t.match(ra, { result: { kind: "fault", access: "write", addr: DATA + 4096n } });
  t.same(ra, stepAll(b));
  t.equal(a.regs.rip, CODE + 5n, "rip at the faulting store, inside the block");
  sameState(t, a, b, "fault in a block");
  // budgets that end inside a block: the same count and state as stepping
  for (const budget of [1, 2, 7, 100, 101, 102, 103, 1234, 2000]) {
    const x = machine("mov ecx, 5000\nl: add rax, rcx\nxor rdx, rax\nsub rsi, 3\ndec ecx\njnz l\nint3");
    const y = machine("mov ecx, 5000\nl: add rax, rcx\nxor rdx, rax\nsub rsi, 3\ndec ecx\njnz l\nint3");
    t.match(run(x.regs, x.mem, 300), { steps: 300 }); // warm: the loop is compiled now
    t.same(run(x.regs, x.mem, budget), { steps: budget, result: { kind: "limit" } });
    stepAll(y, 300 + budget);
    sameState(t, x, y, `budget ${budget}`);
  }
  // TF set by popf inside a hot loop: the trap comes after the next instruction
  const p = assembleProgram(`
      mov ecx, 300
  l:  add rax, 1
      cmp ecx, 1
      jne skip
      pushfq
      or qword ptr [rsp], 0x100
      popfq
  skip:
      dec ecx
  next: jnz l
      nop
      int3`, CODE);
  const m = machine(p.bytes);
  const first = run(m.regs, m.mem, 1_000_000);
  t.match(first, { result: { kind: "ok", trapAfter: true } }, "the first trap");
  t.equal(m.regs.rip, p.labels.get("next"), "after dec, the instruction that followed the popf");
  t.match(run(m.regs, m.mem, 1_000_000), { steps: 1, result: { kind: "ok", trapAfter: true } }, "then one instruction at a time");
  t.equal(m.regs.rax, 300n);
});

t.test("run() stops at a syscall with the x86-64 ABI in the registers", async (t) => {
  const m = machine("mov ecx, 100\nl: dec ecx\njnz l\nmov eax, 39\nmov edi, 1\nmov rsi, -1\nmov r10, 4\nsyscall\nint3", { rflags: 0x202 | CF });
  const r = run(m.regs, m.mem, 1_000_000);
  t.same(r, { steps: 1 + 200 + 5, result: { kind: "syscall", trapAfter: false } });
  t.same([m.regs.num(0), m.regs.num(7), m.regs.num(6), m.regs.num(10)], [39, 1, -1, 4]);
  t.equal(m.regs.rcx, m.regs.rip, "rcx = the rip after syscall");
  t.equal(m.regs.r11, BigInt(m.regs.rflags), "r11 = rflags");
  t.match(run(m.regs, m.mem, 10), { steps: 1, result: { kind: "trap", reason: "int3" } });
});

t.test("the single-step trap: what the caller delivers after a step with trapAfter", async (t) => {
  // probe (tfaddr.c): "TF trap: sig=5 code=2 addr=<rip> rip=<rip> trapno=1"; under ptrace:
  // "ptrace step 0: stopsig=5 si_signo=5 si_code=2 si_addr=<rip> dr6=0xffff4ff0"
  t.same({ ...SINGLE_STEP_TRAP }, { signal: "SIGTRAP", signo: 5, code: 2, trapno: 1, dr6: 0xffff4ff0 });
  t.equal(DR6_BS, 0x4000);
});
