import type { SyscallHandler } from "../../include/linux/syscalls.js";
import { entryName, type LinkedKernel } from "../../kbuild/link.js";
import type { KERNEL_OBJECTS } from "../../kbuild/objects.js";
import * as arch_riscv_kernel_signal from "../../arch/riscv/kernel/signal.js";
import * as arch_riscv_kernel_sys_riscv from "../../arch/riscv/kernel/sys_riscv.js";
import * as arch_x86_kernel_signal_64 from "../../arch/x86/kernel/signal_64.js";
import * as arch_x86_kernel_sys_x86_64 from "../../arch/x86/kernel/sys_x86_64.js";
import * as fs_fcntl from "../../fs/fcntl.js";
import * as fs_file from "../../fs/file.js";
import * as fs_namei from "../../fs/namei.js";
import * as fs_open from "../../fs/open.js";
import * as fs_pipe from "../../fs/pipe.js";
import * as fs_read_write from "../../fs/read_write.js";
import * as fs_stat from "../../fs/stat.js";
import * as fs_statfs from "../../fs/statfs.js";
import * as kernel_exit from "../exit.js";
import * as kernel_fork from "../fork.js";
import * as kernel_kcmp from "../kcmp.js";
import * as kernel_ptrace from "../ptrace.js";
import * as kernel_signal from "../signal.js";
import * as kernel_sys from "../sys.js";
import { sys_ni_syscall } from "../sys_ni.js";
import * as kernel_time_hrtimer from "../time/hrtimer.js";
import * as kernel_time_itimer from "../time/itimer.js";
import * as kernel_time_posix_stubs from "../time/posix-stubs.js";
import * as kernel_time_posix_timers from "../time/posix-timers.js";
import * as mm_mmap from "../../mm/mmap.js";
import * as mm_mprotect from "../../mm/mprotect.js";
import * as mm_nommu from "../../mm/nommu.js";

type KernelObjects = (typeof KERNEL_OBJECTS)[number];

/** For each source file of the build model, a handler for each of its SYSCALL_DEFINEs: no more, no less. */
type SymbolsOf<Objects extends KernelObjects> = {
  readonly [O in Objects as O["path"]]: { readonly [Name in O["syscalls"][number]["name"]]: SyscallHandler };
};

/**
 * What the linker finds in each built object: the function behind each sys_<name> symbol its
 * SYSCALL_DEFINEs make. This is the one place a handler is bound to its definition (as
 * gVisor's linux64.go table is); kbuild/objects.ts lists the definitions, and the compiler
 * checks that every one of them has its handler here.
 */
export const SYSCALL_SYMBOLS = {
  "arch/riscv/kernel/signal.c": {
    rt_sigreturn: arch_riscv_kernel_signal.sys_rt_sigreturn,
  },
  "arch/riscv/kernel/sys_riscv.c": {
    mmap: arch_riscv_kernel_sys_riscv.sys_mmap,
  },
  "arch/x86/kernel/signal_64.c": {
    rt_sigreturn: arch_x86_kernel_signal_64.sys_rt_sigreturn,
  },
  "arch/x86/kernel/sys_x86_64.c": {
    mmap: arch_x86_kernel_sys_x86_64.sys_mmap,
  },
  "kernel/exit.c": {
    exit: kernel_exit.sys_exit,
    exit_group: kernel_exit.sys_exit_group,
    wait4: kernel_exit.sys_wait4,
    waitid: kernel_exit.sys_waitid,
  },
  "kernel/fork.c": {
    fork: kernel_fork.sys_fork,
    vfork: kernel_fork.sys_vfork,
    clone: kernel_fork.sys_clone,
    clone3: kernel_fork.sys_clone3,
    set_tid_address: kernel_fork.sys_set_tid_address,
  },
  "kernel/kcmp.c": {
    kcmp: kernel_kcmp.sys_kcmp,
  },
  "kernel/ptrace.c": {
    ptrace: kernel_ptrace.sys_ptrace,
  },
  "kernel/signal.c": {
    pause: kernel_signal.sys_pause,
    kill: kernel_signal.sys_kill,
    tgkill: kernel_signal.sys_tgkill,
    tkill: kernel_signal.sys_tkill,
    rt_sigprocmask: kernel_signal.sys_rt_sigprocmask,
    rt_sigpending: kernel_signal.sys_rt_sigpending,
    rt_sigaction: kernel_signal.sys_rt_sigaction,
    rt_sigsuspend: kernel_signal.sys_rt_sigsuspend,
    restart_syscall: kernel_signal.sys_restart_syscall,
  },
  "kernel/sys.c": {
    getpid: kernel_sys.sys_getpid,
    gettid: kernel_sys.sys_gettid,
    getppid: kernel_sys.sys_getppid,
    getuid: kernel_sys.sys_getuid,
    geteuid: kernel_sys.sys_geteuid,
    getgid: kernel_sys.sys_getgid,
    getegid: kernel_sys.sys_getegid,
    getpgrp: kernel_sys.sys_getpgrp,
    getrlimit: kernel_sys.sys_getrlimit,
    setrlimit: kernel_sys.sys_setrlimit,
    prlimit64: kernel_sys.sys_prlimit64,
  },
  "kernel/time/hrtimer.c": {
    nanosleep: kernel_time_hrtimer.sys_nanosleep,
  },
  "kernel/time/itimer.c": {
    alarm: kernel_time_itimer.sys_alarm,
    getitimer: kernel_time_itimer.sys_getitimer,
    setitimer: kernel_time_itimer.sys_setitimer,
  },
  "kernel/time/posix-stubs.c": {
    clock_gettime: kernel_time_posix_stubs.sys_clock_gettime,
    clock_nanosleep: kernel_time_posix_stubs.sys_clock_nanosleep,
  },
  "kernel/time/posix-timers.c": {
    clock_gettime: kernel_time_posix_timers.sys_clock_gettime,
    clock_nanosleep: kernel_time_posix_timers.sys_clock_nanosleep,
  },
  "fs/fcntl.c": {
    fcntl: fs_fcntl.sys_fcntl,
  },
  "fs/file.c": {
    dup: fs_file.sys_dup,
    dup2: fs_file.sys_dup2,
    dup3: fs_file.sys_dup3,
  },
  "fs/namei.c": {
    mkdirat: fs_namei.sys_mkdirat,
    mkdir: fs_namei.sys_mkdir,
    mknodat: fs_namei.sys_mknodat,
    mknod: fs_namei.sys_mknod,
    unlinkat: fs_namei.sys_unlinkat,
    unlink: fs_namei.sys_unlink,
    rmdir: fs_namei.sys_rmdir,
  },
  "fs/open.c": {
    open: fs_open.sys_open,
    openat: fs_open.sys_openat,
    creat: fs_open.sys_creat,
    close: fs_open.sys_close,
    chdir: fs_open.sys_chdir,
  },
  "fs/pipe.c": {
    pipe2: fs_pipe.sys_pipe2,
    pipe: fs_pipe.sys_pipe,
  },
  "fs/read_write.c": {
    read: fs_read_write.sys_read,
    write: fs_read_write.sys_write,
    pread64: fs_read_write.sys_pread64,
    pwrite64: fs_read_write.sys_pwrite64,
    readv: fs_read_write.sys_readv,
    writev: fs_read_write.sys_writev,
    lseek: fs_read_write.sys_lseek,
  },
  "fs/stat.c": {
    newstat: fs_stat.sys_newstat,
    newlstat: fs_stat.sys_newlstat,
    newfstatat: fs_stat.sys_newfstatat,
    newfstat: fs_stat.sys_newfstat,
  },
  "fs/statfs.c": {
    statfs: fs_statfs.sys_statfs,
    fstatfs: fs_statfs.sys_fstatfs,
  },
  "mm/mmap.c": {
    brk: mm_mmap.sys_brk,
    munmap: mm_mmap.sys_munmap,
  },
  "mm/mprotect.c": {
    mprotect: mm_mprotect.sys_mprotect,
  },
  "mm/nommu.c": {
    brk: mm_nommu.sys_brk,
    munmap: mm_nommu.sys_munmap,
  },
} as const satisfies SymbolsOf<KernelObjects>;

/** The handler of a linked definition: the sys_<name> of the object it came from. */
export function linkedHandler(linked: LinkedKernel, name: string): SyscallHandler | undefined {
  const def = linked.strong.get(name);
  if (!def) return undefined;
  const symbols: Readonly<Record<string, Readonly<Record<string, SyscallHandler>>>> = SYSCALL_SYMBOLS;
  return symbols[def.object.path]![def.definition.name];
}

const tables = new WeakMap<LinkedKernel, readonly SyscallHandler[]>();

/**
 * sys_call_table: the handlers indexed by syscall number, sys_ni_syscall in every slot no
 * linked definition fills. Made once per linked configuration and shared by every kernel
 * booted from it.
 */
export function sysCallTable(linked: LinkedKernel): readonly SyscallHandler[] {
  let table = tables.get(linked);
  if (table) return table;
  const size = Math.max(...linked.table.entries.map((e) => e.nr)) + 1;
  const handlers = new Array<SyscallHandler>(size).fill(sys_ni_syscall);
  for (const e of linked.table.entries) {
    const name = entryName(e);
    const handler = name === null ? undefined : linkedHandler(linked, name);
    if (handler) handlers[e.nr] = handler;
  }
  tables.set(linked, (table = handlers));
  return table;
}
