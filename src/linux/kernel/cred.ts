import type { Cred } from "../include/linux/cred.js";
import type { Task } from "../include/linux/sched.js";

/** include/uapi/linux/capability.h */
export const CAP_KILL = 5, CAP_MKNOD = 27, CAP_IPC_LOCK = 14, CAP_SYS_RAWIO = 17, CAP_SYS_PTRACE = 19, CAP_SYS_ADMIN = 21,
  CAP_SYS_RESOURCE = 24, CAP_CHECKPOINT_RESTORE = 40;

const ALL_CAPS: ReadonlySet<number> = new Set(Array.from({ length: 41 }, (_, i) => i));

/** init_cred: root with every capability, as the first process starts. */
export const INIT_CRED: Cred = Object.freeze({
  uid: 0, euid: 0, suid: 0, fsuid: 0, gid: 0, egid: 0, sgid: 0, fsgid: 0, capEffective: ALL_CAPS,
});

/**
 * commit_creds(): the task acts with `cred` from now on. Its process count moves to the new
 * real uid (what RLIMIT_NPROC limits), as commit_creds() moves the ucounts.
 */
export function commitCreds(task: Task, cred: Cred): void {
  const counts = task.kernel.nprocByUid;
  if (cred.uid !== task.cred.uid) {
    counts.set(task.cred.uid, counts.get(task.cred.uid)! - 1);
    counts.set(cred.uid, (counts.get(cred.uid) ?? 0) + 1);
  }
  task.cred = cred;
}

/** An unprivileged identity: uid and gid everywhere, no capabilities. */
export function userCred(uid: number, gid = uid): Cred {
  return Object.freeze({ uid, euid: uid, suid: uid, fsuid: uid, gid, egid: gid, sgid: gid, fsgid: gid, capEffective: new Set<number>() });
}
