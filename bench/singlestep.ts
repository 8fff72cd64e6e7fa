/**
 * `npm run bench`: PTRACE_SINGLESTEP round trips (step, then the tracer's waitpid) between two
 * emulated processes, the tracee in a loop of nops, beside the same loop in C on this machine's
 * kernel (bench/singlestep.c). The target is 100x the real kernel's rate.
 */
import { join } from "node:path";
import { loadConfig } from "../src/runner/configs.js";
import { packageRoot } from "../src/runner/paths.js";
import { link } from "../src/linux/kbuild/link.js";
import { PTRACE_KILL, PTRACE_SINGLESTEP } from "../src/linux/include/uapi/ptrace.js";
import { SAFE_PTRACE, tst_fork_tracee, tst_load_code, TST_RAISE_SIGSTOP, waitpid } from "../src/ltp/index.js";
import { fmtRate, runCReference } from "./reference.js";
import { rateInTest } from "./in_test.js";

const N = 100_000;

export async function benchSingleStep(): Promise<void> {
  let pid = 0;
  const emulated = await rateInTest(link(loadConfig("defconfig")), "bench_singlestep", N, 10_000, async () => {
    await SAFE_PTRACE(PTRACE_SINGLESTEP, pid);
    await waitpid(pid, 0);
  }, async () => {
    const code = await tst_load_code(`${TST_RAISE_SIGSTOP}\n top: nop\n nop\n nop\n jmp top`);
    pid = await tst_fork_tracee(code.addr);
  }, async () => {
    await SAFE_PTRACE(PTRACE_KILL, pid);
    await waitpid(pid, 0);
  });
  console.log(`single-steps, emulated (PTRACE_SINGLESTEP + waitpid between two processes): ${fmtRate(emulated)}`);
  const ref = runCReference(join(packageRoot(), "bench", "singlestep.c"), [String(N)]);
  if ("rate" in ref) {
    console.log(`single-steps, real kernel (C PTRACE_SINGLESTEP loop): ${fmtRate(ref.rate)}`);
    console.log(`ratio emulated / real: ${(emulated / ref.rate).toFixed(1)}x (target: >= 100x)`);
  } else {
    console.log(ref.skipped);
  }
}
