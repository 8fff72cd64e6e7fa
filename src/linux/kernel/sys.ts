import type { Task } from "../include/linux/sched.js";
import type { Rlimit } from "../include/linux/sched/signal.js";
import { EFAULT, EINVAL, EPERM, ESRCH } from "../include/uapi/errno.js";
import { RLIM_NLIMITS, RLIMIT_NOFILE, SIZEOF_RLIMIT } from "../include/uapi/resource.js";
import { int, type SyscallHandler, uint, ulong } from "../include/linux/syscalls.js";
import { CAP_SYS_RESOURCE } from "./cred.js";

/** sysctl fs.nr_open: the most descriptors a process may be allowed (1024 * 1024). */
export const NR_OPEN = 1048576n;

function getRlimitFromUser(task: Task, addr: number): Rlimit | null {
  const b = task.mm!.read(addr, SIZEOF_RLIMIT);
  if (!b) return null;
  const v = new DataView(b.buffer);
  return { cur: v.getBigUint64(0, true), max: v.getBigUint64(8, true) };
}

function putRlimitToUser(task: Task, addr: number, r: Rlimit): boolean {
  const b = new Uint8Array(SIZEOF_RLIMIT);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, r.cur, true);
  v.setBigUint64(8, r.max, true);
  return task.mm!.write(addr, b);
}

/**
 * do_prlimit(): the resource, then the new limit's sanity (soft above hard: EINVAL; a
 * RLIMIT_NOFILE hard limit above nr_open: EPERM), then raising a hard limit needs
 * CAP_SYS_RESOURCE. The old value is what was there before. probe: cur > max: EINVAL; NOFILE
 * max 2^20+1: EPERM; resource 16: EINVAL (before a bad pointer for getrlimit, after it for
 * setrlimit, which copies first); an unprivileged raise of the hard limit: EPERM.
 */
function doPrlimit(current: Task, tsk: Task, resource: number, next: Rlimit | null, old: { value?: Rlimit }): number {
  if (resource >= RLIM_NLIMITS) return -EINVAL;
  if (next) {
    if (next.cur > next.max) return -EINVAL;
    if (resource === RLIMIT_NOFILE && next.max > NR_OPEN) return -EPERM;
  }
  const rlim = tsk.signal.rlim[resource]!;
  if (next && next.max > rlim.max && !current.cred.capEffective.has(CAP_SYS_RESOURCE)) return -EPERM;
  old.value = { ...rlim };
  if (next) tsk.signal.rlim[resource] = next;
  return 0;
}

/** check_prlimit_permission(): another task's limits need its uids and gids, or CAP_SYS_RESOURCE. */
function prlimitPermission(current: Task, tsk: Task): boolean {
  if (current === tsk) return true;
  const c = current.cred, t = tsk.cred;
  const idMatch = c.uid === t.euid && c.uid === t.suid && c.uid === t.uid && c.gid === t.egid && c.gid === t.sgid && c.gid === t.gid;
  return idMatch || c.capEffective.has(CAP_SYS_RESOURCE);
}

function getrlimit(task: Task, resource: number, addr: number): number {
  const old: { value?: Rlimit } = {};
  const err = doPrlimit(task, task, resource, null, old);
  if (err) return err;
  return putRlimitToUser(task, addr, old.value!) ? 0 : -EFAULT;
}

function setrlimit(task: Task, resource: number, addr: number): number {
  const next = getRlimitFromUser(task, addr);
  if (!next) return -EFAULT;
  return doPrlimit(task, task, resource, next, {});
}

/** prlimit64(): the new limit is copied first, then the task is looked up (ESRCH) and checked (EPERM). */
function prlimit64(task: Task, pid: number, resource: number, newAddr: number, oldAddr: number): number {
  let next: Rlimit | null = null;
  if (newAddr) {
    next = getRlimitFromUser(task, newAddr);
    if (!next) return -EFAULT;
  }
  const tsk = pid ? task.kernel.pids.find(pid) : task;
  if (!tsk) return -ESRCH;
  if (!prlimitPermission(task, tsk)) return -EPERM;
  const old: { value?: Rlimit } = {};
  const err = doPrlimit(task, tsk, resource, next, old);
  if (err) return err;
  if (oldAddr && !putRlimitToUser(task, oldAddr, old.value!)) return -EFAULT;
  return 0;
}

export const sys_getpid: SyscallHandler = (task) => task.tgid;
export const sys_gettid: SyscallHandler = (task) => task.pid;
/** The parent's tgid; 0 once the parent is outside the caller's pid namespace (init's case). */
export const sys_getppid: SyscallHandler = (task) => task.parent?.tgid ?? 0;
export const sys_getuid: SyscallHandler = (task) => task.cred.uid;
export const sys_geteuid: SyscallHandler = (task) => task.cred.euid;
export const sys_getgid: SyscallHandler = (task) => task.cred.gid;
export const sys_getegid: SyscallHandler = (task) => task.cred.egid;
export const sys_getpgrp: SyscallHandler = (task) => task.pgid;
export const sys_getrlimit: SyscallHandler = (task, a0, a1) => getrlimit(task, uint(a0), ulong(a1));
export const sys_setrlimit: SyscallHandler = (task, a0, a1) => setrlimit(task, uint(a0), ulong(a1));
export const sys_prlimit64: SyscallHandler = (task, a0, a1, a2, a3) => prlimit64(task, int(a0), uint(a1), ulong(a2), ulong(a3));
