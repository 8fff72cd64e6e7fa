/*
 * An alarm interrupts a blocking call: pause() returns EINTR after the SIGALRM handler ran,
 * and alarm() reports the seconds the previous alarm had left (rounded), 0 for none.
 * alarm() is built with CONFIG_POSIX_TIMERS (kernel/time/itimer.c) and riscv64 has no alarm
 * syscall at all, so this ends in TCONF there, with the reason.
 * probe (x86_64): alarm(5) then alarm(2): 5 (nothing elapsed); pause() after alarm(1): -1
 * EINTR with the handler run once.
 */
import {
  alarm, defineTest, EINTR, pause, SAFE_SIGACTION, SIGALRM, TFAIL, TPASS, TST_EXP_EQ_LI, TST_EXP_FAIL, tst_res,
  tst_syscall,
} from "../../../../src/ltp/index.js";

let alarms = 0;

export default defineTest({
  async setup() {
    alarms = 0;
    await SAFE_SIGACTION(SIGALRM, { handler: () => { alarms++; } });
  },
  async test_all() {
    TST_EXP_EQ_LI(await tst_syscall("alarm", 5), 0, "alarm(5) with no alarm set", "0");
    TST_EXP_EQ_LI(await alarm(1), 5, "alarm(1) after alarm(5)", "5");
    await TST_EXP_FAIL(pause(), EINTR, "pause() until the alarm");
    if (alarms === 1) tst_res(TPASS, "the SIGALRM handler ran once");
    else tst_res(TFAIL, `the SIGALRM handler ran ${alarms} times`);
    TST_EXP_EQ_LI(await alarm(0), 0, "alarm(0) after the alarm went off", "0");
  },
});
