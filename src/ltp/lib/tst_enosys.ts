/**
 * What a test reports when a call answered ENOSYS: LTP only says the call is not supported;
 * ltp-run asks the target why. Where the target's configuration leaves the call out (or the
 * arch has none), the test cannot run: TCONF with the resolver's category and reason. Where
 * the configuration builds it in, ENOSYS is a broken table or link, or an emulator that lacks
 * the call: TFAIL, the regression an emulator's CI must catch.
 */
import { TCONF, TFAIL, type ResultType } from "../../report/result.js";
import { job } from "../context.js";

export interface EnosysVerdict {
  readonly type: ResultType;
  readonly message: string;
  readonly category?: string;
}

export function enosysVerdict(name: string): EnosysVerdict {
  const why = job().target.explainEnosys(name);
  if (why.builtIn) return { type: TFAIL, message: `${name}() returned ENOSYS but the config builds it in: ${why.reason}` };
  return { type: TCONF, message: why.reason, category: why.category };
}
