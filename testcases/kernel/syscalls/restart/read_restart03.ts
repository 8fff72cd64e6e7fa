/*
 * A signal nobody acts on does not interrupt a blocked read(): one set to SIG_IGN, and those
 * whose default action is to ignore (SIGCHLD, SIGWINCH, SIGURG, SIGCONT) are dropped when
 * sent, so the read goes on and returns the data written afterwards.
 * probe (x86_64): SIG_IGN'd SIGUSR1, default SIGWINCH and SIGCHLD: read() gave 1 each time.
 */
import {
  defineTest, getpid, read, SAFE_MALLOC, SAFE_PIPE, SAFE_SIGACTION, SAFE_WAITPID, SAFE_WRITE, SIG_IGN, SIGCHLD,
  SIGCONT, SIGURG, SIGUSR1, SIGWINCH, signalName, TFAIL, TPASS, tst_kill_after, tst_res,
} from "../../../../src/ltp/index.js";

const CASES = [
  { sig: SIGUSR1, why: "set to SIG_IGN" },
  { sig: SIGCHLD, why: "ignored by default" },
  { sig: SIGWINCH, why: "ignored by default" },
  { sig: SIGURG, why: "ignored by default" },
  { sig: SIGCONT, why: "ignored by default" },
];

export default defineTest({
  forks_child: true,
  tcnt: CASES.length,
  async setup() {
    await SAFE_SIGACTION(SIGUSR1, { handler: SIG_IGN });
  },
  async test(n) {
    const { sig, why } = CASES[n]!;
    const buf = SAFE_MALLOC(8);
    const [rfd, wfd] = await SAFE_PIPE(buf);
    const child = await tst_kill_after(100, await getpid(), sig, () => SAFE_WRITE(1, wfd, buf, 1));
    const r = await read(rfd, buf, 1);
    if (r === 1) tst_res(TPASS, `read() went on through ${signalName(sig)} (${why})`);
    else tst_res(TFAIL, `read() returned ${r} after ${signalName(sig)} (${why})`);
    await SAFE_WAITPID(child);
  },
});
