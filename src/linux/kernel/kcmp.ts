import type { Kernel, KernelObjectId, Task } from "../include/linux/sched.js";
import { EBADF, EFAULT, EINVAL, EOPNOTSUPP, EPERM, ESRCH } from "../include/uapi/errno.js";
import {
  KCMP_EPOLL_TFD, KCMP_FILE, KCMP_FILES, KCMP_FS, KCMP_IO, KCMP_SIGHAND, KCMP_SYSVSEM, KCMP_TYPES, KCMP_VM,
} from "../include/uapi/kcmp.js";
import { int, type SyscallHandler, uint, ulong } from "../include/linux/syscalls.js";
import type { Word } from "../include/uapi/word.js";
import { ptraceMayAccess, PTRACE_MODE_READ_REALCREDS } from "./ptrace.js";
import { seededRandom } from "./sched.js";

/** A kcmp cookie pair: the identity is XORed with the first and multiplied by the second (odd, top bit set). */
type KcmpCookie = readonly [bigint, bigint];

const cookiesByKernel = new WeakMap<Kernel, readonly KcmpCookie[]>();

/**
 * kcmp_cookies_init(): the per-boot secrets, one pair per KCMP_TYPES entry, drawn from the
 * boot's seed (on first use: nothing else draws from this generator, so when does not matter).
 */
function kcmpCookies(kernel: Kernel): readonly KcmpCookie[] {
  let cookies = cookiesByKernel.get(kernel);
  if (!cookies) {
    const rnd = seededRandom(kernel.seed ^ 0x6b636d70);
    const word = () => (BigInt(Math.floor(rnd() * 2 ** 32)) << 32n) | BigInt(Math.floor(rnd() * 2 ** 32));
    cookies = Array.from({ length: KCMP_TYPES }, (): KcmpCookie => [word(), word() | (1n << 63n) | 1n]);
    cookiesByKernel.set(kernel, cookies);
  }
  return cookies;
}

/**
 * kcmp_ptr(): 0 equal, 1 less, 2 greater, after obfuscating both identities with this boot's
 * cookies for the type, so the order is stable within a boot but says nothing about memory
 * (a probe: kcmp(p, c, KCMP_VM) gave 2 and kcmp(c, p, KCMP_VM) 1; another boot the reverse).
 * A missing object (a zombie's mm, no io_context yet) compares as address 0.
 */
function kcmpPtr(task: Task, a: KernelObjectId | null, b: KernelObjectId | null, type: number): number {
  const [c0, c1] = kcmpCookies(task.kernel)[type]!;
  const t1 = BigInt.asIntN(64, (BigInt(a?.id ?? 0) ^ c0) * c1);
  const t2 = BigInt.asIntN(64, (BigInt(b?.id ?? 0) ^ c0) * c1);
  return (t1 < t2 ? 1 : 0) | (t1 > t2 ? 2 : 0);
}

/** struct kcmp_epoll_slot is three __u32: efd, tfd, toff. */
const KCMP_EPOLL_SLOT_SIZE = 12;

function kcmp(task: Task, pid1: number, pid2: number, type: number, idx1: Word, idx2: Word): number {
  // Tasks are looked up first (ESRCH before anything else), then access is checked.
  const task1 = task.kernel.pids.find(pid1);
  const task2 = task.kernel.pids.find(pid2);
  if (!task1 || !task2) return -ESRCH;
  if (!ptraceMayAccess(task, task1, PTRACE_MODE_READ_REALCREDS) || !ptraceMayAccess(task, task2, PTRACE_MODE_READ_REALCREDS)) {
    return -EPERM;
  }
  switch (type) {
    case KCMP_FILE: {
      // get_file_raw_ptr() takes an unsigned int: the upper half of idx is dropped
      // (a probe: kcmp(p, p, KCMP_FILE, (1UL << 32) + fd, fd) gave 0).
      const f1 = task1.files?.get(uint(idx1)) ?? null;
      const f2 = task2.files?.get(uint(idx2)) ?? null;
      return f1 && f2 ? kcmpPtr(task, f1, f2, KCMP_FILE) : -EBADF;
    }
    case KCMP_VM: return kcmpPtr(task, task1.mm, task2.mm, type);
    case KCMP_FILES: return kcmpPtr(task, task1.files, task2.files, type);
    case KCMP_FS: return kcmpPtr(task, task1.fs, task2.fs, type);
    case KCMP_SIGHAND: return kcmpPtr(task, task1.sighand, task2.sighand, type);
    case KCMP_IO: return kcmpPtr(task, task1.ioContext, task2.ioContext, type);
    case KCMP_SYSVSEM:
      if (!task.kernel.linked.config.enabled("SYSVIPC")) return -EOPNOTSUPP;
      return kcmpPtr(task, task1.sysvsemUndo, task2.sysvsemUndo, type);
    case KCMP_EPOLL_TFD:
      // kcmp_epoll_target(): EOPNOTSUPP without CONFIG_EPOLL; else the slot is read first
      // (EFAULT even before a bad idx1, as a probe showed), then idx1 and slot.efd must be
      // open, and slot.efd must be an epoll file: this kernel has no epoll files yet.
      if (!task.kernel.linked.config.enabled("EPOLL")) return -EOPNOTSUPP;
      {
        const slot = task.mm!.read(ulong(idx2), KCMP_EPOLL_SLOT_SIZE);
        if (!slot) return -EFAULT;
        const efd = new DataView(slot.buffer).getUint32(0, true);
        if (!task1.files?.get(uint(idx1)) || !task2.files?.get(efd)) return -EBADF;
        return -EINVAL;
      }
    default:
      return -EINVAL;
  }
}

export const sys_kcmp: SyscallHandler = (task, a0, a1, a2, a3, a4) => kcmp(task, int(a0), int(a1), int(a2), a3, a4);
