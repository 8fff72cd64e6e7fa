/** LTP's tst_pid.c: a pid for a test that needs one nobody has. */
import { ESRCH } from "../../linux/include/uapi/errno.js";
import { errno } from "../libc/errno.js";
import { kill } from "../libc/signal.js";
import { TBROK, TERRNO, tst_brk } from "./tst_res.js";

/** PID_MAX_LIMIT on 64-bit (include/linux/threads.h): pid_max can be set no higher. */
const PID_MAX_LIMIT = 4 * 1024 * 1024;

/**
 * tst_get_unused_pid(): a pid nobody has. LTP returns pid_max from /proc (pids stay below
 * it); without procfs, the highest pid_max Linux allows is such a pid on any configuration.
 * kill(pid, 0) confirms nobody has it.
 */
export async function tst_get_unused_pid(): Promise<number> {
  if ((await kill(PID_MAX_LIMIT, 0)) !== -1 || errno() !== ESRCH) tst_brk(TBROK | TERRNO, `pid ${PID_MAX_LIMIT} is in use`);
  return PID_MAX_LIMIT;
}
