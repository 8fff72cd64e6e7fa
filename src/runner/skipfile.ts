import { readFileSync } from "node:fs";

export class SkipFileError extends Error {
  override name = "SkipFileError";
}

/** The tags a skip file lists: their jobs are reported skipped, never run. */
export interface SkipList {
  readonly tags: ReadonlySet<string>;
  /** The file, for the message that says why a job was skipped. */
  readonly file: string;
}

/**
 * A skip file (-S): one tag per line, `#` comments. Whole tags only: `ftest01` does not skip
 * `lftest01` (kirk's substring match would).
 */
export function readSkipFile(path: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new SkipFileError(`cannot read skip file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const tags = new Set<string>();
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    if (/\s/.test(line)) throw new SkipFileError(`${path}:${i + 1}: one testcase tag per line, not "${line}"`);
    tags.add(line);
  });
  return tags;
}
