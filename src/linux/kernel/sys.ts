import { kernelObject, SYSCALL_DEFINE } from "../kbuild/object.js";

export const kernel_sys_c = kernelObject("kernel/sys.c", [
  SYSCALL_DEFINE(0, "getpid", (task) => task.tgid),
  SYSCALL_DEFINE(0, "gettid", (task) => task.pid),
  // The parent's tgid; 0 once the parent is outside the caller's pid namespace (init's case).
  SYSCALL_DEFINE(0, "getppid", (task) => task.parent?.tgid ?? 0),
  SYSCALL_DEFINE(0, "getuid", (task) => task.cred.uid),
  SYSCALL_DEFINE(0, "geteuid", (task) => task.cred.euid),
  SYSCALL_DEFINE(0, "getgid", (task) => task.cred.gid),
  SYSCALL_DEFINE(0, "getegid", (task) => task.cred.egid),
  SYSCALL_DEFINE(0, "getpgrp", (task) => task.pgid),
]);
