import type { Inode } from "./fs.js";

/** struct fs_struct: root, working directory and umask, shared with CLONE_FS. */
export class FsStruct {
  users = 1;
  constructor(readonly id: number, public root: Inode, public pwd: Inode, public umask = 0o022) {}

  /** copy_fs_struct() for a fork without CLONE_FS. */
  copy(id: number): FsStruct {
    return new FsStruct(id, this.root, this.pwd, this.umask);
  }
}
