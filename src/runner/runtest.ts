import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isFile, packageRoot } from "./paths.js";

/** One line of a runtest file: `tag  command [args]`. */
export interface RuntestEntry {
  readonly tag: string;
  readonly command: string;
  readonly args: readonly string[];
  /** "runtest/syscalls:12", for messages. */
  readonly where: string;
}

export class RuntestError extends Error {
  override name = "RuntestError";
}

/** Finds a runtest file: a name in runtest/ or a path. */
export function runtestPath(name: string): string {
  const shipped = join(packageRoot(), "runtest", name);
  if (/^[A-Za-z0-9_.-]+$/.test(name) && isFile(shipped)) return shipped;
  if (isFile(name)) return name;
  if (existsSync(name)) throw new RuntestError(`runtest file ${name} is not a file (a directory?)`);
  throw new RuntestError(`runtest file not found: ${name} (looked in ${join("runtest", name)} and ${name})`);
}

/** Parses LTP's runtest format: `#` starts a comment, blank lines are skipped. */
export function parseRuntest(text: string, file: string): RuntestEntry[] {
  const entries: RuntestEntry[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const [tag, command, ...args] = line.split(/\s+/);
    if (!command) throw new RuntestError(`${file}:${i + 1}: "${line}" has a tag but no command`);
    entries.push({ tag: tag!, command, args, where: `${file}:${i + 1}` });
  });
  return entries;
}

function readRuntestFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new RuntestError(`cannot read runtest file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** Reads a comma-separated list of runtest files, in order. */
export function readRuntests(list: string): RuntestEntry[] {
  const names = list.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (names.length === 0) throw new RuntestError("-f needs at least one runtest file");
  return names.flatMap((n) => parseRuntest(readRuntestFile(runtestPath(n)), n));
}
