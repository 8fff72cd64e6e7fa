import type * as fs from "../include/linux/fs.js";
import type { FileOperations, InodeOwner } from "../include/linux/fs.js";
import type { Task } from "../include/linux/sched.js";
import { S_IFDIR, S_IFMT, S_IFREG } from "../include/uapi/fcntl.js";
import { noOpenFops, simpleDirOperations } from "./libfs.js";

const PAGE_SIZE = 4096;

const ROOT_OWNER: InodeOwner = { uid: 0, gid: 0, now: 0 };

/** inode_init_owner(): a new inode belongs to the creator's fsuid and fsgid, made now. */
export function ownerOf(task: Task): InodeOwner {
  return { uid: task.cred.fsuid, gid: task.cred.fsgid, now: task.kernel.sched.now };
}

/** An inode of the in-memory filesystems (include/linux/fs.ts says what each field is). */
export class Inode implements fs.Inode {
  readonly entries: Map<string, fs.Inode> | null;
  readonly pages = new Map<number, Uint8Array>();
  size = 0;
  nlink: number;
  rdev = 0;
  uid: number;
  gid: number;
  atime: number;
  mtime: number;
  ctime: number;
  pipe: unknown = null;
  openFiles = 0;
  dead = false;
  private evicted = false;

  constructor(
    readonly sb: fs.SuperBlock,
    readonly ino: number,
    public mode: number,
    public parent: fs.Inode | null,
    owner: InodeOwner,
    /** i_fop, as the filesystem sets it for the inode's type. */
    public fop: FileOperations,
  ) {
    const type = mode & S_IFMT;
    this.entries = type === S_IFDIR ? new Map() : null;
    this.nlink = this.entries ? 2 : 1;
    this.uid = owner.uid;
    this.gid = owner.gid;
    this.atime = this.mtime = this.ctime = owner.now;
  }

  get isDir(): boolean {
    return (this.mode & S_IFMT) === S_IFDIR;
  }

  get isRegular(): boolean {
    return (this.mode & S_IFMT) === S_IFREG;
  }

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

  maybeEvict(): void {
    if (this.nlink > 0 || this.openFiles > 0 || this.evicted) return;
    this.evicted = true;
    for (const index of [...this.pages.keys()]) this.dropPage(index);
    this.sb.inodes--;
  }
}

/** A super_block of the in-memory filesystems. */
export class SuperBlock implements fs.SuperBlock {
  private nextIno = 1;
  inodes = 0;
  usedPages = 0;

  constructor(
    readonly dev: number,
  ) {}

  newInode(mode: number, parent: fs.Inode | null, owner: InodeOwner = ROOT_OWNER): fs.Inode {
    this.inodes++;
    return new Inode(this, this.nextIno++, mode, parent, owner, this.fileOperations(mode));
  }

  /**
   * The operations an inode of this filesystem opens with (what its get_inode() sets as
   * i_fop): simple_dir_operations for directories; nothing to open for the rest (device nodes
   * have no driver; FIFOs and pipes get theirs when opened).
   */
  protected fileOperations(mode: number): FileOperations {
    return (mode & S_IFMT) === S_IFDIR ? simpleDirOperations : noOpenFops;
  }
}
