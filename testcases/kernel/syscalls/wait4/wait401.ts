/*
 * wait4() reports how each child ended, in the status word's encoding:
 * 1) exit(42): WIFEXITED, WEXITSTATUS 42;
 * 2) SIGKILL from its parent: WIFSIGNALED, WTERMSIG SIGKILL, no core;
 * 3) SIGTERM raised by itself: WTERMSIG SIGTERM;
 * 4) a write past the end of a guarded buffer, with RLIMIT_CORE raised: WTERMSIG SIGSEGV and
 *    WCOREDUMP, and a file "core" — where the kernel can dump core (CONFIG_COREDUMP and
 *    CONFIG_ELF_CORE), else no core bit;
 * 5) the same with RLIMIT_CORE 0: no core bit.
 * A probe on the real kernel (core_pattern "core"): 0x2a00, 0x9, 0xf, 0x8b, 0xb.
 * (LTP's wait401 checks only 1); the rest are the status encoding LTP's tests rely on.)
 */
import {
  defineTest, exit, getppid, open, O_RDONLY, pokeBytes, raise, RLIM_INFINITY, RLIMIT_CORE, SAFE_CLOSE, SAFE_FORK,
  SAFE_KILL, SAFE_SETRLIMIT, SAFE_WAITPID, signalName, SIGKILL, SIGSEGV, SIGTERM, tst_alloc, tst_kconfig_get, TST_EXP_EXPR,
  TINFO, tst_res, WCOREDUMP, WEXITSTATUS, WIFEXITED, WIFSIGNALED, WTERMSIG,
} from "../../../../src/ltp/index.js";

const describe = (s: number) => `status 0x${s.toString(16)}`;

/** A child's way to overrun a 16-byte guarded buffer after setting its core limit. */
function overrun(coreLimit: bigint): () => Promise<void> {
  return async () => {
    await SAFE_SETRLIMIT(RLIMIT_CORE, { rlim_cur: coreLimit, rlim_max: RLIM_INFINITY });
    const buf = await tst_alloc(16);
    pokeBytes(buf, new Uint8Array(17));
  };
}

async function signalled(pid: number, sig: number, core: boolean): Promise<void> {
  const { status } = await SAFE_WAITPID(pid);
  TST_EXP_EXPR(WIFSIGNALED(status) && !WIFEXITED(status) && WTERMSIG(status) === sig && WCOREDUMP(status) === core,
    `killed by ${signalName(sig)}${core ? ", core dumped" : ""}: ${describe(status)}`);
}

export default defineTest({
  needs_tmpdir: true,
  forks_child: true,
  async test_all() {
    let pid = await SAFE_FORK(() => exit(42));
    const { status } = await SAFE_WAITPID(pid);
    TST_EXP_EXPR(WIFEXITED(status) && !WIFSIGNALED(status) && WEXITSTATUS(status) === 42, `exit(42): ${describe(status)}`);

    pid = await SAFE_FORK(async () => { for (;;) await getppid(); });
    await SAFE_KILL(pid, SIGKILL);
    await signalled(pid, SIGKILL, false);

    pid = await SAFE_FORK(async () => { await raise(SIGTERM); });
    await signalled(pid, SIGTERM, false);

    const canDump = tst_kconfig_get("CONFIG_COREDUMP") === "y" && tst_kconfig_get("CONFIG_ELF_CORE") === "y";
    tst_res(TINFO, `the kernel ${canDump ? "can" : "cannot"} dump core (CONFIG_COREDUMP, CONFIG_ELF_CORE)`);
    pid = await SAFE_FORK(overrun(RLIM_INFINITY));
    await signalled(pid, SIGSEGV, canDump);
    const core = await open("core", O_RDONLY);
    TST_EXP_EXPR((core >= 0) === canDump, `a file "core" ${canDump ? "was" : "was not"} written`);
    if (core >= 0) await SAFE_CLOSE(core);

    pid = await SAFE_FORK(overrun(0n));
    await signalled(pid, SIGSEGV, false);
  },
});
