import type { Task } from "../include/linux/sched.js";
import { rlimit } from "../include/linux/sched/signal.js";
import { S_IFREG } from "../include/uapi/fcntl.js";
import { RLIMIT_CORE } from "../include/uapi/resource.js";
import { PAGE_SIZE } from "../mm/mm.js";
import { ownerOf } from "./inode.js";

/** The ELF header a core file starts with (ET_CORE), for the task's arch. */
function elfCoreHeader(machine: number): Uint8Array {
  const h = new Uint8Array(64);
  const v = new DataView(h.buffer);
  h.set([0x7f, 0x45, 0x4c, 0x46, 2 /* ELFCLASS64 */, 1 /* ELFDATA2LSB */, 1 /* EV_CURRENT */]);
  v.setUint16(16, 4, true); // e_type: ET_CORE
  v.setUint16(18, machine, true);
  v.setUint32(20, 1, true); // e_version
  v.setUint16(52, 64, true); // e_ehsize
  return h;
}

/**
 * do_coredump() with the default core_pattern "core" (fs/coredump.c): a dump needs
 * CONFIG_COREDUMP and an ELF core writer (CONFIG_ELF_CORE), and RLIMIT_CORE of at least a
 * page (ELF's min_coredump); an existing "core" in the working directory is unlinked and a
 * new one created with mode 0600, holding as much of the dump as RLIMIT_CORE allows (here
 * only the ELF header: the emulation has no registers or notes to write). Returns whether a
 * core was dumped: the 0x80 of the wait status. probe (core_pattern "core"): SIGSEGV with
 * RLIMIT_CORE 0, 1 or 4095: status 0xb, no file; with 4096: 0x8b; SIGABRT with no limit: 0x86
 * and a file "core" of mode 0600.
 */
export function doCoredump(task: Task): boolean {
  const config = task.kernel.linked.config;
  if (!config.enabled("COREDUMP") || !config.enabled("ELF_CORE")) return false;
  const limit = rlimit(task, RLIMIT_CORE).cur;
  if (limit < BigInt(PAGE_SIZE) || !task.fs) return false;
  const dir = task.fs.pwd;
  if (!dir.entries) return false;
  const old = dir.entries.get("core");
  if (old?.isDir) return false;
  if (old) { old.nlink--; dir.entries.delete("core"); old.maybeEvict(); }
  const inode = task.kernel.rootfs.newInode(S_IFREG | (0o600 & ~task.fs.umask), dir, ownerOf(task));
  dir.entries.set("core", inode);
  const header = elfCoreHeader(task.kernel.linked.arch.elfMachine);
  const n = limit < BigInt(header.length) ? Number(limit) : header.length;
  inode.writeAt(0, header.subarray(0, n));
  return true;
}
