/** struct cred: the identity a task acts with. */
export interface Cred {
  readonly uid: number; readonly euid: number; readonly suid: number; readonly fsuid: number;
  readonly gid: number; readonly egid: number; readonly sgid: number; readonly fsgid: number;
  /** Effective capabilities, as a set of CAP_* numbers. */
  readonly capEffective: ReadonlySet<number>;
}
