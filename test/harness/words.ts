/**
 * Exact 64-bit register words from the test API through a target to the kernel and back: the
 * same calls on any target (the emulated kernel, this machine's real one), with words whose
 * answers depend on every bit, and the answers Linux gives. Imports are from ../../dist.
 *
 * probe (C, raw syscall(), Linux 6.12 x86_64, a file on tmpfs): lseek(fd, ~0UL, SEEK_SET) and
 * lseek(fd, 1UL << 63, SEEK_SET): EINVAL; (1UL << 53) + 1: 9007199254740993, and SEEK_CUR 0
 * then says the same; SEEK_CUR 1UL << 62 from there: 4620693217682128897; pwrite of 1 byte at
 * 2^53 + 1: 1, st_size 9007199254740994, pread there reads it back; kcmp(me, me, KCMP_FILE,
 * idx, fd): 0 for idx 0xffffffff00000000 | fd and (1UL << 63) | fd (idx is cut to an unsigned
 * int), EBADF for ~0UL; PTRACE_POKEDATA of ~0UL, 1UL << 63 and (1UL << 53) + 1 into a stopped
 * tracee: 0, and PTRACE_PEEKDATA reads each back whole; a request of (1UL << 32) |
 * PTRACE_PEEKDATA (a long, not cut to an int): EIO; PTRACE_SETOPTIONS with data 1UL << 32:
 * EINVAL.
 */
import * as ltp from "../../dist/src/ltp/index.js";
import { sys } from "./emulated.js";

/* ---- ABI constants, written out from the uapi headers ---- */
const EINVAL = 22, EBADF = 9, EIO = 5;
const SEEK_SET = 0, SEEK_CUR = 1, KCMP_FILE = 0;
const PTRACE_TRACEME = 0, PTRACE_PEEKDATA = 2, PTRACE_POKEDATA = 5, PTRACE_KILL = 8, PTRACE_SETOPTIONS = 0x4200;
const SIGSTOP = 19;
const TMPFS_MAGIC = 0x01021994;

/** All 64 bits set (C's ~0UL), the top bit alone (1UL << 63), and the first integer a double cannot hold. */
export const ALL_ONES = 0xffffffffffffffffn, TOP_BIT = 2n ** 63n, PAST_DOUBLES = 2n ** 53n + 1n;
const WORDS = [ALL_ONES, TOP_BIT, PAST_DOUBLES] as const;

/** Makes the calls on the running process of `target`; what each answered (values or -errno). */
export async function wordAnswers(target: any): Promise<Record<string, unknown>> {
  const got: Record<string, unknown> = {};
  const fd = await ltp.SAFE_OPEN("words", ltp.O_CREAT | ltp.O_RDWR, 0o600);
  got.fsType = await ltp.tst_fs_type(".");

  // loff_t: lseek's offset and result, the file position, pwrite's and pread's offsets, st_size.
  got.lseek = [];
  for (const w of WORDS) (got.lseek as unknown[]).push(await sys("lseek", fd, w, SEEK_SET));
  got.position = await sys("lseek", fd, 0, SEEK_CUR);
  got.seekCur = await sys("lseek", fd, 2n ** 62n, SEEK_CUR);
  const buf = ltp.malloc(16);
  ltp.pokeString(buf, "x");
  got.pwrite = await sys("pwrite64", fd, buf, 1, PAST_DOUBLES);
  got.size = (await ltp.SAFE_FSTAT(fd)).st_size;
  got.pread = [await sys("pread64", fd, buf + 8, 1, PAST_DOUBLES), ltp.peekBytes(buf + 8, 1)[0]];

  // kcmp's idx is an unsigned long the kernel cuts to an unsigned int.
  const me = await ltp.getpid();
  got.kcmp = [];
  for (const idx of [(0xffffffffn << 32n) | BigInt(fd), ALL_ONES, TOP_BIT | BigInt(fd)]) {
    (got.kcmp as unknown[]).push(await sys("kcmp", me, me, KCMP_FILE, idx, fd));
  }

  // ptrace's data word, stored whole by POKEDATA, read back whole by PEEKDATA.
  const word = ltp.malloc(8);
  const tracee = await ltp.SAFE_FORK(async () => {
    await ltp.ptrace(PTRACE_TRACEME, 0);
    await ltp.raise(SIGSTOP);
  });
  await ltp.SAFE_WAITPID(tracee);
  got.poke = [];
  got.peek = [];
  for (const w of WORDS) {
    (got.poke as unknown[]).push(await sys("ptrace", PTRACE_POKEDATA, tracee, word, w));
    (got.peek as unknown[]).push(await ltp.ptrace(PTRACE_PEEKDATA, tracee, word));
  }
  got.wideRequest = await sys("ptrace", (1n << 32n) | BigInt(PTRACE_PEEKDATA), tracee, word, buf);
  got.wideOptions = await sys("ptrace", PTRACE_SETOPTIONS, tracee, 0, 1n << 32n);
  await ltp.SAFE_PTRACE(PTRACE_KILL, tracee);
  await ltp.SAFE_WAITPID(tracee);

  // Machine code's syscall instruction: the offset in rsi, the exact result in rax.
  const code = await ltp.SAFE_FORK(() => ltp.tst_run_code(`
        mov eax, 8
        mov edi, ${fd}
        mov rsi, 0x20000000000003
        xor edx, edx
        syscall
        cmp rax, rsi
        jne wrong
        mov eax, 60
        xor edi, edi
        syscall
    wrong:
        mov eax, 60
        mov edi, 1
        syscall`));
  got.machineCode = ltp.WEXITSTATUS((await ltp.SAFE_WAITPID(code)).status);

  // What is not a word never reaches the kernel.
  const getpidNr = target.syscallNumber("getpid");
  got.notWords = [2 ** 64, 1.5, NaN, 2n ** 64n, -(2n ** 63n) - 1n].map((v) => {
    try {
      target.current().syscall(getpidNr, v);
      return "accepted";
    } catch (e) {
      return (e as Error).name;
    }
  });
  return got;
}

/** What Linux answers (see the probe above). */
export const WORD_ANSWERS: Record<string, unknown> = {
  fsType: TMPFS_MAGIC,
  lseek: [-EINVAL, -EINVAL, PAST_DOUBLES],
  position: PAST_DOUBLES,
  seekCur: PAST_DOUBLES + 2n ** 62n,
  pwrite: 1,
  size: PAST_DOUBLES + 1n,
  pread: [1, "x".charCodeAt(0)],
  kcmp: [0, -EBADF, 0],
  poke: [0, 0, 0],
  // The canonical words of the three: -1 (a number), then the signed readings as bigints.
  peek: [-1, -(2n ** 63n), PAST_DOUBLES],
  wideRequest: -EIO,
  wideOptions: -EINVAL,
  machineCode: 0,
  notWords: ["TypeError", "TypeError", "TypeError", "TypeError", "TypeError"],
};
