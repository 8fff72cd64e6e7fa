import type { ArchEntry } from "../../include/linux/entry-common.js";
import { PTRACE_EVENTMSG_SYSCALL_ENTRY, PTRACE_EVENTMSG_SYSCALL_EXIT, type UserRegs } from "../../include/linux/ptrace.js";
import { TaskState, type Task } from "../../include/linux/sched.js";
import { fatalSignalPending, type KSignal } from "../../include/linux/sched/signal.js";
import type { SyscallHandler } from "../../include/linux/syscalls.js";
import { EINTR, ENOSYS, ERESTART_RESTARTBLOCK, ERESTARTNOHAND, ERESTARTNOINTR, ERESTARTSYS } from "../../include/uapi/errno.js";
import { PT_TRACESYSGOOD } from "../../include/uapi/ptrace.js";
import type { Word } from "../../include/uapi/word.js";
import { CLD_TRAPPED, SA_RESTART, SI_USER, SIGKILL, SIGTRAP, TRAP_BRKPT, _NSIG } from "../../include/uapi/signal.js";
import { doExit, never } from "../exit.js";
import {
  forceSigFault, forceSigFaultInfo, forceSigsegv, getSignal, ptraceDoNotify, ptraceNotify, restoreSavedSigmask, sendSignal,
  signalSetupDone,
} from "../signal.js";
import { sys_ni_syscall } from "../sys_ni.js";

/**
 * task_pt_regs(): the task's saved user registers, made on first need (a task that never
 * took the slow way back to user space has none yet), with the stack pointer it started with.
 */
export function taskPtRegs(task: Task): UserRegs {
  return (task.regs ??= task.kernel.entry.newRegs(task.mm?.startStack ?? 0));
}

/**
 * Where code that is not machine code (the testcases' functions) notionally executes its
 * system call instruction: its return address is this plus the instruction's length, and a
 * restarted call steps back onto it. Nothing is mapped there, so it never aliases real code.
 */
export const USER_SYSCALL_SITE = 0x1000;

/**
 * handle_signal()'s restart rule for a call interrupted by a signal that has a handler: the
 * handler runs first, then the call returns EINTR, or, with SA_RESTART (and always for
 * ERESTARTNOINTR), is made again when the handler returns.
 */
function restartForHandler(arch: ArchEntry, regs: UserRegs, ksig: KSignal): void {
  if (arch.syscallNr(regs) === -1) return;
  switch (arch.returnValue(regs)) {
    case -ERESTART_RESTARTBLOCK:
    case -ERESTARTNOHAND:
      arch.setReturnValue(regs, -EINTR);
      break;
    case -ERESTARTSYS:
      if (!(ksig.flags & SA_RESTART)) {
        arch.setReturnValue(regs, -EINTR);
        break;
      }
      arch.restartSyscall(regs);
      break;
    case -ERESTARTNOINTR:
      arch.restartSyscall(regs);
  }
}

/** With no handler to run, an interrupted call is always restarted (nanosleep via restart_syscall). */
function restartWithoutHandler(arch: ArchEntry, regs: UserRegs): void {
  if (arch.syscallNr(regs) === -1) return;
  switch (arch.returnValue(regs)) {
    case -ERESTARTNOHAND:
    case -ERESTARTSYS:
    case -ERESTARTNOINTR:
      arch.restartSyscall(regs);
      break;
    case -ERESTART_RESTARTBLOCK:
      arch.restartBlock(regs);
  }
}

/**
 * arch_do_signal_or_restart(): the next signal is acted on; one with a handler gets its frame
 * and the registers point at the handler. Otherwise a pending restart is prepared and the
 * mask sigsuspend() replaced is put back.
 */
async function doSignalOrRestart(task: Task, arch: ArchEntry, regs: UserRegs): Promise<void> {
  const ksig = await getSignal(task);
  if (ksig) {
    restartForHandler(arch, regs, ksig);
    // handle_signal(): a debugger's single-step is taken off before the frame is written (so
    // the saved flags are the tracee's own) and reported once the handler is set up: the
    // tracer stops at the handler's first instruction (probe: 0x57f, rip == handler, si_code
    // 5 from ptrace_notify(), TF not visible).
    const stepping = task.singleStep;
    if (stepping) task.kernel.archPtrace.userDisableSingleStep(task);
    const oldset = task.savedSigmask ?? task.blocked;
    const ok = arch.setupRtFrame(task, ksig, regs, oldset);
    signalSetupDone(task, ksig, ok);
    if (ok && stepping) await ptraceNotify(task, SIGTRAP, 0);
    return;
  }
  restartWithoutHandler(arch, regs);
  restoreSavedSigmask(task);
}

/**
 * Runs what the registers point at until control is back where the interrupted code awaits
 * its system call's result, and returns that result: syscall_exit_to_user_mode() with the
 * user-mode side of signal delivery. Signal handlers (and the code they return through) are
 * called here; a call that is to be restarted is made again from its registers.
 */
export async function exitToUserMode(task: Task, arch: ArchEntry, regs: UserRegs): Promise<Word> {
  const kernel = task.kernel;
  const returnIp = USER_SYSCALL_SITE + arch.syscallInsnLen;
  for (;;) {
    while (task.signalPending) await doSignalOrRestart(task, arch, regs);
    const ip = regs.ip;
    if (ip === returnIp) return arch.returnValue(regs);
    if (ip === USER_SYSCALL_SITE) {
      const [nr, ...args] = arch.syscallEntry(regs);
      return doSyscall(task, nr, ...args);
    }
    const kernelNr = arch.kernelCodeSyscall(task, ip);
    if (kernelNr >= 0) {
      await doSyscall(task, kernelNr);
      continue;
    }
    // User code at ip: a handler (or the restorer it returns to). Its return pops the return
    // address unless it left through rt_sigreturn, which loaded other registers.
    const sigreturns = task.sigreturns;
    const call = kernel.userCode(task, ip, arch.handlerArgs(regs));
    if (!call) {
      // Machine code goes on at ip (the CPU faults there if nothing is mapped); for a program
      // of functions, nothing to execute there: the instruction fetch faults (SIGSEGV at ip).
      if (task.machineCode) return arch.returnValue(regs);
      forceSigsegv(task, ip);
      continue;
    }
    await call;
    if (task.sigreturns === sigreturns && !arch.functionReturn(task, regs)) forceSigsegv(task, regs.sp);
  }
}

/**
 * rt_sigreturn(): the context the signal frame saved comes back (registers and mask), and the
 * call returns the restored return-value register so the exit path leaves it untouched. A
 * frame that cannot be read is SIGSEGV (signal_fault()).
 */
export function rtSigreturn(task: Task, arch: ArchEntry): Word {
  const regs = taskPtRegs(task);
  if (!arch.restoreRtFrame(task, regs)) {
    forceSigsegv(task, regs.sp);
    return 0;
  }
  return arch.returnValue(regs);
}

/**
 * ptrace_report_syscall(): a syscall-entry or syscall-exit stop, SIGTRAP | 0x80 with
 * PTRACE_O_TRACESYSGOOD. A signal the tracer resumes with is sent to the tracee. Returns
 * true when the task is to die (SIGKILL pending): the call is then not made.
 */
async function ptraceReportSyscall(task: Task, message: number): Promise<boolean> {
  const code = await ptraceDoNotify(task, SIGTRAP, SIGTRAP | (task.ptrace & PT_TRACESYSGOOD ? 0x80 : 0), CLD_TRAPPED, message);
  if (code > 0 && code <= _NSIG && task.ptrace) sendSignal(code, task, false, { signo: code, code: SI_USER, pid: task.tracer?.tgid ?? 0 });
  return fatalSignalPending(task);
}

/**
 * syscall_trace_enter(): the syscall-entry stop of PTRACE_SYSCALL. Returns the number of the
 * call to make (the tracer may have changed orig_rax), or -1 to skip it (the tracer set it to
 * -1, or the tracee is being killed); a skipped call returns what the return register holds.
 */
async function syscallTraceEnter(task: Task, arch: ArchEntry, regs: UserRegs): Promise<number> {
  if (task.syscallTrace && (await ptraceReportSyscall(task, PTRACE_EVENTMSG_SYSCALL_ENTRY))) return -1;
  return arch.syscallNr(regs);
}

/**
 * syscall_exit_work(): a single-stepped task traps as the call returns (x86's
 * user_single_step_report(): SIGTRAP TRAP_BRKPT at the return address; probe: si_code 1 after
 * stepping over `syscall`, DR6 untouched); otherwise the syscall-exit stop of PTRACE_SYSCALL.
 */
async function syscallExitWork(task: Task, regs: UserRegs): Promise<void> {
  if (task.singleStep) forceSigFaultInfo(task, SIGTRAP, TRAP_BRKPT, regs.ip);
  else if (task.syscallTrace) await ptraceReportSyscall(task, PTRACE_EVENTMSG_SYSCALL_EXIT);
}

/**
 * The system call entry (do_syscall_64() on x86, do_trap_ecall_u() on riscv): dispatch
 * through the linked table, numbers outside it reaching sys_ni_syscall. A call that neither
 * blocks, nor ends the timeslice, nor leaves a signal to act on returns synchronously; the
 * others return through exitToUserMode(). A task its tracer steps or stops at system calls
 * takes the slow path (tracedSyscall()).
 */
export function doSyscall(task: Task, nr: number, a0: Word = 0, a1: Word = 0, a2: Word = 0, a3: Word = 0, a4: Word = 0, a5: Word = 0): Word | Promise<Word> {
  if (task.ptrace !== 0 && (task.syscallTrace || task.singleStep)) return tracedSyscall(task, nr, [a0, a1, a2, a3, a4, a5]);
  const handler = syscallHandler(task, nr);
  const sigreturns = task.sigreturns;
  let r: Word | Promise<Word>;
  try {
    r = handler(task, a0, a1, a2, a3, a4, a5);
  } catch (error) {
    return oops(task, nr, error);
  }
  if (typeof r === "object") {
    return r.then(
      (v) => (task.signalPending ? exitToUser(task, sigreturns, nr, v, [a0, a1, a2, a3, a4, a5]) : v),
      (error: unknown) => oops(task, nr, error),
    );
  }
  const sched = task.kernel.sched;
  if (--sched.budget <= 0) {
    const p = sched.preempt(task);
    if (p) return p.then(() => (task.signalPending ? exitToUser(task, sigreturns, nr, r, [a0, a1, a2, a3, a4, a5]) : r));
  }
  return task.signalPending ? exitToUser(task, sigreturns, nr, r, [a0, a1, a2, a3, a4, a5]) : r;
}

/**
 * The table's handler for `nr`; numbers outside it reach sys_ni_syscall. x86_64's
 * do_syscall_64() takes the number as an int (the arch's nrIs32Bit).
 */
function syscallHandler(task: Task, nr: number): SyscallHandler {
  const kernel = task.kernel;
  return kernel.sysCallTable[kernel.linked.arch.nrIs32Bit ? nr >>> 0 : nr] ?? sys_ni_syscall;
}

/**
 * A system call of a task its tracer steps or stops at system calls (the SYSCALL_WORK
 * path): the registers are saved as on entry (orig_ax the number, ax -ENOSYS), the
 * syscall-entry stop may change the number or skip the call, and on the way out come the
 * single-step trap or the syscall-exit stop, then signals. probe: at the entry stop rax was
 * -ENOSYS and orig_rax 39, at the exit stop rax the pid (status 0x857f with TRACESYSGOOD).
 * The tracer's changes to the arguments at the entry stop are not applied (only the number).
 */
async function tracedSyscall(task: Task, nr: number, args: readonly Word[]): Promise<Word> {
  const entry = task.kernel.entry;
  const regs = taskPtRegs(task);
  if (task.machineCode) entry.syscallReturn(regs, nr, -ENOSYS);
  else entry.syscallExit(regs, nr, args, -ENOSYS, USER_SYSCALL_SITE + entry.syscallInsnLen);
  const sigreturns = task.sigreturns;
  const call = await syscallTraceEnter(task, entry, regs);
  let ret = entry.returnValue(regs);
  if (call !== -1) {
    const handler = syscallHandler(task, call);
    try {
      ret = await handler(task, args[0]!, args[1]!, args[2]!, args[3]!, args[4]!, args[5]!);
    } catch (error) {
      return oops(task, call, error);
    }
    if (task.sigreturns === sigreturns) entry.syscallReturn(regs, call, ret);
  }
  await syscallExitWork(task, regs);
  return exitToUserMode(task, entry, regs);
}

/**
 * The slow way back to user space: the registers are saved as the system call left them
 * (unless rt_sigreturn just loaded others), then signals are acted on.
 */
function exitToUser(task: Task, sigreturns: number, nr: number, ret: Word, args: readonly Word[]): Promise<Word> {
  const kernel = task.kernel;
  const entry = kernel.entry;
  const regs = taskPtRegs(task);
  if (task.sigreturns === sigreturns) {
    if (task.machineCode) entry.syscallReturn(regs, nr, ret);
    else entry.syscallExit(regs, nr, args, ret, USER_SYSCALL_SITE + entry.syscallInsnLen);
  }
  return exitToUserMode(task, entry, regs).catch((error: unknown) => {
    // A user fault in a handler propagates to the code that made the call.
    if (kernel.trapSignal(error)) throw error;
    return oops(task, nr, error);
  });
}

/** A kernel bug caught at the syscall boundary: the calling task is killed, the run goes on. */
function oops(task: Task, nr: number, error: unknown): Promise<never> {
  task.kernel.oopses.push({ pid: task.pid, syscall: nr, error });
  if (task.state === TaskState.Running) doExit(task, SIGKILL);
  return never();
}

/**
 * Runs the task's user code (a program's entry, or a fork child's body) from its start. When
 * it returns, the task exits with status 0 (a program is expected to call exit() itself); when
 * it throws, the exception is the trap it stands for (a fault the MMU raised: its signal) or a
 * kernel bug (an oops, which kills the task). A task with no code of its own (a raw fork with
 * no child body) exits at once.
 */
export function enterUserMode(task: Task): void {
  const kernel = task.kernel;
  const entry = task.entry;
  task.entry = null;
  const run = entry ? Promise.resolve().then(entry) : Promise.resolve();
  run.then(
    () => { if (task.state === TaskState.Running) doExit(task, 0); },
    (error: unknown) => {
      if (task.state !== TaskState.Running) return;
      const sig = kernel.trapSignal(error);
      if (sig) {
        void forceSigFault(task, sig);
        return;
      }
      kernel.oopses.push({ pid: task.pid, syscall: -1, error });
      doExit(task, SIGKILL);
    },
  );
}
