import type { Kernel } from "../include/linux/sched.js";
import type { Task } from "../include/linux/sched.js";
import { signalPending } from "../include/linux/sched/signal.js";
import { WaitQueueHead } from "../include/linux/wait.js";
import { EAGAIN, EBADF, EBUSY, EFAULT, EINVAL, ENOPKG, ENXIO, EPERM, EPIPE, ERESTARTSYS, EXDEV } from "../include/uapi/errno.js";
import {
  F_GETPIPE_SZ, F_SETPIPE_SZ, O_CLOEXEC, O_DIRECT, O_NONBLOCK, O_NOTIFICATION_PIPE, O_RDONLY, O_WRONLY, S_IFIFO,
} from "../include/uapi/fcntl.js";
import { SIGPIPE } from "../include/uapi/signal.js";
import { newEncodeDev } from "../include/uapi/stat.js";
import { int, type SyscallHandler, ulong } from "../include/linux/syscalls.js";
import { CAP_SYS_ADMIN, CAP_SYS_RESOURCE } from "../kernel/cred.js";
import { sendSignal } from "../kernel/signal.js";
import { allocFd, fdInstall, fput } from "./file.js";
import { ownerOf, SuperBlock } from "./inode.js";
import type { IovIter } from "../include/linux/uio.js";
import { File, FMODE_READ, FMODE_WRITE, type FileOperations, type Inode } from "../include/linux/fs.js";

const PAGE_SIZE = 4096;
/** PIPE_DEF_BUFFERS: a new pipe holds 16 pages (64 KiB); PIPE_MIN_DEF_BUFFERS when its user has too many. */
const PIPE_DEF_BUFFERS = 16, PIPE_MIN_DEF_BUFFERS = 2;
/** sysctls fs.pipe-max-size and fs.pipe-user-pages-soft (hard: 0, no limit), at their defaults. */
const PIPE_MAX_SIZE = 1048576, PIPE_USER_PAGES_SOFT = PIPE_DEF_BUFFERS * 1024;
/** pipe_buffer flags, include/linux/pipe_fs_i.h. */
const PIPE_BUF_FLAG_PACKET = 0x08, PIPE_BUF_FLAG_CAN_MERGE = 0x10;

/** struct pipe_buffer: one page of the ring and the bytes of it not yet read. */
interface PipeBuffer {
  page: Uint8Array;
  offset: number;
  len: number;
  readonly flags: number;
}

/**
 * struct pipe_inode_info: a ring of page-sized buffers (max_usage of them), the counts of
 * read and write ends open, and the two wait queues. A write is copied a page at a time into
 * fresh buffers; a write shorter than a page may first be merged into the last buffer if it
 * fits there. That is what makes a write of at most PIPE_BUF bytes atomic (it goes into one
 * buffer or waits whole) and what decides how much a pipe really holds: 65536 bytes written
 * at once, but 1 + 61440 written as 1 then 65536. probes: a nonblocking write of 70000 into an
 * empty pipe: 65536, then 1 more: EAGAIN; 1 byte then 65536: 61440, then 4095, 4096, 1 or
 * 4097: EAGAIN; 100, 4000, then 14 pages fill the 16 buffers (4000 did not fit after 100);
 * after reading 100 bytes, 100 then 5000: 100 and 904 (merged into the last buffer).
 */
export class PipeInodeInfo {
  /** The occupied buffers, oldest first (tail to head). */
  readonly bufs: PipeBuffer[] = [];
  maxUsage: number;
  /** Buffers charged to the owner (nr_accounted). */
  nrAccounted: number;
  readers = 0;
  writers = 0;
  /** Open files using it; at 0 a FIFO drops it, and what it held. */
  files = 0;
  /** Opens of each kind so far: what a FIFO open waiting for its partner watches. */
  rCounter = 1;
  wCounter = 1;
  readonly rdWait = new WaitQueueHead();
  readonly wrWait = new WaitQueueHead();
  /** A notification pipe (O_NOTIFICATION_PIPE): user space cannot write it. */
  watchQueue = false;
  /** tmp_page: a page a reader emptied, kept for the next write (anon_pipe_buf_release()). */
  tmpPage: Uint8Array | null = null;

  constructor(readonly user: PipeUser) {
    this.maxUsage = this.nrAccounted = PIPE_DEF_BUFFERS;
  }

  get empty(): boolean {
    return this.bufs.length === 0;
  }

  get full(): boolean {
    return this.bufs.length >= this.maxUsage;
  }
}

/** struct user_struct's pipe_bufs: the pipe buffers one (real) user has. */
interface PipeUser {
  bufs: number;
}

/** pipe_is_unprivileged_user(): neither CAP_SYS_RESOURCE nor CAP_SYS_ADMIN. */
function unprivileged(task: Task): boolean {
  const caps = task.cred.capEffective;
  return !caps.has(CAP_SYS_RESOURCE) && !caps.has(CAP_SYS_ADMIN);
}

/** What one boot keeps for pipes: the pipefs superblock and each user's buffer count. */
interface PipeFs {
  readonly sb: SuperBlock;
  readonly users: Map<number, PipeUser>;
}

const pipeFsOf = new WeakMap<Kernel, PipeFs>();

/**
 * The boot's pipefs. Its device number is the one a probe's pipe showed (0:15); an anonymous
 * superblock's minor depends on how many were mounted before it.
 */
function pipeFs(kernel: Kernel): PipeFs {
  let fs = pipeFsOf.get(kernel);
  if (!fs) pipeFsOf.set(kernel, (fs = { sb: new SuperBlock(newEncodeDev(0, 15)), users: new Map() }));
  return fs;
}

/**
 * alloc_pipe_info(): 16 buffers, charged to the caller's real uid; a user over
 * fs.pipe-user-pages-soft without CAP_SYS_RESOURCE or CAP_SYS_ADMIN gets 2.
 */
function allocPipeInfo(task: Task): PipeInodeInfo {
  const users = pipeFs(task.kernel).users;
  let user = users.get(task.cred.uid);
  if (!user) users.set(task.cred.uid, (user = { bufs: 0 }));
  const pipe = new PipeInodeInfo(user);
  user.bufs += PIPE_DEF_BUFFERS;
  if (user.bufs > PIPE_USER_PAGES_SOFT && unprivileged(task)) {
    user.bufs -= PIPE_DEF_BUFFERS - PIPE_MIN_DEF_BUFFERS;
    pipe.maxUsage = pipe.nrAccounted = PIPE_MIN_DEF_BUFFERS;
  }
  return pipe;
}

/** put_pipe_info(): the last file using the pipe is gone; a FIFO forgets it and its data. */
function putPipeInfo(inode: Inode, pipe: PipeInodeInfo): void {
  if (--pipe.files > 0) return;
  inode.pipe = null;
  pipe.user.bufs -= pipe.nrAccounted;
}

const pipeOf = (file: File): PipeInodeInfo => file.privateData as PipeInodeInfo;

/**
 * wait_event_interruptible(): sleeps on `wq` until `cond` holds; false when a signal came
 * first (the caller's -ERESTARTSYS).
 */
async function waitEvent(task: Task, wq: WaitQueueHead, cond: () => boolean, channel: string): Promise<boolean> {
  while (!cond()) {
    if (signalPending(task)) return false;
    await wq.wait(task, channel);
  }
  return true;
}

/** A read or write loop that has to sleep before it can go on. */
const BLOCK = Symbol("block");

/**
 * pipe_read(): takes what the buffers hold, up to the count, and returns as soon as it has
 * something (a short read). With nothing there it returns 0 once no writer is left (EOF),
 * EAGAIN with O_NONBLOCK, and sleeps otherwise. A packet buffer (O_DIRECT writer) is read
 * whole: what does not fit the count is dropped. A copy that faults leaves the buffer unread.
 * probes: 5 bytes there, read(100): 5; empty with O_NONBLOCK: EAGAIN; no writer left: 0;
 * read(p, NULL, 1) on an empty nonblocking pipe: EAGAIN (nothing was copied); packets "abcdef"
 * and "gh" read with 3 then 100: 3 and 2; a 5000-byte packet write read with 10000: 4096,
 * then 904.
 */
function pipeRead(task: Task, file: File, to: IovIter): number | Promise<number> {
  if (to.count === 0) return 0;
  const pipe = pipeOf(file);
  const r = pipeReadLoop(task, file, pipe, to, pipe.full, false);
  return r === BLOCK ? pipeReadWait(task, file, pipe, to) : r;
}

function pipeReadLoop(task: Task, file: File, pipe: PipeInodeInfo, to: IovIter, wasFull: boolean, wakeNextReader: boolean): number | typeof BLOCK {
  let total = to.count;
  let ret = 0;
  for (;;) {
    const buf = pipe.bufs[0];
    if (buf) {
      let chars = buf.len;
      if (chars > total) chars = total;
      const written = to.copyTo(buf.page.subarray(buf.offset, buf.offset + chars));
      if (written < chars) {
        if (!ret) ret = -EFAULT;
        break;
      }
      ret += chars;
      buf.offset += chars;
      buf.len -= chars;
      if (buf.flags & PIPE_BUF_FLAG_PACKET) {
        total = chars;
        buf.len = 0;
      }
      if (!buf.len) {
        pipe.bufs.shift();
        pipe.tmpPage ??= buf.page;
      }
      total -= chars;
      if (!total) break;
      if (!pipe.empty) continue;
    }
    if (!pipe.writers || ret) break;
    if (file.flags & O_NONBLOCK) {
      ret = -EAGAIN;
      break;
    }
    if (wasFull) pipe.wrWait.wakeUp();
    return BLOCK;
  }
  if (pipe.empty) wakeNextReader = false;
  if (wasFull) pipe.wrWait.wakeUp();
  if (wakeNextReader) pipe.rdWait.wakeUp();
  if (ret > 0) file.inode.atime = task.kernel.sched.now;
  return ret;
}

/** pipe_read()'s sleep: until there is data or no writer; a signal first is -ERESTARTSYS. */
async function pipeReadWait(task: Task, file: File, pipe: PipeInodeInfo, to: IovIter): Promise<number> {
  for (;;) {
    if (!(await waitEvent(task, pipe.rdWait, () => !pipe.empty || !pipe.writers, "pipe_read"))) return -ERESTARTSYS;
    const r = pipeReadLoop(task, file, pipe, to, pipe.full, true);
    if (r !== BLOCK) return r;
  }
}

/** What a pipe write has done so far, kept across its sleeps. */
interface WriteState {
  ret: number;
  wasEmpty: boolean;
  wakeNextWriter: boolean;
}

/**
 * The write end finds no reader: SIGPIPE to the writing thread (fatal by default: the process
 * dies of it), and EPIPE unless something was written already. probes: SIGPIPE ignored:
 * EPIPE; default: the child's wait status 0xd; blocked: EPIPE and SIGPIPE pending; a write of
 * 0 bytes with no reader: 0 and no signal.
 */
function brokenPipe(task: Task, ret: number): number {
  sendSignal(SIGPIPE, task, false);
  return ret ? ret : -EPIPE;
}

/**
 * pipe_write(): no reader is EPIPE (with SIGPIPE). Then the bytes go in a page at a time,
 * merging a short tail into the last buffer when it fits; a full pipe makes a blocking writer
 * sleep until a reader makes room (or leaves), and a nonblocking one return what it wrote,
 * or EAGAIN if that is nothing. A page that faults part way is not kept (its slot stays, empty);
 * what went before counts. A signal while full ends the write with the count so far, or
 * -ERESTARTSYS. probes: writev {buf,5},{NULL,5}: EFAULT and nothing readable; {buf,4096},{NULL,5}:
 * 4096; 4000 then {buf,4000},{NULL,5}: EFAULT, the 4000 still there.
 */
function pipeWrite(task: Task, file: File, from: IovIter): number | Promise<number> {
  const pipe = pipeOf(file);
  // A notification pipe is written by the kernel only.
  if (pipe.watchQueue) return -EXDEV;
  const total = from.count;
  if (total === 0) return 0;
  if (!pipe.readers) return brokenPipe(task, 0);
  const st: WriteState = { ret: 0, wasEmpty: pipe.empty, wakeNextWriter: false };
  const chars = total & (PAGE_SIZE - 1);
  const last = pipe.bufs[pipe.bufs.length - 1];
  if (chars && last && last.flags & PIPE_BUF_FLAG_CAN_MERGE && last.offset + last.len + chars <= PAGE_SIZE) {
    const data = from.copyFrom(chars);
    if (data.length < chars) return finishWrite(task, file, pipe, { ...st, ret: -EFAULT });
    last.page.set(data, last.offset + last.len);
    last.len += chars;
    st.ret = chars;
    if (!from.count) return finishWrite(task, file, pipe, st);
  }
  const r = pipeWriteLoop(task, file, pipe, from, st);
  return r === BLOCK ? pipeWriteWait(task, file, pipe, from, st) : r;
}

function pipeWriteLoop(task: Task, file: File, pipe: PipeInodeInfo, from: IovIter, st: WriteState): number | Promise<number> | typeof BLOCK {
  for (;;) {
    if (!pipe.readers) {
      const r = brokenPipe(task, st.ret);
      if (typeof r !== "number") return r;
      st.ret = r;
      break;
    }
    if (!pipe.full) {
      const want = Math.min(PAGE_SIZE, from.count);
      const data = from.copyFrom(PAGE_SIZE);
      // A whole fresh page from the copy is the buffer's page as it is; else the spare one.
      const own = data.length === PAGE_SIZE && data.byteOffset === 0 && data.buffer.byteLength === PAGE_SIZE;
      let page = data;
      if (!own) {
        page = pipe.tmpPage ?? new Uint8Array(PAGE_SIZE);
        pipe.tmpPage = null;
        page.set(data);
      }
      const buf: PipeBuffer = { page, offset: 0, len: 0, flags: file.flags & O_DIRECT ? PIPE_BUF_FLAG_PACKET : PIPE_BUF_FLAG_CAN_MERGE };
      pipe.bufs.push(buf);
      if (data.length < want) {
        if (!st.ret) st.ret = -EFAULT;
        break;
      }
      st.ret += data.length;
      buf.len = data.length;
      if (!from.count) break;
    }
    if (!pipe.full) continue;
    if (file.flags & O_NONBLOCK) {
      if (!st.ret) st.ret = -EAGAIN;
      break;
    }
    if (signalPending(task)) {
      if (!st.ret) st.ret = -ERESTARTSYS;
      break;
    }
    if (st.wasEmpty) pipe.rdWait.wakeUp();
    return BLOCK;
  }
  return finishWrite(task, file, pipe, st);
}

/** pipe_write()'s sleep: until there is room or no reader, then on with the rest. */
async function pipeWriteWait(task: Task, file: File, pipe: PipeInodeInfo, from: IovIter, st: WriteState): Promise<number> {
  for (;;) {
    await waitEvent(task, pipe.wrWait, () => !pipe.full || !pipe.readers, "pipe_write");
    st.wasEmpty = pipe.empty;
    st.wakeNextWriter = true;
    const r = pipeWriteLoop(task, file, pipe, from, st);
    if (r !== BLOCK) return r;
  }
}

/** The end of pipe_write(): wake readers if the pipe was empty, the next writer if room is left. */
function finishWrite(task: Task, file: File, pipe: PipeInodeInfo, st: WriteState): number {
  if (st.wasEmpty) pipe.rdWait.wakeUp();
  if (st.wakeNextWriter && !pipe.full) pipe.wrWait.wakeUp();
  if (st.ret > 0) file.inode.mtime = file.inode.ctime = task.kernel.sched.now;
  return st.ret;
}

/**
 * pipe_release(): one end fewer. When the last reader or the last writer goes while the other
 * side stays, both queues are woken: readers see EOF, writers EPIPE.
 */
function pipeRelease(file: File): void {
  const pipe = pipeOf(file);
  if (file.mode & FMODE_READ) pipe.readers--;
  if (file.mode & FMODE_WRITE) pipe.writers--;
  if (!pipe.readers !== !pipe.writers) {
    pipe.rdWait.wakeUp();
    pipe.wrWait.wakeUp();
  }
  putPipeInfo(file.inode, pipe);
}

/**
 * wait_for_partner(): a FIFO open sleeps until an open of the other kind happens (the
 * counter moves); false if a signal came first.
 */
async function waitForPartner(task: Task, pipe: PipeInodeInfo, counter: () => number): Promise<boolean> {
  const cur = counter();
  while (cur === counter()) {
    if (signalPending(task)) break;
    await pipe.rdWait.wait(task, "fifo_open");
  }
  return cur !== counter();
}

/**
 * fifo_open(): every open of a FIFO shares the inode's pipe while any is open. O_RDONLY waits
 * for a writer, unless O_NONBLOCK; O_WRONLY waits for a reader, and with O_NONBLOCK fails with
 * ENXIO if there is none; O_RDWR never waits. probes: O_WRONLY|O_NONBLOCK with no reader:
 * ENXIO; O_RDONLY|O_NONBLOCK: a descriptor, F_GETFL 0x8800, read: EAGAIN; a blocking
 * O_RDONLY returned once a child opened O_WRONLY, and read its 2 bytes, then 0; O_RDWR:
 * F_GETFL 0x8002, lseek and pread ESPIPE.
 */
function fifoOpen(task: Task, inode: Inode, file: File): number | Promise<number> {
  let pipe = inode.pipe as PipeInodeInfo | null;
  if (pipe) pipe.files++;
  else {
    pipe = allocPipeInfo(task);
    pipe.files = 1;
    inode.pipe = pipe;
  }
  file.privateData = pipe;
  file.streamOpen();
  const p = pipe;
  // wait_for_partner(), and undoing the open when a signal ends the wait (-ERESTARTSYS).
  const partner = (counter: () => number, undo: () => void) => waitForPartner(task, p, counter).then((ok) => {
    if (ok) return 0;
    undo();
    putPipeInfo(inode, p);
    return -ERESTARTSYS;
  });
  switch (file.mode & (FMODE_READ | FMODE_WRITE)) {
    case FMODE_READ:
      p.rCounter++;
      if (p.readers++ === 0) p.rdWait.wakeUp();
      if (p.writers || file.flags & O_NONBLOCK) return 0;
      return partner(() => p.wCounter, () => { if (!--p.readers) p.wrWait.wakeUp(); });
    case FMODE_WRITE:
      if (file.flags & O_NONBLOCK && !p.readers) {
        putPipeInfo(inode, p);
        return -ENXIO;
      }
      p.wCounter++;
      if (!p.writers++) p.rdWait.wakeUp();
      if (p.readers) return 0;
      return partner(() => p.rCounter, () => { if (!--p.writers) p.rdWait.wakeUp(); });
    case FMODE_READ | FMODE_WRITE:
      p.readers++;
      p.writers++;
      p.rCounter++;
      p.wCounter++;
      if (p.readers === 1 || p.writers === 1) p.rdWait.wakeUp();
      return 0;
    default:
      putPipeInfo(inode, p);
      return -EINVAL;
  }
}

/**
 * pipefifo_fops: pipes and FIFOs. No ->llseek (lseek is ESPIPE) and stream_open() (no pread
 * or pwrite: ESPIPE). probes: lseek(pipe, 0, SEEK_CUR): ESPIPE, whence 99: EINVAL (checked
 * first); pread(pipe, buf, 1, -1): EINVAL, with offset 0: ESPIPE, even for count 0.
 */
export const pipefifoFops: FileOperations = {
  open: fifoOpen,
  read: pipeRead,
  write: pipeWrite,
  release: pipeRelease,
};

/**
 * get_pipe_inode() and create_pipe_files(): an inode of pipefs (S_IFIFO, mode 0600, owned by
 * the caller's fsuid) and its two files: the read end O_RDONLY (with O_NONBLOCK), the write
 * end O_WRONLY (with O_NONBLOCK and O_DIRECT). probe: F_GETFL of pipe2(O_NONBLOCK|O_CLOEXEC|
 * O_DIRECT)'s ends: 0x800 and 0x4801; of pipe()'s: 0 and 1; fstat of either end: the same
 * st_ino, st_mode 010600, st_nlink 1, st_size 0 with 3 bytes in it, st_blksize 4096.
 */
function createPipeFiles(task: Task, flags: number): [File, File] {
  const kernel = task.kernel;
  const inode = pipeFs(kernel).sb.newInode(S_IFIFO | 0o600, null, ownerOf(task));
  inode.fop = pipefifoFops;
  const pipe = allocPipeInfo(task);
  if (flags & O_NOTIFICATION_PIPE) pipe.watchQueue = true;
  inode.pipe = pipe;
  pipe.files = 2;
  pipe.readers = pipe.writers = 1;
  const w = new File(kernel.newId(), inode, O_WRONLY | (flags & (O_NONBLOCK | O_DIRECT)));
  const r = new File(kernel.newId(), inode, O_RDONLY | (flags & O_NONBLOCK));
  for (const f of [r, w]) {
    f.privateData = pipe;
    f.streamOpen();
  }
  return [r, w];
}

/**
 * do_pipe2(): the flags (O_CLOEXEC, O_NONBLOCK, O_DIRECT for packet mode, O_NOTIFICATION_PIPE
 * where CONFIG_WATCH_QUEUE builds notification pipes, ENOPKG elsewhere), the pipe, the two
 * lowest free descriptors (read end first), then the array; a bad array undoes it all.
 * probes: pipe2(p, O_RDWR), O_APPEND, O_NOATIME, O_LARGEFILE (0100000), 1 << 31: EINVAL;
 * pipe2(p, O_EXCL) (O_NOTIFICATION_PIPE, no CONFIG_WATCH_QUEUE): ENOPKG; pipe2(8, 0): EFAULT,
 * and the next dup() got the lowest descriptor; pipe2(8, 0xff0000): EINVAL; pipe2(NULL,
 * O_EXCL): ENOPKG.
 */
function doPipe2(task: Task, fildes: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT | O_NOTIFICATION_PIPE)) return -EINVAL;
  if (flags & O_NOTIFICATION_PIPE && !task.kernel.linked.config.enabled("WATCH_QUEUE")) return -ENOPKG;
  const [r, w] = createPipeFiles(task, flags);
  const fdr = allocFd(task, 0);
  const fdw = fdr < 0 ? fdr : allocFd(task, fdr + 1);
  const fds = new Uint8Array(8);
  new DataView(fds.buffer).setInt32(0, fdr, true);
  new DataView(fds.buffer).setInt32(4, fdw, true);
  const err = fdw < 0 ? fdw : task.mm!.write(fildes, fds) ? 0 : -EFAULT;
  if (err) {
    fput(r);
    fput(w);
    return err;
  }
  fdInstall(task.files!, fdr, r, (flags & O_CLOEXEC) !== 0);
  fdInstall(task.files!, fdw, w, (flags & O_CLOEXEC) !== 0);
  return 0;
}

/** round_pipe_size(): at least a page, a power of two, at most 2^31 (0 beyond: EINVAL). */
function roundPipeSize(size: number): number {
  if (size > 2 ** 31) return 0;
  if (size < PAGE_SIZE) return PAGE_SIZE;
  return 2 ** Math.ceil(Math.log2(size));
}

/**
 * pipe_set_size(): the capacity rounds up to a power-of-two number of pages. Growing past
 * fs.pipe-max-size needs CAP_SYS_RESOURCE, and past the user's soft buffer limit needs it or
 * CAP_SYS_ADMIN; shrinking below what the pipe holds is EBUSY. probes: F_SETPIPE_SZ 0: 4096;
 * 4097: 8192; 4096 with 8192 bytes in it: EBUSY; 8192 then: 8192; 1 << 20: 1048576;
 * (1U << 31) + 1 and -1: EINVAL; 1 << 21 without CAP_SYS_RESOURCE: EPERM; on a regular file:
 * EBADF.
 */
function pipeSetSize(task: Task, pipe: PipeInodeInfo, arg: number): number {
  if (pipe.watchQueue) return -EBUSY;
  const size = roundPipeSize(arg);
  const nrSlots = size / PAGE_SIZE;
  if (!nrSlots) return -EINVAL;
  const caps = task.cred.capEffective;
  if (nrSlots > pipe.maxUsage && size > PIPE_MAX_SIZE && !caps.has(CAP_SYS_RESOURCE)) return -EPERM;
  const userBufs = pipe.user.bufs - pipe.nrAccounted + nrSlots;
  if (nrSlots > pipe.maxUsage && userBufs > PIPE_USER_PAGES_SOFT && unprivileged(task)) return -EPERM;
  // pipe_resize_ring()
  if (nrSlots < pipe.bufs.length) return -EBUSY;
  pipe.user.bufs = userBufs;
  pipe.maxUsage = pipe.nrAccounted = nrSlots;
  pipe.wrWait.wakeUp();
  return pipe.maxUsage * PAGE_SIZE;
}

/** pipe_fcntl(): F_SETPIPE_SZ and F_GETPIPE_SZ; EBADF for a file that is not a pipe or FIFO. */
export function pipeFcntl(task: Task, file: File, cmd: number, arg: number): number {
  if (file.op !== pipefifoFops || !file.privateData) return -EBADF;
  const pipe = pipeOf(file);
  if (cmd === F_SETPIPE_SZ) return pipeSetSize(task, pipe, arg);
  if (cmd === F_GETPIPE_SZ) return pipe.maxUsage * PAGE_SIZE;
  return -EINVAL;
}

export const sys_pipe2: SyscallHandler = (task, a0, a1) => doPipe2(task, ulong(a0), int(a1));
export const sys_pipe: SyscallHandler = (task, a0) => doPipe2(task, ulong(a0), 0);
