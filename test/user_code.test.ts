/**
 * Machine code on a task (tst_run_code): the CPU interpreter runs it on the task's address
 * space, `syscall` enters the kernel's linked table, exceptions become the signals Linux sends,
 * and a long run shares the CPU with the other tasks. Children run the code; the parent
 * checks their wait status. Imports are from ../dist, never ../src.
 */
import t from "tap";
import * as ltp from "../dist/src/ltp/index.js";
import { clean, run } from "./harness/emulated.js";
import { MmStruct, VM_EXEC, VM_READ, VM_WRITE } from "../dist/src/linux/mm/mm.js";
import { run as cpuRun, X86Regs } from "../dist/src/linux/arch/x86/cpu/index.js";
import { assemble } from "../dist/src/ltp/lib/x86_asm/assemble.js";

const SIGILL = 4, SIGTRAP = 5, SIGSEGV = 11, ENOSYS = 38, SA_SIGINFO = 4, SA_RESETHAND = 0x80000000, SEGV_MAPERR = 1, SEGV_ACCERR = 2;

type Code = string | Uint8Array;

/** The wait status of a child that runs `code` (or the code a function of the child makes). */
async function statusOf(code: Code | (() => Promise<Code>)): Promise<number> {
  const child = await ltp.SAFE_FORK(async () => ltp.tst_run_code(typeof code === "function" ? await code() : code));
  return (await ltp.waitpid(child, 0)).status;
}

/** Code that exits with the low byte of rax as its status. */
const EXIT_WITH_RAX = "mov edi, eax\n mov eax, 60\n syscall";

t.test("defconfig: system calls from machine code", async (t) => {
  const got: Record<string, unknown> = {};
  await clean(t, "defconfig", async () => {
    got.exit7 = await statusOf("mov eax, 60\n mov edi, 7\n syscall");
    got.exitGroup = await statusOf(new Uint8Array([0xb8, 231, 0, 0, 0, 0xbf, 9, 0, 0, 0, 0x0f, 0x05]));
    // getpid by the syscall instruction is the pid the libc's getpid() gave the same process.
    got.getpid = await statusOf(async () => `
        mov eax, 39
        syscall
        cmp rax, ${await ltp.getpid()}
        jne bad
        mov eax, 60
        xor edi, edi
        syscall
    bad:
        mov eax, 60
        mov edi, 1
        syscall`);
    // write() into a pipe: the parent reads what the code wrote, and the count it returned.
    const fds = ltp.malloc(8);
    const [rfd, wfd] = await ltp.SAFE_PIPE(fds);
    got.write = await statusOf(`
        mov eax, 1
        mov edi, ${wfd}
        lea rsi, [rip+msg]
        mov edx, 6
        syscall
        ${EXIT_WITH_RAX}
    msg:
        db "hello", 10`);
    const buf = ltp.malloc(16);
    const n = await ltp.SAFE_READ(false, rfd, buf, 16);
    got.piped = Buffer.from(ltp.peekBytes(buf, n)).toString();
    // A number past the table is sys_ni_syscall: -ENOSYS in rax.
    got.enosys = await statusOf(`mov eax, 1000\n syscall\n ${EXIT_WITH_RAX}`);
    got.negative = await statusOf(`mov rax, -1\n syscall\n ${EXIT_WITH_RAX}`);
  });
  t.ok(ltp.WIFEXITED(got.exit7 as number), "exit: the child exited");
  t.equal(ltp.WEXITSTATUS(got.exit7 as number), 7, "exit(7) by syscall: status 7");
  t.equal(ltp.WEXITSTATUS(got.exitGroup as number), 9, "exit_group(9) from raw bytes: status 9");
  t.equal(got.getpid, 0, "getpid by syscall is the libc's getpid()");
  t.equal(ltp.WEXITSTATUS(got.write as number), 6, "write() returned 6 in rax");
  t.equal(got.piped, "hello\n", "the bytes came through the pipe");
  t.equal(ltp.WEXITSTATUS(got.enosys as number), (-ENOSYS) & 0xff, "syscall 1000: -ENOSYS in rax");
  t.equal(ltp.WEXITSTATUS(got.negative as number), (-ENOSYS) & 0xff, "syscall -1: -ENOSYS in rax");
});

t.test("defconfig: exceptions become signals", async (t) => {
  const got: Record<string, number> = {};
  await clean(t, "defconfig", async () => {
    got.ud2 = await statusOf("nop\n ud2");
    got.hlt = await statusOf("hlt");
    got.int3 = await statusOf("int3\n mov eax, 60\n syscall");
    got.int1 = await statusOf("int1");
    got.jumpToNowhere = await statusOf("mov rax, 0x10000\n jmp rax");
    got.writeCode = await statusOf("lea rax, [rip+here]\n here: mov [rax], rax\n mov eax, 60\n syscall");
    got.stackOverflowIsMapped = await statusOf("push rax\n pop rax\n mov eax, 60\n mov edi, 4\n syscall");
  });
  // RLIMIT_CORE is 0 by default: no core bit on the coredump signals.
  t.equal(got.ud2, SIGILL, "ud2: killed by SIGILL");
  t.equal(got.hlt, SIGSEGV, "hlt at CPL 3 (#GP): killed by SIGSEGV");
  t.equal(got.int3, SIGTRAP, "int3: killed by SIGTRAP (no core: RLIMIT_CORE 0)");
  t.equal(got.int1, SIGTRAP, "int1: killed by SIGTRAP");
  t.equal(got.jumpToNowhere, SIGSEGV, "a jump to unmapped memory: SIGSEGV");
  t.equal(got.writeCode, SIGSEGV, "a store into the read-only code page: SIGSEGV");
  t.equal(ltp.WEXITSTATUS(got.stackOverflowIsMapped), 4, "push and pop use the stack tst_run_code mapped");
});

t.test("defconfig: a trap with a handler goes on after it", async (t) => {
  const got: Record<string, number> = {};
  await clean(t, "defconfig", async () => {
    got.status = await statusOf(async () => {
      await ltp.sigaction(SIGTRAP, { handler: () => {} });
      return "int3\n mov eax, 60\n mov edi, 12\n syscall";
    });
  });
  t.equal(ltp.WEXITSTATUS(got.status!), 12, "int3 with a SIGTRAP handler: the code resumed after it and exited 12");
});

t.test("defconfig: a fault's siginfo; the instruction runs again after the handler", async (t) => {
  const got: Record<string, number> = {};
  await clean(t, "defconfig", async () => {
    const shared = await ltp.SAFE_MMAP(0, 4096, ltp.PROT_READ | ltp.PROT_WRITE, ltp.MAP_SHARED | ltp.MAP_ANONYMOUS, -1, 0);
    const handler = (sig: number, info: number) => {
      ltp.pokeInt(shared, sig);
      ltp.pokeInt(shared + 4, ltp.peekInt(info + 8));
      ltp.pokeU64(shared + 8, ltp.peekU64(info + 16));
    };
    for (const [name, code] of [["maperr", "mov rax, 0x10000\n mov rax, [rax]"], ["accerr", "lea rax, [rip]\n mov [rax], rax"]] as const) {
      got[`${name} status`] = await statusOf(async () => {
        // SA_RESETHAND: the handler runs once; the faulting instruction runs again after it (as on
        // Linux) and its second fault meets SIG_DFL.
        await ltp.sigaction(SIGSEGV, { handler, flags: SA_SIGINFO | SA_RESETHAND });
        return code;
      });
      got[`${name} sig`] = ltp.peekInt(shared);
      got[`${name} code`] = ltp.peekInt(shared + 4);
      got[`${name} addr`] = ltp.peekU64(shared + 8);
    }
  });
  t.equal(got["maperr sig"], SIGSEGV, "the handler ran for SIGSEGV");
  t.equal(got["maperr code"], SEGV_MAPERR, "a load from nothing: SEGV_MAPERR");
  t.equal(got["maperr addr"], 0x10000, "si_addr is the address loaded");
  t.equal(got["accerr code"], SEGV_ACCERR, "a store into the code: SEGV_ACCERR");
  t.ok(got["accerr addr"]! > 0, "si_addr is the code page");
  t.equal(got["maperr status"], SIGSEGV, "after the handler the load ran again, faulted again and SIG_DFL killed the process");
});

t.test("MmStruct as the CPU's memory: COW after fork, code rewritten by the kernel", async (t) => {
  const mm = new MmStruct(1, { taskSize: 2 ** 47, mmapBase: 2 ** 46, mmapMinAddr: 0x10000 });
  const area = (start: number, flags: number) => mm.insertVma({ start, end: start + 4096, flags, name: "", shm: null, pgoff: start / 4096 });
  area(0x400000, VM_READ | VM_WRITE | VM_EXEC);
  area(0x600000, VM_READ | VM_WRITE);
  const load = (src: string) => t.ok(mm.write(0x400000, assemble(src, 0x400000n)), "the kernel wrote the code");
  const go = () => {
    const regs = new X86Regs({ rip: 0x400000n });
    return cpuRun(regs, mm, 100).result.kind;
  };
  const counter = (m: MmStruct) => m.read(0x600000, 1)![0];
  load("mov rax, 0x600000\n inc qword ptr [rax]\n int3");
  t.equal(go(), "trap", "ran to the int3");
  t.equal(counter(mm), 1, "the CPU's store is in the mm");
  const gen = mm.tlbGeneration;
  const child = mm.dup(2);
  t.not(mm.tlbGeneration, gen, "fork moved the parent's tlbGeneration");
  go();
  t.equal(counter(mm), 2, "the parent's store after fork");
  t.equal(counter(child), 1, "did not reach the child (copy-on-write)");
  const code = mm.codeGeneration;
  load("mov rax, 0x600000\n add qword ptr [rax], 10\n int3");
  t.not(mm.codeGeneration, code, "a kernel write into executable memory moved codeGeneration");
  go();
  t.equal(counter(mm), 12, "the CPU ran the new code, not what it had decoded");
  t.equal(mm.translate(0x500, false), null, "nothing mapped: no translation");
  t.equal(mm.translate(0x600, true)!.prot, ltp.PROT_READ | ltp.PROT_WRITE, "the data page is read-write");
});

t.test("defconfig: a long run shares the CPU", async (t) => {
  const got: Record<string, number> = {};
  await clean(t, "defconfig", async () => {
    // The child says it is done in a shared page; the parent polls it between getpid() calls
    // (a wait4 with WNOHANG would not do: a call that may block never ends a timeslice).
    const flag = await ltp.SAFE_MMAP(0, 4096, ltp.PROT_READ | ltp.PROT_WRITE, ltp.MAP_SHARED | ltp.MAP_ANONYMOUS, -1, 0);
    // Two million instructions, about 150 timeslices, without a system call.
    const child = await ltp.SAFE_FORK(() => ltp.tst_run_code(`
        mov ecx, 1000000
    loop:
        dec rcx
        jnz loop
        mov rax, ${flag}
        mov dword ptr [rax], 1
        mov eax, 60
        mov edi, 3
        syscall`));
    let polls = 0;
    for (; ltp.peekInt(flag) === 0; polls++) await ltp.getpid();
    got.polls = polls;
    got.status = (await ltp.waitpid(child, 0)).status;
  });
  t.equal(ltp.WEXITSTATUS(got.status!), 3, "the loop ran to its end and the child exited 3");
  t.ok(got.polls! > 64, `the parent ran between the child's timeslices (${got.polls} getpid calls)`);
});

t.test("riscv64: machine code is x86-64 only", async (t) => {
  const r = await run("riscv64", async () => { await ltp.tst_run_code("nop"); });
  t.ok(r.messages.some((m: string) => m.startsWith("32 machine code is x86-64 only")), `TCONF (${r.messages.join("; ")})`);
});
