import type { TaskStruct } from "../task_struct.js";
import {
  RLIM_INFINITY, RLIM_NLIMITS, RLIMIT_CORE, RLIMIT_MEMLOCK, RLIMIT_MSGQUEUE, RLIMIT_NICE, RLIMIT_NOFILE,
  RLIMIT_NPROC, RLIMIT_RTPRIO, RLIMIT_SIGPENDING, RLIMIT_STACK,
} from "../../uapi/resource.js";
import { SIGKILL } from "../../uapi/signal.js";

/** struct rlimit: soft (cur) and hard (max) limits, unsigned longs (RLIM_INFINITY is 2^64-1). */
export interface Rlimit {
  readonly cur: bigint;
  readonly max: bigint;
}

/** signal_struct flags, include/linux/sched/signal.h. */
/** A group stop is complete: every thread is stopped. */
export const SIGNAL_STOP_STOPPED = 0x01;
/** SIGCONT ended a stop, and wait(WCONTINUED) has not reported it yet. */
export const SIGNAL_STOP_CONTINUED = 0x02;
export const SIGNAL_GROUP_EXIT = 0x04;
/** The parent is still to be told (SIGCHLD) that the group stopped or continued. */
export const SIGNAL_CLD_STOPPED = 0x10;
export const SIGNAL_CLD_CONTINUED = 0x20;
export const SIGNAL_CLD_MASK = SIGNAL_CLD_STOPPED | SIGNAL_CLD_CONTINUED;
/** The global init: signals it has no handler for are not delivered (not even SIGKILL from user space). */
export const SIGNAL_UNKILLABLE = 0x40;

/** include/uapi/linux/fs.h: the RLIMIT_NOFILE init starts with. */
export const INR_OPEN_CUR = 1024n, INR_OPEN_MAX = 4096n;

/**
 * INIT_RLIMITS (include/asm-generic/resource.h) as fork_init() completes them: RLIMIT_NPROC
 * and RLIMIT_SIGPENDING are half of max_threads, which the machine's memory decides.
 */
export function initRlimits(maxThreads: number): Rlimit[] {
  const rlim: Rlimit[] = Array.from({ length: RLIM_NLIMITS }, () => ({ cur: RLIM_INFINITY, max: RLIM_INFINITY }));
  const set = (r: number, cur: bigint, max: bigint) => { rlim[r] = { cur, max }; };
  set(RLIMIT_STACK, 8n << 20n, RLIM_INFINITY);
  set(RLIMIT_CORE, 0n, RLIM_INFINITY);
  set(RLIMIT_NPROC, BigInt(maxThreads >> 1), BigInt(maxThreads >> 1));
  set(RLIMIT_NOFILE, INR_OPEN_CUR, INR_OPEN_MAX);
  set(RLIMIT_MEMLOCK, 8n << 20n, 8n << 20n);
  set(RLIMIT_SIGPENDING, BigInt(maxThreads >> 1), BigInt(maxThreads >> 1));
  set(RLIMIT_MSGQUEUE, 819200n, 819200n);
  set(RLIMIT_NICE, 0n, 0n);
  set(RLIMIT_RTPRIO, 0n, 0n);
  return rlim;
}

/**
 * kernel_siginfo: what a queued signal carries to its handler (SA_SIGINFO) or to waitid().
 * Only the fields the emulated senders fill are kept; the rest of siginfo_t reads as 0.
 */
export interface KernelSiginfo {
  readonly signo: number;
  readonly code: number;
  readonly errno?: number;
  /** si_pid and si_uid of kill(), tgkill(), SIGCHLD. */
  readonly pid?: number;
  readonly uid?: number;
  /** SIGCHLD: the exit status or signal. */
  readonly status?: number;
  /** Faults: the address (si_addr). */
  readonly addr?: number;
}

/** A signal get_signal() hands to the arch to run its handler (struct ksignal). */
export interface KSignal {
  readonly sig: number;
  readonly info: KernelSiginfo;
  /** The action as it was when dequeued (SA_RESETHAND may have reset the live one since). */
  readonly handler: number;
  readonly flags: number;
  readonly restorer: number;
  readonly mask: bigint;
}

/**
 * struct sigpending: the set of pending signals and their queue of siginfo. A standard signal
 * is queued once however often it is sent (legacy_queue()); real-time signals queue each.
 */
export class SigPending {
  /** Bit n-1 for signal n. */
  signal = 0n;
  readonly list: KernelSiginfo[] = [];

  /** Takes the first queued siginfo of `sig`; the bit stays while more of it are queued. */
  collect(sig: number, bit: bigint): KernelSiginfo {
    const i = this.list.findIndex((q) => q.signo === sig);
    const info = i >= 0 ? this.list.splice(i, 1)[0]! : { signo: sig, code: 0 };
    if (!this.list.some((q) => q.signo === sig)) this.signal &= ~bit;
    return info;
  }

  /** Drops every queued instance of the signals in `mask` (flush_sigqueue_mask()). */
  flush(mask: bigint): void {
    if (!(this.signal & mask)) return;
    this.signal &= ~mask;
    for (let i = this.list.length - 1; i >= 0; i--) {
      if (mask & (1n << BigInt(this.list[i]!.signo - 1))) this.list.splice(i, 1);
    }
  }
}

/**
 * ITIMER_REAL of a process: the alarm clock, with its reload interval (nanoseconds). A
 * periodic one is not re-armed when it fires but when its SIGALRM is dequeued
 * (dequeue_signal()'s hrtimer_forward() and hrtimer_restart()): while the signal is ignored,
 * blocked, or its process is dead, the timer stays expired. probe: an interval of 10 ms with
 * SIGALRM ignored, or blocked, read back after 55 ms as value 0, interval 0.010000.
 */
export interface RealTimer {
  /** When it expires (scheduler time); while `queued`. */
  readonly expires: number;
  readonly interval: number;
  /** Armed and not yet expired (hrtimer_is_queued()). */
  readonly queued: boolean;
  /** The SIGALRM was dequeued: a periodic timer that expired is forwarded past now and armed again. */
  readonly rearm: () => void;
  readonly cancel: () => void;
}

/**
 * struct signal_struct: what the threads of a process share — the thread list, resource
 * limits, the signals sent to the whole group, and group exit state. fork copies the limits
 * (copy_signal()); CLONE_THREAD shares it all.
 */
export class SignalStruct {
  /** thread_head: the group's tasks, leader first, until each is released. */
  readonly threads: TaskStruct[] = [];
  /** Signals sent to the group (shared_pending). */
  readonly sharedPending = new SigPending();
  flags = 0;
  /**
   * The wait status the group exits with once SIGNAL_GROUP_EXIT is set; during a group stop,
   * the stopping signal (what wait(WUNTRACED) reports once, then 0).
   */
  groupExitCode = 0;
  /** Threads still to stop before the group stop is complete. */
  groupStopCount = 0;
  /** The ITIMER_REAL timer (alarm()), per process and not inherited by fork. */
  realTimer: RealTimer | null = null;
  /** wait_chldexit: the group's tasks asleep in wait4()/waitid() (made on first use). */
  waitChldexit: TaskStruct[] | null = null;

  /** The limits: each Rlimit is immutable, so a copy of the array is a copy of them all. */
  constructor(readonly rlim: Rlimit[]) {}

  /** copy_signal(): a new process's signal_struct, with its parent's limits. */
  copy(): SignalStruct {
    return new SignalStruct(this.rlim.slice());
  }
}

/** rlimit(): a task's limit for a resource. */
export function rlimit(task: TaskStruct, resource: number): Rlimit {
  return task.signal.rlim[resource]!;
}

/** The soft RLIMIT_NOFILE as a number (it never exceeds sysctl nr_open, 2^20). */
export function nofileLimit(task: TaskStruct): number {
  return Number(task.signal.rlim[RLIMIT_NOFILE]!.cur);
}

const SIGKILL_BIT = 1n << BigInt(SIGKILL - 1);

/** __fatal_signal_pending(): SIGKILL is queued for the task. */
export function fatalSignalPending(task: TaskStruct): boolean {
  return (task.pending.signal & SIGKILL_BIT) !== 0n;
}

/**
 * signal_pending(): a signal waits to be acted on when the task returns to user space (to run
 * a handler, stop it, or kill it). A blocking system call that sees it gives up with
 * -ERESTARTSYS (or another -ERESTART* code) and lets the return path decide what the caller
 * sees: EINTR, a transparent restart, or the count already transferred.
 */
export function signalPending(task: TaskStruct): boolean {
  return task.signalPending;
}
