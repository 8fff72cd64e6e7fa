import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/** The package's root directory (where package.json, configs/ and runtest/ are). */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "configs"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find the ltp-run package root");
    dir = up;
  }
  return (root = dir);
}

/** Whether a path names a regular file (following links): a directory given for a file is bad input. */
export function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
