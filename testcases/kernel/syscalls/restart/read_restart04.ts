/*
 * The classic SA_RESTART example: a loop that reads a character until it gets one or a
 * signal says stop,
 *
 *     while (read(fd, &ch, 1) != 1 && !signaled)
 *         ;
 *
 * With SA_RESTART on the SIGINT handler the read is restarted, so the loop only ends when
 * the character comes; without it, read() fails with EINTR and the loop ends on the signal.
 * probe (x86_64): SIGINT at 0.1 s, a character at 0.2 s: with SA_RESTART the loop ended with
 * the character read; without it with read() -1 EINTR before it was written.
 */
import {
  defineTest, EINTR, errno, getpid, peekBytes, pokeBytes, read, SA_RESTART, SAFE_MALLOC, SAFE_PIPE, SAFE_SIGACTION,
  SAFE_WAITPID, SAFE_WRITE, SIGINT, TFAIL, TPASS, tst_kill_after, tst_res,
} from "../../../../src/ltp/index.js";

let signaled = false;
const CASES = [
  { flags: SA_RESTART, desc: "with SA_RESTART", endsOnData: true },
  { flags: 0, desc: "without SA_RESTART", endsOnData: false },
];

export default defineTest({
  forks_child: true,
  tcnt: CASES.length,
  async test(n) {
    const tc = CASES[n]!;
    signaled = false;
    await SAFE_SIGACTION(SIGINT, { handler: () => { signaled = true; }, flags: tc.flags });
    const ch = SAFE_MALLOC(1), data = SAFE_MALLOC(1);
    pokeBytes(data, Buffer.from("x"));
    const [rfd, wfd] = await SAFE_PIPE(SAFE_MALLOC(8));
    const child = await tst_kill_after(100, await getpid(), SIGINT, () => SAFE_WRITE(1, wfd, data, 1));
    let r: number;
    while ((r = await read(rfd, ch, 1)) !== 1 && !signaled);
    const gotData = r === 1 && peekBytes(ch, 1)[0] === 0x78;
    if (tc.endsOnData && gotData) tst_res(TPASS, `the loop ${tc.desc} ran until the character came`);
    else if (!tc.endsOnData && r === -1 && errno() === EINTR && signaled) tst_res(TPASS, `the loop ${tc.desc} ended on the signal (read() EINTR)`);
    else tst_res(TFAIL, `the loop ${tc.desc} ended with read() = ${r}, signaled = ${signaled}`);
    await SAFE_WAITPID(child);
  },
});
