/*
 * Verify that a child inherits its parent's environment variables and that its changes to
 * them do not reach the parent. The environment is the process's memory (the array exec put
 * on the stack, the strings setenv() allocates), so a fork child works on a copy.
 * (LTP's fork04; where LTP's child pauses at checkpoints between its changes, here each
 * change is made by its own child and checked after that child has exited.)
 */
import {
  defineTest, getenv, SAFE_FORK, SAFE_SETENV, SAFE_WAITPID, TBROK, TFAIL, TINFO, TST_EXP_EXPR, tst_brk, tst_res,
  unsetenv,
} from "../../../../src/ltp/index.js";

const ENV_KEY = "LTP_FORK04";
const ENV_VAL0 = "PASS";
const ENV_VAL1 = "FAIL";

function inheritedValue(): string {
  const val = getenv(ENV_KEY);
  if (val === null) tst_brk(TBROK, `Can't find ${ENV_KEY} environ variable`);
  TST_EXP_EXPR(val === ENV_VAL0, `${ENV_KEY} environ variable has been inherited by the child`);
  return val;
}

function checkParent(what: string): void {
  const val = getenv(ENV_KEY);
  if (val === null) tst_res(TFAIL, `${ENV_KEY} environ variable has been unset inside parent`);
  else TST_EXP_EXPR(val === ENV_VAL0, `${ENV_KEY} environ variable ${what} inside parent`);
}

export default defineTest({
  forks_child: true,
  async test_all() {
    tst_res(TINFO, `Set ${ENV_KEY}=${ENV_VAL0} environ variable inside parent`);
    SAFE_SETENV(ENV_KEY, ENV_VAL0, 0);
    tst_res(TINFO, "Spawning child");
    await SAFE_WAITPID(await SAFE_FORK(() => {
      inheritedValue();
      tst_res(TINFO, `Unset ${ENV_KEY} environ variable inside child`);
      if (unsetenv(ENV_KEY) === -1) tst_brk(TBROK, `Can't unset ${ENV_KEY} environ variable`);
    }));
    checkParent("is still present");
    await SAFE_WAITPID(await SAFE_FORK(() => {
      inheritedValue();
      tst_res(TINFO, `Set ${ENV_KEY}=${ENV_VAL1} environ variable inside child`);
      SAFE_SETENV(ENV_KEY, ENV_VAL1, 1);
    }));
    checkParent("didn't change");
  },
});
