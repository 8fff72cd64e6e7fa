import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A file or directory that could not be written: one line that names it and says why. */
export class WriteError extends Error {
  override name = "WriteError";

  constructor(readonly path: string, readonly reason: string, verb = "write") {
    super(`cannot ${verb} ${path}: ${reason}`);
  }
}

/** "no space left on device (ENOSPC)": the system's words for the error, without Node's call and paths. */
export function systemReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (!err.code) return String(err.message ?? e);
  const words = /^[A-Z0-9]+: ([^,]+)/.exec(err.message)?.[1] ?? err.message;
  return `${words} (${err.code})`;
}

/** Whether `e` is the file system's refusal (ENOSPC, EISDIR, EROFS, ...), not a bug. */
function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string" && typeof (e as NodeJS.ErrnoException).syscall === "string";
}

/**
 * mkdir -p, one component at a time so that the error is the file system's own: Node's
 * recursive mkdirSync says ENOENT on a read-only file system (EROFS), and never returns under
 * /proc.
 */
function makeParents(path: string): void {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) return;
  const parent = dirname(path);
  if (parent !== path) makeParents(parent);
  mkdirSync(path);
}

/** Why a directory cannot be made: mkdir says EEXIST (or ENOTDIR below it) when a part of the path is a file. */
function mkdirReason(e: NodeJS.ErrnoException, dir: string): string {
  return e.code === "EEXIST" || e.code === "ENOTDIR" ? `a part of ${dir} is a file, not a directory` : systemReason(e);
}

/** Creates a directory and its parents; the file system's refusal is a WriteError. */
export function makeDirectory(path: string): void {
  try {
    makeParents(path);
  } catch (e) {
    if (isSystemError(e)) throw new WriteError(path, mkdirReason(e, path), "create");
    throw e;
  }
}

/** Removes a leftover temporary file; where there is none (or no directory for it), nothing to do. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // ENOTDIR: the directory it would be in is a file, so the file was never made.
  }
}

/**
 * Writes a file so that a reader never sees half of it: a temporary file, then a rename. When
 * the write fails (a full disk, a directory in the way) the temporary file is removed and a
 * WriteError names the file.
 */
export function writeAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    makeParents(dirname(path));
  } catch (e) {
    if (isSystemError(e)) throw new WriteError(path, mkdirReason(e, dirname(path)));
    throw e;
  }
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    removeQuietly(tmp);
    if (isSystemError(e)) throw new WriteError(path, e.code === "EISDIR" ? "it is a directory (EISDIR)" : systemReason(e));
    throw e;
  }
}

/**
 * Files written atomically where a failure is kept, not thrown: one report that cannot be
 * written must not cost the others. The last write of each path decides: a later success
 * clears an earlier failure.
 */
export class TrackedWrites {
  private readonly failed = new Map<string, WriteError>();

  /** Writes the file; false when it could not be written (see failures()). */
  put(path: string, text: string): boolean {
    try {
      writeAtomic(path, text);
      this.failed.delete(path);
      return true;
    } catch (e) {
      if (!(e instanceof WriteError)) throw e;
      this.failed.set(path, e);
      return false;
    }
  }

  /** The files whose last write failed, in the order they first failed. */
  failures(): WriteError[] {
    return [...this.failed.values()];
  }
}
