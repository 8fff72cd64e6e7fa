/** <string.h>'s strdup(), and C strings for the library's own calls that take a path or a name. */
import { PATH_MAX, pathBuffer } from "./data_segment.js";
import { malloc } from "./malloc.js";
import { pokeBytes } from "./memory.js";

/** Copies a string into the path buffer (as a C string literal would sit in memory). */
export function cstring(s: string): number {
  const bytes = Buffer.from(s + "\0", "utf8");
  // A name longer than PATH_MAX still goes to the kernel, which answers ENAMETOOLONG.
  const addr = bytes.length <= PATH_MAX ? pathBuffer() : malloc(bytes.length);
  pokeBytes(addr, bytes);
  return addr;
}

/** strdup(): a NUL-terminated copy of s on the heap. */
export function strdup(s: string): number {
  const bytes = Buffer.from(s + "\0", "utf8");
  const addr = malloc(bytes.length);
  if (addr) pokeBytes(addr, bytes);
  return addr;
}
