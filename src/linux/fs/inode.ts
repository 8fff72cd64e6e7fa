import type { Task } from "../include/linux/sched.js";
import { S_IFDIR, S_IFMT, S_IFREG } from "../include/uapi/fcntl.js";
import { newEncodeDev } from "../include/uapi/stat.js";
import { shmemFileOperations } from "../mm/shmem.js";
import type { FileOperations } from "./file_table.js";
import { noOpenFops, simpleDirOperations } from "./libfs.js";

const PAGE_SIZE = 4096;

/** Who made an inode, and when (the machine's clock: nanoseconds since boot). */
export interface InodeOwner {
  readonly uid: number;
  readonly gid: number;
  readonly now: number;
}

const ROOT_OWNER: InodeOwner = { uid: 0, gid: 0, now: 0 };

/** inode_init_owner(): a new inode belongs to the creator's fsuid and fsgid, made now. */
export function ownerOf(task: Task): InodeOwner {
  return { uid: task.cred.fsuid, gid: task.cred.fsgid, now: task.kernel.sched.now };
}

/**
 * An inode of an in-memory filesystem: regular files keep their bytes in pages (a page never
 * written is a hole: it reads as zeros and takes no room), directories their entries by name,
 * FIFOs the pipe their opens share while any is open.
 */
export class Inode {
  readonly entries: Map<string, Inode> | null;
  /** The pages of a regular file by index. */
  readonly pages = new Map<number, Uint8Array>();
  size = 0;
  nlink: number;
  /** i_rdev of a device node (a user dev_t). */
  rdev = 0;
  uid: number;
  gid: number;
  /** Times in nanoseconds. */
  atime: number;
  mtime: number;
  ctime: number;
  /** i_fop: what opening it gives. */
  fop: FileOperations;
  /** i_pipe: the pipe of a FIFO while it is open (fs/pipe.ts owns it). */
  pipe: unknown = null;
  /** Open files referring to it: an unlinked inode lives on until the last is closed. */
  openFiles = 0;
  /** S_DEAD: a removed directory, where nothing can be created any more. */
  dead = false;
  private evicted = false;

  constructor(
    readonly sb: SuperBlock,
    readonly ino: number,
    public mode: number,
    /** The directory holding it; the root is its own parent. */
    public parent: Inode | null,
    owner: InodeOwner = ROOT_OWNER,
  ) {
    const type = mode & S_IFMT;
    this.entries = type === S_IFDIR ? new Map() : null;
    this.nlink = this.entries ? 2 : 1;
    this.uid = owner.uid;
    this.gid = owner.gid;
    this.atime = this.mtime = this.ctime = owner.now;
    this.fop = type === S_IFDIR ? simpleDirOperations : type === S_IFREG ? shmemFileOperations : noOpenFops;
  }

  get isDir(): boolean {
    return (this.mode & S_IFMT) === S_IFDIR;
  }

  get isRegular(): boolean {
    return (this.mode & S_IFMT) === S_IFREG;
  }

  /** The bytes [pos, pos+len) of a regular file (zeros in holes and past the end). */
  readAt(pos: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let done = 0; done < len; ) {
      const a = pos + done;
      const off = a % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - off, len - done);
      const page = this.pages.get((a - off) / PAGE_SIZE);
      if (page) out.set(page.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }

  /** Stores `data` at pos, allocating the pages it touches; the size grows to cover it. */
  writeAt(pos: number, data: Uint8Array): void {
    for (let done = 0; done < data.length; ) {
      const a = pos + done;
      const off = a % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - off, data.length - done);
      const index = (a - off) / PAGE_SIZE;
      let page = this.pages.get(index);
      if (!page) {
        this.pages.set(index, (page = new Uint8Array(PAGE_SIZE)));
        this.sb.usedPages++;
      }
      page.set(data.subarray(done, done + n), off);
      done += n;
    }
    this.size = Math.max(this.size, pos + data.length);
  }

  /** Sets the size: pages past it go, the tail of the last one is zeroed. */
  truncate(len: number): void {
    for (const index of [...this.pages.keys()]) {
      if (index * PAGE_SIZE >= len) this.dropPage(index);
    }
    const off = len % PAGE_SIZE;
    if (off) this.pages.get((len - off) / PAGE_SIZE)?.fill(0, off);
    this.size = len;
  }

  private dropPage(index: number): void {
    if (this.pages.delete(index)) this.sb.usedPages--;
  }

  /** The last link and the last open file are gone: the inode and its pages are freed (evict()). */
  maybeEvict(): void {
    if (this.nlink > 0 || this.openFiles > 0 || this.evicted) return;
    this.evicted = true;
    for (const index of [...this.pages.keys()]) this.dropPage(index);
    this.sb.inodes--;
  }
}

/** The parts of a super_block the in-memory filesystems keep. */
export class SuperBlock {
  private nextIno = 1;
  /** Inodes in use, and pages of file data held (what statfs() reports as used). */
  inodes = 0;
  usedPages = 0;

  constructor(
    /** s_dev as user space sees it. */
    readonly dev: number,
  ) {}

  newInode(mode: number, parent: Inode | null, owner?: InodeOwner): Inode {
    this.inodes++;
    return new Inode(this, this.nextIno++, mode, parent, owner);
  }
}

/**
 * The root filesystem: what an initramfs boot leaves mounted at /, with a world-writable,
 * sticky /tmp. It is tmpfs where the configuration has CONFIG_SHMEM and ramfs (or tmpfs built
 * on ramfs's code, which behaves the same) where it does not; mm/shmem.ts holds the
 * differences. Its device number is the first anonymous one, 0:1 (anonymous superblocks take
 * minors from 1 in mount order; the rootfs is among the first a boot mounts).
 */
export class RamFs extends SuperBlock {
  readonly root: Inode;

  constructor() {
    super(newEncodeDev(0, 1));
    this.root = this.newInode(S_IFDIR | 0o755, null);
    this.root.parent = this.root;
    this.root.entries!.set("tmp", this.newInode(S_IFDIR | 0o1777, this.root));
    this.root.nlink++;
  }
}
