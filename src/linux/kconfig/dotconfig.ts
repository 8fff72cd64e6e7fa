import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/**
 * A parsed .config: the symbol values exactly as written, without the CONFIG_ prefix.
 * "is not set" lines are kept as "n"; strings lose their quotes and escapes.
 */
export type DotConfigValues = Map<string, string>;

export class DotConfigError extends Error {
  constructor(readonly file: string, readonly line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = "DotConfigError";
  }
}

const SET = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/;
const UNSET = /^# CONFIG_([A-Za-z0-9_]+) is not set$/;
const VALUE = /^(?:[ynm]|-?\d+|0x[0-9a-fA-F]+|"(?:[^"\\]|\\.)*")$/;

/** Parses the text of a .config or a fragment; throws DotConfigError naming file and line. */
export function parseDotConfig(text: string, file: string): DotConfigValues {
  const values: DotConfigValues = new Map();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    const unset = UNSET.exec(line);
    if (unset) {
      values.set(unset[1]!, "n");
      continue;
    }
    if (line.startsWith("#")) continue;
    const set = SET.exec(line);
    if (!set) throw new DotConfigError(file, i + 1, `not a .config line: ${JSON.stringify(line)}`);
    const raw = set[2]!;
    if (!VALUE.test(raw)) {
      throw new DotConfigError(file, i + 1, `bad value for CONFIG_${set[1]}: ${JSON.stringify(raw)}`);
    }
    values.set(set[1]!, raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw);
  }
  return values;
}

/** Reads a .config file, gunzipping it when it is gzip data (/proc/config.gz). */
export function readDotConfig(path: string): DotConfigValues {
  let data = readFileSync(path);
  if (data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data);
  if (data.includes(0)) throw new DotConfigError(path, 1, "binary data, not a .config");
  return parseDotConfig(data.toString("utf8"), path);
}
