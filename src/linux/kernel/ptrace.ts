import type { Task } from "../include/linux/sched.js";
import { CAP_SYS_PTRACE } from "./cred.js";

/** PTRACE_MODE_* bits, include/linux/ptrace.h. */
export const PTRACE_MODE_READ = 0x01, PTRACE_MODE_ATTACH = 0x02, PTRACE_MODE_NOAUDIT = 0x04,
  PTRACE_MODE_FSCREDS = 0x08, PTRACE_MODE_REALCREDS = 0x10;
export const PTRACE_MODE_READ_REALCREDS = PTRACE_MODE_READ | PTRACE_MODE_REALCREDS;

/**
 * __ptrace_may_access() without LSMs: a task may always inspect its own thread group;
 * otherwise the caller's (real or fs) uid and gid must match all of the target's uids and
 * gids, unless it has CAP_SYS_PTRACE. (The dumpable check needs exec and setuid, which this
 * emulator does not have yet: every task is dumpable.)
 */
export function ptraceMayAccess(caller: Task, target: Task, mode: number): boolean {
  if (caller.tgid === target.tgid) return true;
  const c = caller.cred, t = target.cred;
  const [uid, gid] = mode & PTRACE_MODE_FSCREDS ? [c.fsuid, c.fsgid] : [c.uid, c.gid];
  const sameIds = uid === t.euid && uid === t.suid && uid === t.uid
    && gid === t.egid && gid === t.sgid && gid === t.gid;
  return sameIds || c.capEffective.has(CAP_SYS_PTRACE);
}
