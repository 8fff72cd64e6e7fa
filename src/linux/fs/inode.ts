import { S_IFDIR, S_IFMT, S_IFREG } from "../include/uapi/fcntl.js";

/**
 * An inode of the in-memory filesystem (a tmpfs-like root): regular files keep their bytes,
 * directories their entries by name.
 */
export class Inode {
  readonly entries: Map<string, Inode> | null;
  data = new Uint8Array(0);
  size = 0;
  nlink: number;

  constructor(
    readonly ino: number,
    readonly mode: number,
    /** The directory holding it; the root is its own parent. */
    public parent: Inode | null,
  ) {
    this.entries = (mode & S_IFMT) === S_IFDIR ? new Map() : null;
    this.nlink = this.entries ? 2 : 1;
  }

  get isDir(): boolean {
    return (this.mode & S_IFMT) === S_IFDIR;
  }

  get isRegular(): boolean {
    return (this.mode & S_IFMT) === S_IFREG;
  }

  truncate(len: number): void {
    if (len < this.data.length) this.data = this.data.slice(0, len);
    this.size = len;
  }
}

/** The superblock of the in-memory root filesystem: hands out inode numbers. */
export class RamFs {
  private nextIno = 1;
  readonly root: Inode;

  constructor() {
    this.root = new Inode(this.nextIno++, S_IFDIR | 0o755, null);
    this.root.parent = this.root;
    // What a minimal initramfs provides: a world-writable, sticky /tmp.
    this.root.entries!.set("tmp", this.newInode(S_IFDIR | 0o1777, this.root));
    this.root.nlink++;
  }

  newInode(mode: number, parent: Inode): Inode {
    return new Inode(this.nextIno++, mode, parent);
  }
}
