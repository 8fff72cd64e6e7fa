/**
 * Files as one call, LTP's tst_safe_file_ops.h (SAFE_FILE_PRINTF, SAFE_FILE_SCANF) and
 * tst_fill_file(): TBROK when any step fails.
 */
import { O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY } from "../../linux/include/uapi/fcntl.js";
import { free } from "../libc/malloc.js";
import { peekBytes, pokeBytes } from "../libc/memory.js";
import { TBROK, tst_brk } from "./tst_res.js";
import { SAFE_CLOSE, SAFE_CREAT, SAFE_MALLOC, SAFE_OPEN, SAFE_READ, SAFE_WRITE } from "./tst_safe_macros.js";

/** Writes `text` into a new (or truncated) file, as SAFE_FILE_PRINTF(path, fmt, ...) does. */
export async function SAFE_FILE_PRINTF(path: string, text: string): Promise<void> {
  const fd = await SAFE_OPEN(path, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
  const bytes = Buffer.from(text, "utf8");
  const buf = SAFE_MALLOC(bytes.length);
  pokeBytes(buf, bytes);
  await SAFE_WRITE(true, fd, buf, bytes.length);
  free(buf);
  await SAFE_CLOSE(fd);
}

/** The whole content of a file, as text (SAFE_FILE_SCANF's input, without the format). */
export async function SAFE_FILE_READ(path: string): Promise<string> {
  const fd = await SAFE_OPEN(path, O_RDONLY);
  const buf = SAFE_MALLOC(4096);
  const parts: Uint8Array[] = [];
  for (let n; (n = await SAFE_READ(false, fd, buf, 4096)) > 0; ) parts.push(peekBytes(buf, n));
  free(buf);
  await SAFE_CLOSE(fd);
  return Buffer.concat(parts).toString("utf8");
}

/**
 * SAFE_FILE_SCANF(path, fmt): the values of %d (numbers) and %s (words) in a file; TBROK when
 * the content does not match.
 */
export async function SAFE_FILE_SCANF(path: string, fmt: string): Promise<(number | string)[]> {
  const text = await SAFE_FILE_READ(path);
  const pattern = fmt.trim().split(/\s+/).map((f) => (f === "%d" ? "([-+]?\\d+)" : f === "%s" ? "(\\S+)" : f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("\\s+");
  const m = new RegExp(`^\\s*${pattern}`).exec(text);
  if (!m) tst_brk(TBROK, `The FILE '${path}' ended prematurely`);
  return fmt.trim().split(/\s+/).filter((f) => f === "%d" || f === "%s").map((f, i) => (f === "%d" ? Number(m[i + 1]) : m[i + 1]!));
}

/** tst_fill_file(): a file of `count` blocks of `bs` bytes, each byte `pattern`. */
export async function tst_fill_file(path: string, pattern: string | number, bs: number, count: number): Promise<void> {
  const fd = await SAFE_CREAT(path, 0o600);
  const buf = SAFE_MALLOC(bs);
  pokeBytes(buf, new Uint8Array(bs).fill(typeof pattern === "number" ? pattern : pattern.charCodeAt(0)));
  for (let i = 0; i < count; i++) await SAFE_WRITE(true, fd, buf, bs);
  free(buf);
  await SAFE_CLOSE(fd);
}
