import type { Word } from "../../linux/include/uapi/word.js";
import { errno } from "../libc/errno.js";
import { errnoText, setTestErrno, TFAIL, TPASS, tst_res } from "./tst_res.js";

/** TST_RET and TST_ERR of one TEST(): the result as the call's C type has it (a number, or a long's word). */
export interface TestResult<R extends Word = Word> {
  readonly ret: R;
  readonly err: number;
}

/** TEST(): runs a call and keeps its return value and errno (for TTERRNO). */
export async function TEST<R extends Word>(call: R | Promise<R>): Promise<TestResult<R>> {
  const ret = await call;
  const err = ret === -1 ? errno() : 0;
  setTestErrno(err);
  return { ret, err };
}

/** TST_EXP_PASS(): the call must return 0. */
export async function TST_EXP_PASS(call: Word | Promise<Word>, description: string): Promise<boolean> {
  const { ret } = await TEST(call);
  if (ret === 0) {
    tst_res(TPASS, `${description} passed`);
    return true;
  }
  if (ret === -1) tst_res(TFAIL | 0x200, `${description} failed`);
  else tst_res(TFAIL, `${description} returned ${ret}`);
  return false;
}

/** TST_EXP_FAIL(): the call must return -1 with errno `expected`. */
export async function TST_EXP_FAIL(call: Word | Promise<Word>, expected: number, description: string): Promise<boolean> {
  const { ret, err } = await TEST(call);
  if (ret !== -1) {
    tst_res(TFAIL, `${description} succeeded`);
    return false;
  }
  if (err === expected) {
    tst_res(TPASS | 0x200, description);
    return true;
  }
  tst_res(TFAIL | 0x200, `${description} expected ${errnoText(expected)}`);
  return false;
}

/** TST_EXP_EXPR(): TPASS with the description when the expression holds, TFAIL otherwise. */
export function TST_EXP_EXPR(expr: boolean, description: string): boolean {
  tst_res(expr ? TPASS : TFAIL, `Expect: ${description}`);
  return expr;
}

/** TST_EXP_EQ_LI(): two longs must be equal; the message names both expressions. */
export function TST_EXP_EQ_LI(val: Word, expected: Word, valName = "val", expectedName = "expected"): boolean {
  if (val === expected) {
    tst_res(TPASS, `${valName} == ${expectedName} (${val})`);
    return true;
  }
  tst_res(TFAIL, `${valName} (${val}) != ${expectedName} (${expected})`);
  return false;
}
