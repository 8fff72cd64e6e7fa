/*
 * waitid(WEXITED) fills in the siginfo of the child that ended: si_signo SIGCHLD, si_pid,
 * si_uid, and si_code with si_status:
 * 1) exit(5): CLD_EXITED, 5;
 * 2) SIGKILL: CLD_KILLED, SIGKILL;
 * 3) SIGSEGV with a core dump allowed: CLD_DUMPED where the kernel dumps core, else CLD_KILLED.
 * A probe on the real kernel: code 1 status 5 (here 42), code 2 status 15 for SIGTERM, code 3
 * status 11.
 * (LTP's waitid01 checks 1).)
 */
import {
  CLD_DUMPED, CLD_EXITED, CLD_KILLED, defineTest, exit, getppid, getuid, P_PID, pokeBytes, RLIM_INFINITY, RLIMIT_CORE,
  SAFE_FORK, SAFE_KILL, SAFE_SETRLIMIT, SIGCHLD, SIGKILL, SIGSEGV, tst_alloc, tst_kconfig_get, TST_EXP_EXPR, waitid,
  WEXITED, type WaitidInfo,
} from "../../../../src/ltp/index.js";

async function check(pid: number, code: number, status: number, what: string): Promise<void> {
  const { ret, info } = await waitid(P_PID, pid, WEXITED);
  const uid = await getuid();
  const show = (i: WaitidInfo) => `signo ${i.si_signo} code ${i.si_code} pid ${i.si_pid} uid ${i.si_uid} status ${i.si_status}`;
  TST_EXP_EXPR(ret === 0 && info.si_signo === SIGCHLD && info.si_code === code && info.si_pid === pid
    && info.si_uid === uid && info.si_status === status, `${what}: ${show(info)}`);
}

export default defineTest({
  needs_tmpdir: true,
  forks_child: true,
  async test_all() {
    let pid = await SAFE_FORK(() => exit(5));
    await check(pid, CLD_EXITED, 5, "exit(5)");

    pid = await SAFE_FORK(async () => { for (;;) await getppid(); });
    await SAFE_KILL(pid, SIGKILL);
    await check(pid, CLD_KILLED, SIGKILL, "SIGKILL");

    const canDump = tst_kconfig_get("CONFIG_COREDUMP") === "y" && tst_kconfig_get("CONFIG_ELF_CORE") === "y";
    pid = await SAFE_FORK(async () => {
      await SAFE_SETRLIMIT(RLIMIT_CORE, { rlim_cur: RLIM_INFINITY, rlim_max: RLIM_INFINITY });
      pokeBytes(await tst_alloc(1), new Uint8Array(2));
    });
    await check(pid, canDump ? CLD_DUMPED : CLD_KILLED, SIGSEGV, canDump ? "SIGSEGV, core dumped" : "SIGSEGV (no core dumps in this kernel)");
  },
});
