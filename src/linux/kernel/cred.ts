/** struct cred: the identity a task acts with. */
export interface Cred {
  readonly uid: number; readonly euid: number; readonly suid: number; readonly fsuid: number;
  readonly gid: number; readonly egid: number; readonly sgid: number; readonly fsgid: number;
  /** Effective capabilities, as a set of CAP_* numbers. */
  readonly capEffective: ReadonlySet<number>;
}

/** include/uapi/linux/capability.h */
export const CAP_SYS_PTRACE = 19;

const ALL_CAPS: ReadonlySet<number> = new Set(Array.from({ length: 41 }, (_, i) => i));

/** init_cred: root with every capability, as the first process starts. */
export const INIT_CRED: Cred = Object.freeze({
  uid: 0, euid: 0, suid: 0, fsuid: 0, gid: 0, egid: 0, sgid: 0, fsgid: 0, capEffective: ALL_CAPS,
});

/** An unprivileged identity: uid and gid everywhere, no capabilities. */
export function userCred(uid: number, gid = uid): Cred {
  return Object.freeze({ uid, euid: uid, suid: uid, fsuid: uid, gid, egid: gid, sgid: gid, fsgid: gid, capEffective: new Set<number>() });
}
