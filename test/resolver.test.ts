import t from "tap";
import { existsSync, readFileSync } from "node:fs";
import { loadConfig } from "../dist/src/runner/configs.js";
import { link } from "../dist/src/linux/kbuild/link.js";
import { KERNEL_OBJECTS } from "../dist/src/linux/kbuild/objects.js";
import { LINUX_SYSCALL_DEFINITIONS } from "../dist/src/linux/kbuild/linux_syscalls.js";
import { SYSCALL_64 } from "../dist/src/linux/arch/x86/syscall_64.js";
import { SYSCALL_RISCV64 } from "../dist/src/linux/arch/riscv/syscall_table.js";
import { COND_SYSCALLS, sys_ni_syscall } from "../dist/src/linux/kernel/sys_ni.js";
import { sysCallTable } from "../dist/src/linux/kernel/entry/syscall_table.js";
import { resolveAll, resolveSyscall } from "../dist/src/resolver/resolve.js";
import { formatResolution } from "../dist/src/resolver/format.js";

const UNISTD_64 = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h";

t.test("syscall tables are the real ones", async (t) => {
  const nr = (tbl: typeof SYSCALL_64, name: string) => tbl.entries.find((e) => e.name === name)?.nr;
  t.equal(nr(SYSCALL_64, "kcmp"), 312);
  t.equal(nr(SYSCALL_64, "getpid"), 39);
  t.equal(nr(SYSCALL_64, "fork"), 57);
  t.equal(nr(SYSCALL_RISCV64, "kcmp"), 272);
  t.equal(nr(SYSCALL_RISCV64, "clone"), 220);
  for (const gone of ["fork", "vfork", "open", "pipe", "pause", "alarm", "dup2"]) t.equal(nr(SYSCALL_RISCV64, gone), undefined, `riscv64 has no ${gone}`);
  t.ok(SYSCALL_64.entries.every((e) => e.abi === "common" || e.abi === "64"), "no x32 entries");
  t.ok(COND_SYSCALLS.includes("kcmp"));
  if (!existsSync(UNISTD_64)) {
    t.skip(`${UNISTD_64} is not installed`);
    return;
  }
  // The installed header may be older than 6.12: compare the names both have.
  const header = new Map([...readFileSync(UNISTD_64, "utf8").matchAll(/#define __NR_(\w+) (\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
  const mismatches = SYSCALL_64.entries.filter((e) => header.has(e.name) && header.get(e.name) !== e.nr);
  t.same(mismatches, [], `every number agrees with ${UNISTD_64}`);
  t.ok([...header.keys()].filter((n) => SYSCALL_64.entries.some((e) => e.name === n)).length > 300);
});

t.test("the emulated objects are where Linux has them", async (t) => {
  for (const o of KERNEL_OBJECTS) {
    for (const s of o.syscalls) {
      t.ok(LINUX_SYSCALL_DEFINITIONS.some((d) => d.file === o.path && d.name === s.name), `${s.name} in ${o.path}`);
    }
  }
  const kcmp = KERNEL_OBJECTS.find((o) => o.path === "kernel/kcmp.c")!;
  t.equal(kcmp.rule, "obj-$(CONFIG_KCMP) += kcmp.o");
  t.equal(kcmp.condition, "KCMP");
});

t.test("link: sys_ni_syscall everywhere, strong definitions of built objects override", async (t) => {
  const minimal = sysCallTable(link(loadConfig("minimal")));
  const defconfig = sysCallTable(link(loadConfig("defconfig")));
  t.equal(minimal[312], sys_ni_syscall, "kcmp stays sys_ni_syscall on minimal");
  t.not(defconfig[312], sys_ni_syscall, "kcmp is linked on defconfig");
  t.not(minimal[39], sys_ni_syscall, "getpid is obj-y");
  t.equal(minimal.length, 463, "x86_64's table ends at 462 (mseal)");
  t.ok(minimal.every((h) => typeof h === "function"), "every slot is filled");
  t.equal(minimal[1000], undefined, "past the end: the kernel falls back to sys_ni_syscall");
  const broken = sysCallTable(link(loadConfig("defconfig"), { omit: ["kcmp"] }));
  t.equal(broken[312], sys_ni_syscall);
});

t.test("resolve: categories and evidence", async (t) => {
  const minimal = link(loadConfig("minimal"));
  const k = resolveSyscall(minimal, "kcmp");
  t.equal(k.category, "not-configured");
  t.equal(k.handler, "sys_ni_syscall");
  t.equal(k.reason, "kcmp() not configured: kernel/kcmp.c is built only with CONFIG_KCMP, which is not set (selected by CHECKPOINT_RESTORE or DRM, neither set)");
  const text = formatResolution(k);
  t.match(text, "arch/x86/entry/syscalls/syscall_64.tbl: 312 common kcmp sys_kcmp");
  t.match(text, "kernel/sys_ni.c: COND_SYSCALL(kcmp)");
  t.match(text, "kernel/Makefile: obj-$(CONFIG_KCMP) += kcmp.o");
  t.match(text, "CHECKPOINT_RESTORE depends on PROC_FS");
  t.same(resolveSyscall(minimal, 312), k, "by number");

  const d = resolveSyscall(link(loadConfig("defconfig")), "kcmp");
  t.equal(d.category, "implemented");
  t.equal(d.handler, "sys_kcmp");
  t.match(d.evidence.config![0]!, "CONFIG_KCMP=y, selected by DRM=y");

  const fork = resolveSyscall(link(loadConfig("riscv64")), "fork");
  t.equal(fork.category, "no-entry");
  t.match(fork.reason, "libc uses clone(SIGCHLD) there");

  const msgget = resolveSyscall(minimal, "msgget");
  t.equal(msgget.category, "not-implemented");
  t.match(msgget.evidence.linux![0]!, "ipc/msg.c");
  t.match(msgget.evidence.linux![0]!, "would not build it here (CONFIG_SYSVIPC)");

  const past = resolveSyscall(minimal, 999);
  t.equal(past.category, "no-entry");
  t.throws(() => resolveSyscall(minimal, "no_such_call"), { name: "UnknownSyscallError" });

  const broken = resolveSyscall(link(loadConfig("defconfig"), { omit: ["kcmp"] }), "kcmp");
  t.equal(broken.category, "implemented", "the build model still builds it");
  t.ok(broken.brokenLink, "but the table does not have it");
  t.match(formatResolution(broken), "BROKEN LINK");
});

t.test("resolve --all: one entry per slot", async (t) => {
  const linked = link(loadConfig("minimal"));
  const all = resolveAll(linked);
  t.equal(all.length, SYSCALL_64.entries.length);
  t.same(all.map((r) => r.nr), SYSCALL_64.entries.map((e) => e.nr));
  const cats = new Set(all.map((r) => r.category));
  t.ok(cats.has("implemented") && cats.has("not-configured") && cats.has("not-implemented"));
  JSON.parse(JSON.stringify(all));
});
