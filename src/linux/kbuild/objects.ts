import { arch_riscv_kernel_signal_c } from "../arch/riscv/kernel/signal.js";
import { arch_riscv_kernel_sys_riscv_c } from "../arch/riscv/kernel/sys_riscv.js";
import { arch_x86_kernel_signal_64_c } from "../arch/x86/kernel/signal_64.js";
import { arch_x86_kernel_sys_x86_64_c } from "../arch/x86/kernel/sys_x86_64.js";
import { fs_fcntl_c } from "../fs/fcntl.js";
import { fs_file_c } from "../fs/file.js";
import { fs_namei_c } from "../fs/namei.js";
import { fs_open_c } from "../fs/open.js";
import { fs_pipe_c } from "../fs/pipe.js";
import { fs_read_write_c } from "../fs/read_write.js";
import { fs_stat_c } from "../fs/stat.js";
import { fs_statfs_c } from "../fs/statfs.js";
import { kernel_exit_c } from "../kernel/exit.js";
import { kernel_fork_c } from "../kernel/fork.js";
import { kernel_kcmp_c } from "../kernel/kcmp.js";
import { kernel_ptrace_c } from "../kernel/ptrace.js";
import { kernel_signal_c } from "../kernel/signal.js";
import { kernel_sys_c } from "../kernel/sys.js";
import { kernel_time_hrtimer_c } from "../kernel/time/hrtimer.js";
import { kernel_time_itimer_c } from "../kernel/time/itimer.js";
import { kernel_time_posix_stubs_c } from "../kernel/time/posix-stubs.js";
import { kernel_time_posix_timers_c } from "../kernel/time/posix-timers.js";
import { mm_mmap_c } from "../mm/mmap.js";
import { mm_mprotect_c } from "../mm/mprotect.js";
import { mm_nommu_c } from "../mm/nommu.js";
import type { KernelObject } from "./object.js";

/**
 * Every source file the emulated kernel has, as the Makefiles list them. Adding a file here
 * is all it takes for its SYSCALL_DEFINEs to be linked wherever its rule builds it.
 */
export const KERNEL_OBJECTS: readonly KernelObject[] = [
  arch_riscv_kernel_signal_c,
  arch_riscv_kernel_sys_riscv_c,
  arch_x86_kernel_signal_64_c,
  arch_x86_kernel_sys_x86_64_c,
  kernel_exit_c,
  kernel_fork_c,
  kernel_kcmp_c,
  kernel_ptrace_c,
  kernel_signal_c,
  kernel_sys_c,
  kernel_time_hrtimer_c,
  kernel_time_itimer_c,
  kernel_time_posix_stubs_c,
  kernel_time_posix_timers_c,
  fs_fcntl_c,
  fs_file_c,
  fs_namei_c,
  fs_open_c,
  fs_pipe_c,
  fs_read_write_c,
  fs_stat_c,
  fs_statfs_c,
  mm_mmap_c,
  mm_mprotect_c,
  mm_nommu_c,
];
