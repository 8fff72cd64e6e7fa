/**
 * Kconfig facts for the symbols the emulator models, copied from the Linux 6.12 sources
 * (Debian linux-source-6.12). Expressions are in Kconfig syntax, exactly as written in the
 * declaring file.
 *
 * - dependsOn ANDs the symbol's own `depends on` lines (in order) with the conditions of the
 *   enclosing `if ... endif` / `menu ... depends on` blocks; a piece containing a top-level
 *   `||` is wrapped in parentheses. None of these symbols is a `choice` member.
 * - selects keeps only `select` lines whose target is also modeled here; selects of unmodeled
 *   symbols (KERNFS, IRQ_WORK, EXPORTFS, DEBUG_KERNEL, the arch's HAVE_* symbols, ...) are
 *   left out.
 * - `def_bool V [if C]` is recorded as type bool plus a default V [if C].
 * - Symbols declared by more than one Kconfig file are modeled as the x86 declaration; a
 *   comment beside the entry describes the other declarations.
 * - Symbols outside this list that appear in expressions (HAVE_RSEQ, SCHED_SMT, AGP, ...) are
 *   external values read from the .config.
 */
import type { KconfigSymbol } from "./symbol.js";

export const KCONFIG_SYMBOLS: readonly KconfigSymbol[] = [
  // Also declared in arch/riscv/Kconfig as a bare `bool` (no prompt, no default; selected by the
  // ARCH_RV64I choice member), in arch/x86/um/Kconfig (UML: same as x86 but tests "$(SUBARCH)"),
  // and by several other arches. "$(ARCH)" is a Kconfig preprocessor macro (the ARCH, x86, i386 or
  // x86_64, as given to make), expanded when the Kconfig file is parsed.
  { name: "64BIT", type: "bool", prompt: { text: "64-bit kernel", if: "\"$(ARCH)\" = \"x86\"" },
    defaults: [{ value: "\"$(ARCH)\" != \"i386\"" }], file: "arch/x86/Kconfig" },
  { name: "ADVISE_SYSCALLS", type: "bool", prompt: { text: "Enable madvise/fadvise syscalls", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "AIO", type: "bool", prompt: { text: "Enable AIO support", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "AUDIT", type: "bool", prompt: { text: "Auditing support" },
    dependsOn: "NET", file: "init/Kconfig" },
  { name: "BLOCK", type: "bool", prompt: { text: "Enable the block layer", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "block/Kconfig" },
  { name: "BPF", type: "bool", file: "kernel/bpf/Kconfig" },
  { name: "BPF_SYSCALL", type: "bool", prompt: { text: "Enable bpf() system call" },
    selects: [{ symbol: "BPF" }], defaults: [{ value: "n" }], file: "kernel/bpf/Kconfig" },
  { name: "CACHESTAT_SYSCALL", type: "bool", prompt: { text: "Enable cachestat() system call", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "CGROUPS", type: "bool", prompt: { text: "Control Group support" },
    file: "init/Kconfig" },
  { name: "CHECKPOINT_RESTORE", type: "bool", prompt: { text: "Checkpoint/restore support" },
    dependsOn: "PROC_FS", selects: [{ symbol: "PROC_CHILDREN" }, { symbol: "KCMP" }],
    defaults: [{ value: "n" }], file: "init/Kconfig" },
  // Also declared in arch/riscv/Kconfig, which differs: `bool "Kernel support for 32-bit U-mode"`,
  // `default 64BIT`, `depends on 64BIT && MMU`. Several other arches declare their own COMPAT.
  { name: "COMPAT", type: "bool",
    dependsOn: "IA32_EMULATION || X86_X32_ABI", defaults: [{ value: "y" }],
    file: "arch/x86/Kconfig" },
  { name: "CROSS_MEMORY_ATTACH", type: "bool", prompt: { text: "Enable process_vm_readv/writev syscalls" },
    dependsOn: "MMU", defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "DRM", type: "tristate", prompt: { text: "Direct Rendering Manager (XFree86 4.1.0 and higher DRI support)" },
    dependsOn: "(AGP || AGP=n) && !EMULATED_CMPXCHG && HAS_DMA && HAS_IOMEM",
    selects: [{ symbol: "KCMP" }], file: "drivers/gpu/drm/Kconfig" },
  { name: "EPOLL", type: "bool", prompt: { text: "Enable eventpoll support", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "EVENTFD", type: "bool", prompt: { text: "Enable eventfd() system call", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "EXPERT", type: "bool", prompt: { text: "Configure standard kernel features (expert users)" },
    file: "init/Kconfig" },
  { name: "FANOTIFY", type: "bool", prompt: { text: "Filesystem wide access notification" },
    selects: [{ symbol: "FSNOTIFY" }], defaults: [{ value: "n" }],
    file: "fs/notify/fanotify/Kconfig" },
  { name: "FHANDLE", type: "bool", prompt: { text: "open by fhandle syscalls", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "FILE_LOCKING", type: "bool", prompt: { text: "Enable POSIX file locking API", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "fs/Kconfig" },
  { name: "FSNOTIFY", type: "bool", defaults: [{ value: "n" }], file: "fs/notify/Kconfig" },
  { name: "FUTEX", type: "bool", prompt: { text: "Enable futex support", if: "EXPERT" },
    dependsOn: "!(SPARC32 && SMP)", defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "HAVE_ARCH_SECCOMP_FILTER", type: "bool", file: "arch/Kconfig" },
  { name: "IA32_EMULATION", type: "bool", prompt: { text: "IA32 Emulation" },
    dependsOn: "X86_64", file: "arch/x86/Kconfig" },
  { name: "INOTIFY_USER", type: "bool", prompt: { text: "Inotify support for userspace" },
    selects: [{ symbol: "FSNOTIFY" }], defaults: [{ value: "y" }],
    file: "fs/notify/inotify/Kconfig" },
  { name: "IO_URING", type: "bool", prompt: { text: "Enable IO uring support", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "KCMP", type: "bool", prompt: { text: "Enable kcmp() system call", if: "EXPERT" },
    file: "init/Kconfig" },
  { name: "KEXEC", type: "bool", prompt: { text: "Enable kexec system call" },
    dependsOn: "ARCH_SUPPORTS_KEXEC", file: "kernel/Kconfig.kexec" },
  { name: "KEYS", type: "bool", prompt: { text: "Enable access key retention support" },
    file: "security/keys/Kconfig" },
  { name: "MEMBARRIER", type: "bool", prompt: { text: "Enable membarrier() system call", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "MEMFD_CREATE", type: "bool", prompt: { text: "Enable memfd_create() system call", if: "EXPERT" },
    file: "mm/Kconfig" },
  // Also declared in arch/riscv/Kconfig, which differs by having a prompt: `bool "MMU-based Paged
  // Memory Management Support"` with `default y` (so riscv can build nommu kernels). Every other
  // arch declares its own MMU too.
  { name: "MMU", type: "bool", defaults: [{ value: "y" }], file: "arch/x86/Kconfig" },
  { name: "MODULES", type: "bool", prompt: { text: "Enable loadable module support" },
    file: "kernel/module/Kconfig" },
  { name: "MULTIUSER", type: "bool", prompt: { text: "Multiple users, groups and capabilities support", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "NAMESPACES", type: "bool", prompt: { text: "Namespaces support", if: "EXPERT" },
    dependsOn: "MULTIUSER", defaults: [{ value: "!EXPERT" }], file: "init/Kconfig" },
  { name: "NET", type: "bool", prompt: { text: "Networking support" },
    selects: [{ symbol: "BPF" }], file: "net/Kconfig" },
  { name: "PERF_EVENTS", type: "bool", prompt: { text: "Kernel performance events and counters" },
    dependsOn: "HAVE_PERF_EVENTS", defaults: [{ value: "y", if: "PROFILING" }],
    file: "init/Kconfig" },
  { name: "POSIX_MQUEUE", type: "bool", prompt: { text: "POSIX Message Queues" },
    dependsOn: "NET", file: "init/Kconfig" },
  { name: "POSIX_TIMERS", type: "bool", prompt: { text: "Posix Clocks & timers", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "PRINTK", type: "bool", prompt: { text: "Enable support for printk", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "PROC_CHILDREN", type: "bool", prompt: { text: "Include /proc/<pid>/task/<tid>/children file" },
    dependsOn: "PROC_FS", defaults: [{ value: "n" }], file: "fs/proc/Kconfig" },
  { name: "PROC_FS", type: "bool", prompt: { text: "/proc file system support", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "fs/proc/Kconfig" },
  { name: "QUOTACTL", type: "bool", defaults: [{ value: "n" }], file: "fs/quota/Kconfig" },
  // Only selects of modeled symbols are kept; arch/riscv/Kconfig has about 200 more.
  { name: "RISCV", type: "bool",
    selects: [{ symbol: "HAVE_ARCH_SECCOMP_FILTER" }], defaults: [{ value: "y" }],
    file: "arch/riscv/Kconfig" },
  { name: "RSEQ", type: "bool", prompt: { text: "Enable rseq() system call", if: "EXPERT" },
    dependsOn: "HAVE_RSEQ", selects: [{ symbol: "MEMBARRIER" }], defaults: [{ value: "y" }],
    file: "init/Kconfig" },
  { name: "SCHED_CORE", type: "bool", prompt: { text: "Core Scheduling for SMT" },
    dependsOn: "SCHED_SMT", file: "kernel/Kconfig.preempt" },
  { name: "SECCOMP", type: "bool", prompt: { text: "Enable seccomp to safely execute untrusted bytecode" },
    dependsOn: "HAVE_ARCH_SECCOMP", defaults: [{ value: "y" }], file: "arch/Kconfig" },
  { name: "SECCOMP_FILTER", type: "bool",
    dependsOn: "HAVE_ARCH_SECCOMP_FILTER && SECCOMP && NET", defaults: [{ value: "y" }],
    file: "arch/Kconfig" },
  { name: "SECRETMEM", type: "bool", prompt: { text: "Enable memfd_secret() system call", if: "EXPERT" },
    dependsOn: "ARCH_HAS_SET_DIRECT_MAP", defaults: [{ value: "y" }], file: "mm/Kconfig" },
  { name: "SHMEM", type: "bool", prompt: { text: "Use full shmem filesystem", if: "EXPERT" },
    dependsOn: "MMU", defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "SIGNALFD", type: "bool", prompt: { text: "Enable signalfd() system call", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "SWAP", type: "bool", prompt: { text: "Support for paging of anonymous memory (swap)" },
    dependsOn: "MMU && BLOCK && !ARCH_NO_SWAP", defaults: [{ value: "y" }], file: "mm/Kconfig" },
  { name: "SYSFS", type: "bool", prompt: { text: "sysfs file system support", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "fs/sysfs/Kconfig" },
  { name: "SYSVIPC", type: "bool", prompt: { text: "System V IPC" }, file: "init/Kconfig" },
  { name: "TIMERFD", type: "bool", prompt: { text: "Enable timerfd() system call", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "TIME_NS", type: "bool", prompt: { text: "TIME namespace" },
    dependsOn: "GENERIC_VDSO_TIME_NS && NAMESPACES", defaults: [{ value: "y" }],
    file: "init/Kconfig" },
  { name: "TTY", type: "bool", prompt: { text: "Enable TTY", if: "EXPERT" },
    defaults: [{ value: "y" }], file: "drivers/tty/Kconfig" },
  { name: "UID16", type: "bool", prompt: { text: "Enable 16-bit UID system calls", if: "EXPERT" },
    dependsOn: "HAVE_UID16 && MULTIUSER", defaults: [{ value: "y" }], file: "init/Kconfig" },
  { name: "USELIB", type: "bool", prompt: { text: "uselib syscall (for libc5 and earlier)" },
    defaults: [{ value: "ALPHA || M68K || SPARC" }], file: "init/Kconfig" },
  { name: "USERFAULTFD", type: "bool", prompt: { text: "Enable userfaultfd() system call" },
    dependsOn: "MMU", file: "mm/Kconfig" },
  // Also declared in arch/x86/um/Kconfig (UML) as `def_bool 64BIT`, with no depends on.
  { name: "X86_64", type: "bool",
    dependsOn: "64BIT", defaults: [{ value: "y" }], file: "arch/x86/Kconfig" },
  // `$(success,...)` is a Kconfig preprocessor macro expanded when the file is parsed: it becomes y
  // unless the build's objcopy is llvm-objcopy, and n otherwise.
  { name: "X86_X32_ABI", type: "bool", prompt: { text: "x32 ABI for 64-bit mode" },
    dependsOn: "X86_64 && $(success,$(OBJCOPY) --version | head -n1 | grep -qv llvm)",
    file: "arch/x86/Kconfig" },
];
