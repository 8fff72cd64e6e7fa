import type { File } from "./fs.js";

/**
 * struct files_struct: the descriptor table, shared with CLONE_FILES, copied by fork
 * (dup_fd: the copy refers to the same open file descriptions).
 */
export class FilesStruct {
  readonly fd: (File | null)[] = [];
  readonly closeOnExec = new Set<number>();
  /** Where the search for a free descriptor starts (next_fd). */
  nextFd = 0;
  /**
   * Descriptors an open() that sleeps (a FIFO waiting for its partner) has taken but not yet
   * installed (get_unused_fd_flags() before fd_install()); null while there are none.
   */
  reserved: Set<number> | null = null;
  count = 1;

  constructor(readonly id: number) {}

  get(fd: number): File | null {
    return fd >= 0 && fd < this.fd.length ? this.fd[fd] ?? null : null;
  }

  /** dup_fd() for fork without CLONE_FILES. */
  dup(id: number): FilesStruct {
    const copy = new FilesStruct(id);
    for (let i = 0; i < this.fd.length; i++) {
      const f = this.fd[i] ?? null;
      if (f) f.count++;
      copy.fd[i] = f;
    }
    for (const fd of this.closeOnExec) copy.closeOnExec.add(fd);
    copy.nextFd = this.nextFd;
    return copy;
  }
}
