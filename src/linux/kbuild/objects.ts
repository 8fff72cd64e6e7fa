import { fs_file_c } from "../fs/file.js";
import { fs_namei_c } from "../fs/namei.js";
import { fs_open_c } from "../fs/open.js";
import { kernel_exit_c } from "../kernel/exit.js";
import { kernel_fork_c } from "../kernel/fork.js";
import { kernel_kcmp_c } from "../kernel/kcmp.js";
import { kernel_signal_c } from "../kernel/signal.js";
import { kernel_sys_c } from "../kernel/sys.js";
import type { KernelObject } from "./object.js";

/**
 * Every source file the emulated kernel has, as the Makefiles list them. Adding a file here
 * is all it takes for its SYSCALL_DEFINEs to be linked wherever its rule builds it.
 */
export const KERNEL_OBJECTS: readonly KernelObject[] = [
  kernel_exit_c,
  kernel_fork_c,
  kernel_kcmp_c,
  kernel_signal_c,
  kernel_sys_c,
  fs_file_c,
  fs_namei_c,
  fs_open_c,
];
