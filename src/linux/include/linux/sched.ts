import type { LinkedKernel } from "../../kbuild/link.js";
import type { Cred } from "./cred.js";
import type { ArchEntry } from "./entry-common.js";
import type { FilesStruct } from "./fdtable.js";
import type { SuperBlock } from "./fs.js";
import type { FsStruct } from "./fs_struct.js";
import type { MmLayout, MmStruct } from "./mm_types.js";
import type { ArchPtrace, UserRegs } from "./ptrace.js";
import { SigPending, type KernelSiginfo, type SignalStruct } from "./sched/signal.js";
import type { SyscallHandler } from "./syscalls.js";

/** Kernel objects kcmp() can compare carry an identity standing in for their address. */
export interface KernelObjectId {
  readonly id: number;
}

/** _NSIG */
const NSIG = 64;

/**
 * The dispositions of all signals (struct k_sigaction per signal, index sig - 1: SIG_DFL 0,
 * SIG_IGN 1 or a handler address, sa_flags, sa_restorer, sa_mask), kept as arrays. A fork
 * child shares its parent's until either side changes one (refs counts the sharers).
 */
export class SigActions {
  refs = 1;
  readonly handler: Float64Array;
  readonly flags: Uint32Array;
  readonly restorer: Float64Array;
  readonly mask: BigUint64Array;

  constructor(from?: SigActions) {
    this.handler = from ? from.handler.slice() : new Float64Array(NSIG);
    this.flags = from ? from.flags.slice() : new Uint32Array(NSIG);
    this.restorer = from ? from.restorer.slice() : new Float64Array(NSIG);
    this.mask = from ? from.mask.slice() : new BigUint64Array(NSIG);
  }
}

/** struct sighand_struct: the signal dispositions, shared with CLONE_SIGHAND, copied by fork. */
export class SighandStruct implements KernelObjectId {
  count = 1;
  private actions: SigActions;

  constructor(readonly id: number, from?: SighandStruct) {
    if (from) from.actions.refs++;
    this.actions = from ? from.actions : new SigActions();
  }

  /** The dispositions, for reading. */
  get action(): SigActions {
    return this.actions;
  }

  /** The dispositions, for changing: copied first while a fork relative shares them. */
  writable(): SigActions {
    if (this.actions.refs > 1) {
      this.actions.refs--;
      this.actions = new SigActions(this.actions);
    }
    return this.actions;
  }

  /** The last task using it has exited: its share of the dispositions is dropped. */
  release(): void {
    if (--this.count === 0) this.actions.refs--;
  }
}

/** struct io_context: created lazily (none until block I/O or ioprio_set), shared with CLONE_IO. */
export class IoContext implements KernelObjectId {
  constructor(readonly id: number) {}
}

/** struct sem_undo_list: allocated on first SEM_UNDO or by CLONE_SYSVSEM, shared by the latter. */
export class SemUndoList implements KernelObjectId {
  refcnt = 1;
  constructor(readonly id: number) {}
}

/** The state a task can be in, as ps shows it. */
export const enum TaskState {
  /** On the run queue or running. */
  Running = "R",
  /** Waiting for an event (TASK_INTERRUPTIBLE). */
  Sleeping = "S",
  /** Exited, not yet reaped by its parent (EXIT_ZOMBIE). */
  Zombie = "Z",
  /** Stopped by a job-control signal until SIGCONT (TASK_STOPPED). */
  Stopped = "T",
  /** In a ptrace-stop until the tracer resumes it (TASK_TRACED). */
  Traced = "t",
  /** Reaped (EXIT_DEAD). */
  Dead = "X",
}

/**
 * What a task runs in user mode: an async function standing for a C program's code. The
 * kernel starts it when the task is first scheduled; when it settles, the task has left user
 * mode for good (the code is expected to end with exit()).
 */
export type UserEntry = () => Promise<void>;

/** struct task_struct, the parts this emulator keeps. */
export class Task {
  /** Thread group id: what getpid() returns. */
  tgid: number;
  /** The thread group leader (itself for a process). */
  groupLeader: Task;
  /** The task that will be signalled and can wait for it (changes when reparented). */
  parent: Task | null;
  readonly children = new Set<Task>();
  /** Process group and session, inherited on fork. */
  pgid: number;
  sid: number;

  mm: MmStruct | null;
  files: FilesStruct | null;
  fs: FsStruct | null;
  sighand: SighandStruct;
  /** The thread group's shared state: thread list, rlimits, group-wide pending signals. */
  signal: SignalStruct;
  /** The signals this thread blocks (bit n-1 for signal n). */
  blocked = 0n;
  /** Signals sent to this thread alone, with their siginfo. */
  pending: SigPending;
  /** TIF_RESTORE_SIGMASK: the mask to put back once a signal handler is set up (sigsuspend). */
  savedSigmask: bigint | null = null;
  /** JOBCTL_STOP_PENDING: this thread takes part in a group stop on its way to user space. */
  stopPending = false;
  /** The sleep is TASK_INTERRUPTIBLE: a signal wakes the task (a vfork parent's is killable only). */
  interruptible = true;
  /**
   * restart_block.fn: what restart_syscall() runs after a call that returned
   * -ERESTART_RESTARTBLOCK is restarted (nanosleep resuming with the time left).
   */
  restartBlock: ((task: Task) => number | Promise<number>) | null = null;
  /**
   * The user registers as the kernel saves them on entry (struct pt_regs), made on first need:
   * code running on the task only needs them once a signal frame is built or restored.
   */
  regs: UserRegs | null = null;
  /** How many times rt_sigreturn has loaded saved registers into regs. */
  sigreturns = 0;
  /**
   * The task executes machine code (the CPU interpreter): regs are the CPU's registers, and a
   * return to user space at an address with no program function resumes the CPU there.
   */
  machineCode = false;

  /** PT_PTRACED, PT_SEIZED and the PTRACE_O_* options shifted by PT_OPT_FLAG_SHIFT (task->ptrace). */
  ptrace = 0;
  /** The tracer while ptrace is set (Linux's task->parent; `parent` here stays the real parent). */
  tracer: Task | null = null;
  /** The tasks this one traces (task->ptraced). */
  readonly ptraced = new Set<Task>();
  /**
   * The stop code of a ptrace-stop (task->exit_code while traced): the signal, or SIGTRAP with
   * an event in bits 8-15; the tracer's wait reports it once. On resume, the signal the tracer
   * passed (0 for none).
   */
  ptraceCode = 0;
  /** The stop code has not been reported to the tracer's wait yet. */
  ptraceUnreported = false;
  /** PTRACE_GETEVENTMSG. */
  ptraceMessage = 0;
  /** The siginfo of the signal-delivery-stop or trap the task is in (task->last_siginfo). */
  lastSiginfo: KernelSiginfo | null = null;
  /** JOBCTL_TRAP_STOP: PTRACE_INTERRUPT (or a seized attach) wants a PTRACE_EVENT_STOP trap. */
  trapStopPending = false;
  /** SYSCALL_WORK_SYSCALL_TRACE: syscall-entry and syscall-exit stops (PTRACE_SYSCALL). */
  syscallTrace = false;
  /** TIF_SINGLESTEP (with SYSCALL_WORK_SYSCALL_EXIT_TRAP): the tracer steps the task. */
  singleStep = false;
  /** TIF_FORCED_TF: the debugger set the trap flag; the tracee did not (x86). */
  forcedTf = false;
  /** TIF_BLOCKSTEP: DEBUGCTLMSR.BTF, a step traps only after a branch (x86). */
  blockStep = false;
  ioContext: IoContext | null = null;
  sysvsemUndo: SemUndoList | null = null;
  cred: Cred;

  /** The signal sent to the parent on exit (SIGCHLD for fork; -1 for threads). */
  exitSignal: number;
  /** The wait status once exited (exit code << 8, or the terminating signal). */
  exitCode = 0;
  state: TaskState = TaskState.Running;
  /** What a sleeping task waits for, for deadlock reports ("wait4", "read on pipe"). */
  waitChannel: string | null = null;
  /** Set by the scheduler: continues a sleeping or new task. */
  resume: (() => void) | null = null;
  /** The user code a new task starts with; consumed when it first runs. */
  entry: UserEntry | null = null;
  /**
   * The code a child created by this task's next fork/clone starts with. A C child resumes
   * after the fork() call; emulated code passes its child's body here just before the call.
   */
  childEntry: UserEntry | null = null;
  comm: string;
  /**
   * TIF_SIGPENDING: a signal (or a group stop) waits to be acted on when the task returns to
   * user space. recalcSigpending() keeps it true exactly while one is.
   */
  signalPending = false;
  /** The parent a vfork() child holds suspended until it exits (vfork_done). */
  vforkParent: Task | null = null;
  /**
   * What the runtime executing this task's user code keeps for it (its view of the task as a
   * process). The kernel never looks at it; it goes away with the task.
   */
  userContext: unknown = null;
  /** CLONE_CHILD_CLEARTID: where to store 0 when the task exits. */
  clearChildTid = 0;

  constructor(
    readonly kernel: Kernel,
    /** Task id: what gettid() returns. */
    readonly pid: number,
    init: {
      parent: Task | null; tgid?: number; groupLeader?: Task; pgid: number; sid: number;
      mm: MmStruct | null; files: FilesStruct | null; fs: FsStruct | null;
      sighand: SighandStruct; signal: SignalStruct; cred: Cred; exitSignal: number; comm: string;
    },
  ) {
    this.parent = init.parent;
    this.tgid = init.tgid ?? pid;
    this.groupLeader = init.groupLeader ?? this;
    this.pgid = init.pgid;
    this.sid = init.sid;
    this.mm = init.mm;
    this.files = init.files;
    this.fs = init.fs;
    this.sighand = init.sighand;
    this.signal = init.signal;
    this.cred = init.cred;
    this.exitSignal = init.exitSignal;
    this.comm = init.comm;
    this.pending = new SigPending();
  }

  /** Neither exited nor reaped: it can run, sleep or be stopped, and take signals. */
  get alive(): boolean {
    const s = this.state;
    return s === TaskState.Running || s === TaskState.Sleeping || s === TaskState.Stopped || s === TaskState.Traced;
  }

  get isThreadGroupLeader(): boolean {
    return this.groupLeader === this;
  }
}

declare module "./task_struct.js" {
  /** struct task_struct is complete here: it is the Task. */
  interface TaskStruct extends Task {}
}

/** A pending timer; cancel() takes it off the queue (hrtimer_cancel()). */
export interface TimerHandle {
  cancel(): void;
}

/**
 * The scheduler (kernel/sched.ts): exactly one task runs at a time. A task gives up the CPU
 * only when it sleeps, exits or uses up its timeslice; time is virtual.
 */
export interface Scheduler {
  /** The running task. */
  current: Task | null;
  /** Virtual time in nanoseconds since boot. */
  now: number;
  /** System calls left in the running task's timeslice. */
  budget: number;
  /** Puts a new or woken task on the run queue. */
  enqueue(task: Task): void;
  /** wake_up_process(): a sleeping task becomes runnable. */
  wake(task: Task): void;
  /**
   * The running task sleeps until woken; it awaits the promise. An interruptible sleep
   * (TASK_INTERRUPTIBLE) also ends when a signal arrives; a killable one only for a fatal one.
   */
  sleep(task: Task, channel: string, interruptible?: boolean): Promise<void>;
  /** The running task stops (TASK_STOPPED) until SIGCONT or SIGKILL wakes it. */
  stop(task: Task): Promise<void>;
  /** wake_up_state(t, __TASK_STOPPED): a stopped task runs again. */
  wakeStopped(task: Task): void;
  /** The running task enters a ptrace-stop (TASK_TRACED) until its tracer resumes it or SIGKILL. */
  traceStop(task: Task, channel: string): Promise<void>;
  /** wake_up_state(t, __TASK_TRACED): the tracer resumed it. */
  wakeTraced(task: Task): void;
  /** The running task's timeslice is used up: others get a turn if any is runnable (null: it goes on). */
  preempt(task: Task): Promise<void> | null;
  /** Takes a task that is not running off the CPU for good (killed by another). */
  dequeue(task: Task): void;
  /** The running task is gone for good. */
  exited(task: Task): void;
  /** Runs `fire` once virtual time reaches `at` (nanoseconds). */
  addTimer(at: number, fire: () => void): TimerHandle;
}

/** The pid namespace's numbers (kernel/pid.ts): allocation and find_task_by_vpid(). */
export interface PidTable {
  /** kernel.pid_max. */
  pidMax: number;
  /** A free pid, or null when every one is taken. */
  alloc(): number | null;
  attach(task: Task): void;
  /** free_pid(): the number can be handed out again. */
  free(pid: number): void;
  /** find_task_by_vpid() */
  find(pid: number): Task | undefined;
  /** Every task, in pid order. */
  all(): Task[];
}

/** A kernel bug caught at the syscall boundary: the calling task is killed, the run goes on. */
export interface Oops {
  readonly pid: number;
  readonly syscall: number;
  readonly error: unknown;
}

/**
 * What the kernel's subsystems see of the booted kernel a task belongs to (init/main.ts boots
 * it): the state Linux keeps in globals, one per job here.
 */
export interface Kernel {
  /** The boot's seed: the scheduler's choices and every per-boot secret derive from it. */
  readonly seed: number;
  /** The configuration it was built from, and the arch. */
  readonly linked: LinkedKernel;
  /** sys_call_table: the linked configuration's handlers by number. */
  readonly sysCallTable: readonly SyscallHandler[];
  /** The arch's system call ABI and signal frame. */
  readonly entry: ArchEntry;
  /** The arch's part of ptrace. */
  readonly archPtrace: ArchPtrace;
  readonly sched: Scheduler;
  readonly pids: PidTable;
  /** The filesystem mounted at /. */
  readonly rootfs: SuperBlock;
  /** The kernel bugs met so far (each killed the task that hit it). */
  readonly oopses: Oops[];
  /** pid 1, once started. */
  readonly init: Task | null;
  /** CONFIG_MMU, looked up once. */
  readonly mmu: boolean;
  /** Where address spaces put things (every process shares the arch's layout). */
  readonly layout: MmLayout;
  /** totalram_pages() and total_swap_pages: what overcommit and max_threads are measured by. */
  readonly totalramPages: number;
  readonly totalSwapPages: number;
  /** max_threads (kernel.threads-max) and nr_threads. */
  readonly maxThreads: number;
  nrThreads: number;
  /** UCOUNT_RLIMIT_NPROC of each real uid: its tasks, zombies included, until released. */
  readonly nprocByUid: Map<number, number>;
  /**
   * Which CPU trap an exception thrown by user code stands for: the signal it raises (an
   * access the MMU refused: SIGSEGV), or 0 for anything else, which is a bug (an oops). Set by
   * whoever runs user code on this kernel; the kernel cannot tell on its own.
   */
  trapSignal(error: unknown): number;
  /**
   * Calls the user function at `addr` of the task's program (a signal handler, or the
   * restorer it returns through) with the arguments the arch passes it, resolving when it
   * returns; null when no code of the program lives there. Set by whoever runs user code.
   */
  userCode(task: Task, addr: number, args: readonly number[]): Promise<void> | null;
  /** A fresh identity for a kernel object (what kcmp() compares instead of an address). */
  newId(): number;
  /** init exited: the machine stops (Linux would panic; the job is over). */
  halt(status: number): void;
}
