/** LTP's tst_fs_type() (lib/tst_fs_type.c) and the magic numbers of tst_fs.h. */
import { RAMFS_MAGIC, TMPFS_MAGIC } from "../../linux/include/uapi/stat.js";
import { outBuffer } from "../libc/data_segment.js";
import { readStatfs, statfs } from "../libc/statfs.js";
import { TBROK, TERRNO, tst_brk } from "./tst_res.js";

/** LTP's magic numbers (tst_fs.h) for the filesystems an emulated root can be. */
export const TST_TMPFS_MAGIC = TMPFS_MAGIC, TST_RAMFS_MAGIC = RAMFS_MAGIC;

/** tst_fs_type(): the f_type of the filesystem holding `path`. */
export async function tst_fs_type(path: string): Promise<number> {
  const buf = outBuffer();
  if ((await statfs(path, buf)) !== 0) tst_brk(TBROK | TERRNO, `tst_fs_type: Failed to statfs(${path})`);
  return readStatfs(buf).type;
}

/** tst_fs_type_name() */
export function tst_fs_type_name(type: number): string {
  switch (type) {
    case TST_TMPFS_MAGIC: return "tmpfs";
    case TST_RAMFS_MAGIC: return "ramfs";
    default: return "unknown";
  }
}
