/**
 * struct stat as the stat family copies it out (cp_new_stat()), per arch: x86_64's own
 * (arch/x86/include/uapi/asm/stat.h, 144 bytes) and the generic one riscv64 uses
 * (include/uapi/asm-generic/stat.h, 128 bytes: st_mode and st_nlink are 32-bit and come before
 * st_uid, st_blksize is an int). probe (x86_64, offsetof): dev 0 ino 8 nlink 16 mode 24 uid 28
 * gid 32 rdev 40 size 48 blksize 56 blocks 64 atim 72 mtim 88 ctim 104, sizeof 144.
 */

import { wordOfBits, type Word } from "./word.js";

/** The fields of struct stat, by the name the kernel's struct kstat gives them. */
export interface Kstat {
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  /** st_size, an off_t: exact past 2^53 (a file written at 2^53 is that long). */
  size: Word;
  blksize: number;
  blocks: number;
  /** Times in nanoseconds. */
  atime: number;
  mtime: number;
  ctime: number;
}

type Field = readonly [offset: number, bytes: 4 | 8];

/** Where each field sits in one arch's struct stat. */
export interface StatLayout {
  readonly size: number;
  readonly dev: Field; readonly ino: Field; readonly mode: Field; readonly nlink: Field;
  readonly uid: Field; readonly gid: Field; readonly rdev: Field; readonly st_size: Field;
  readonly blksize: Field; readonly blocks: Field;
  /** tv_sec of st_atim, st_mtim, st_ctim; tv_nsec follows each at +8. */
  readonly atime: Field; readonly mtime: Field; readonly ctime: Field;
}

const X86_64: StatLayout = {
  size: 144, dev: [0, 8], ino: [8, 8], nlink: [16, 8], mode: [24, 4], uid: [28, 4], gid: [32, 4],
  rdev: [40, 8], st_size: [48, 8], blksize: [56, 8], blocks: [64, 8], atime: [72, 8], mtime: [88, 8], ctime: [104, 8],
};

const GENERIC: StatLayout = {
  size: 128, dev: [0, 8], ino: [8, 8], mode: [16, 4], nlink: [20, 4], uid: [24, 4], gid: [28, 4],
  rdev: [32, 8], st_size: [48, 8], blksize: [56, 4], blocks: [64, 8], atime: [72, 8], mtime: [88, 8], ctime: [104, 8],
};

/** The struct stat of an arch (uname -m). */
export function statLayout(arch: string): StatLayout {
  return arch === "x86_64" ? X86_64 : GENERIC;
}

const NS = 1e9;

function put(v: DataView, [off, bytes]: Field, value: Word): void {
  if (bytes === 4) v.setUint32(off, Number(value) >>> 0, true);
  else v.setBigInt64(off, BigInt(value), true);
}

function get(v: DataView, [off, bytes]: Field): number {
  return bytes === 4 ? v.getUint32(off, true) : Number(v.getBigInt64(off, true));
}

/** The bytes of struct stat for `st` (padding zeroed, as INIT_STRUCT_STAT_PADDING does). */
export function packStat(layout: StatLayout, st: Kstat): Uint8Array {
  const b = new Uint8Array(layout.size);
  const v = new DataView(b.buffer);
  put(v, layout.dev, st.dev);
  put(v, layout.ino, st.ino);
  put(v, layout.mode, st.mode);
  put(v, layout.nlink, st.nlink);
  put(v, layout.uid, st.uid);
  put(v, layout.gid, st.gid);
  put(v, layout.rdev, st.rdev);
  put(v, layout.st_size, st.size);
  put(v, layout.blksize, st.blksize);
  put(v, layout.blocks, st.blocks);
  for (const [f, t] of [[layout.atime, st.atime], [layout.mtime, st.mtime], [layout.ctime, st.ctime]] as const) {
    put(v, f, Math.floor(t / NS));
    put(v, [f[0] + 8, 8], t % NS);
  }
  return b;
}

/** The fields of a struct stat read back from its bytes. */
export function unpackStat(layout: StatLayout, b: Uint8Array): Kstat {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const time = (f: Field) => get(v, f) * NS + get(v, [f[0] + 8, 8]);
  return {
    dev: get(v, layout.dev), ino: get(v, layout.ino), mode: get(v, layout.mode), nlink: get(v, layout.nlink),
    uid: get(v, layout.uid), gid: get(v, layout.gid), rdev: get(v, layout.rdev), size: wordOfBits(v.getBigInt64(layout.st_size[0], true)),
    blksize: get(v, layout.blksize), blocks: get(v, layout.blocks),
    atime: time(layout.atime), mtime: time(layout.mtime), ctime: time(layout.ctime),
  };
}

/** new_encode_dev() (include/linux/kdev_t.h): the dev_t user space sees, 12-bit major, 20-bit minor. */
export function newEncodeDev(major: number, minor: number): number {
  return ((minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12)) >>> 0;
}

/** new_decode_dev(): the major and minor of a user dev_t. */
export function newDecodeDev(dev: number): { major: number; minor: number } {
  return { major: (dev & 0xfff00) >>> 8, minor: (dev & 0xff) | ((dev >>> 12) & 0xfff00) };
}

/** glibc's makedev() for numbers that fit new_encode_dev(). */
export const makedev = newEncodeDev;

/** The file type tests of <sys/stat.h>. */
export const S_ISREG = (m: number): boolean => (m & 0o170000) === 0o100000;
export const S_ISDIR = (m: number): boolean => (m & 0o170000) === 0o40000;
export const S_ISFIFO = (m: number): boolean => (m & 0o170000) === 0o10000;
export const S_ISCHR = (m: number): boolean => (m & 0o170000) === 0o20000;
export const S_ISBLK = (m: number): boolean => (m & 0o170000) === 0o60000;
export const S_ISSOCK = (m: number): boolean => (m & 0o170000) === 0o140000;

/**
 * struct statfs, include/uapi/asm-generic/statfs.h with 64-bit words (x86_64 and riscv64
 * agree): f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree (8 bytes each),
 * f_fsid (two ints), f_namelen, f_frsize, f_flags, f_spare[4]. probe: sizeof 120, f_fsid at 56,
 * f_namelen 64, f_frsize 72, f_flags 80.
 */
export interface Kstatfs {
  type: number; bsize: number; blocks: number; bfree: number; bavail: number; files: number; ffree: number;
  fsid: readonly [number, number]; namelen: number; frsize: number; flags: number;
}

export const SIZEOF_STATFS = 120;

export function packStatfs(st: Kstatfs): Uint8Array {
  const b = new Uint8Array(SIZEOF_STATFS);
  const v = new DataView(b.buffer);
  const words = [st.type, st.bsize, st.blocks, st.bfree, st.bavail, st.files, st.ffree];
  words.forEach((w, i) => v.setBigInt64(i * 8, BigInt(w), true));
  v.setInt32(56, st.fsid[0], true);
  v.setInt32(60, st.fsid[1], true);
  v.setBigInt64(64, BigInt(st.namelen), true);
  v.setBigInt64(72, BigInt(st.frsize), true);
  v.setBigInt64(80, BigInt(st.flags), true);
  return b;
}

export function unpackStatfs(b: Uint8Array): Kstatfs {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const w = (i: number) => Number(v.getBigInt64(i * 8, true));
  return {
    type: w(0), bsize: w(1), blocks: w(2), bfree: w(3), bavail: w(4), files: w(5), ffree: w(6),
    fsid: [v.getInt32(56, true), v.getInt32(60, true)], namelen: w(8), frsize: w(9), flags: w(10),
  };
}

/** Superblock magic numbers, include/uapi/linux/magic.h. */
export const TMPFS_MAGIC = 0x01021994, RAMFS_MAGIC = 0x858458f6, PIPEFS_MAGIC = 0x50495045;
/** statfs f_flags, include/linux/statfs.h: ST_VALID says f_flags is filled in. */
export const ST_VALID = 0x0020, ST_RELATIME = 0x1000;
