import type * as fs from "../include/linux/fs.js";
import { loffAdd, type FileOperations, type InodeOwner } from "../include/linux/fs.js";
import type { Task } from "../include/linux/sched.js";
import { S_IFDIR, S_IFMT, S_IFREG } from "../include/uapi/fcntl.js";
import type { Word } from "../include/uapi/word.js";
import { noOpenFops, simpleDirOperations } from "./libfs.js";

const PAGE_SIZE = 4096;

/** The page a file position is in (positions past 2^53 are bigints; their pages are numbers). */
export function pageIndex(pos: Word): number {
  return typeof pos === "number" ? Math.floor(pos / PAGE_SIZE) : Number(pos / BigInt(PAGE_SIZE));
}

/** The position page `index` starts at. */
export function pageStart(index: number): Word {
  const pos = index * PAGE_SIZE;
  return Number.isSafeInteger(pos) ? pos : BigInt(index) * BigInt(PAGE_SIZE);
}

/** Where in its page a file position is. */
export function pageOffset(pos: Word): number {
  return typeof pos === "number" ? pos % PAGE_SIZE : Number(pos % BigInt(PAGE_SIZE));
}

const ROOT_OWNER: InodeOwner = { uid: 0, gid: 0, now: 0 };

/** inode_init_owner(): a new inode belongs to the creator's fsuid and fsgid, made now. */
export function ownerOf(task: Task): InodeOwner {
  return { uid: task.cred.fsuid, gid: task.cred.fsgid, now: task.kernel.sched.now };
}

/** An inode of the in-memory filesystems (include/linux/fs.ts says what each field is). */
export class Inode implements fs.Inode {
  readonly entries: Map<string, fs.Inode> | null;
  readonly pages = new Map<number, Uint8Array>();
  size: Word = 0;
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

  readAt(pos: Word, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let index = pageIndex(pos);
    for (let done = 0, off = pageOffset(pos); done < len; index++, off = 0) {
      const n = Math.min(PAGE_SIZE - off, len - done);
      const page = this.pages.get(index);
      if (page) out.set(page.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }

  writeAt(pos: Word, data: Uint8Array): void {
    let index = pageIndex(pos);
    for (let done = 0, off = pageOffset(pos); done < data.length; index++, off = 0) {
      const n = Math.min(PAGE_SIZE - off, data.length - done);
      let page = this.pages.get(index);
      if (!page) {
        this.pages.set(index, (page = new Uint8Array(PAGE_SIZE)));
        this.sb.usedPages++;
      }
      page.set(data.subarray(done, done + n), off);
      done += n;
    }
    const end = loffAdd(pos, data.length);
    if (end > this.size) this.size = end;
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
