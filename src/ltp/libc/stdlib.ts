/**
 * <stdlib.h>: exit(), and the environment, kept where a C library keeps it: `environ` is a
 * pointer in the data segment to an array of "NAME=value" strings, the one exec put on the
 * stack until setenv() needs a bigger one on the heap. All of it is the process's memory: a
 * fork child gets a copy, and what it changes there its parent never sees. malloc() and
 * memalign() are in malloc.ts.
 */
import { EINVAL } from "../../linux/include/uapi/errno.js";
import { ENVIRON_SLOT, libcStatic } from "./data_segment.js";
import { setErrno } from "./errno.js";
import { malloc } from "./malloc.js";
import { peekString, peekU64, pokeU64 } from "./memory.js";
import { strdup } from "./string.js";
import { _exit } from "./unistd.js";

/** exit(): no atexit handlers or stdio to flush here, so the same as _exit(). */
export const exit = _exit;

/** The entries of environ: [address of the pointer, the string]. */
function entries(): { at: number; text: string }[] {
  const out: { at: number; text: string }[] = [];
  for (let p = peekU64(libcStatic(ENVIRON_SLOT)); p !== 0; p += 8) {
    const s = peekU64(p);
    if (s === 0) break;
    out.push({ at: p, text: peekString(s) });
  }
  return out;
}

/** environ, as strings. */
export function environ(): string[] {
  return entries().map((e) => e.text);
}

const nameOf = (text: string) => text.slice(0, text.indexOf("=") < 0 ? text.length : text.indexOf("="));

/** getenv(): the value, or null when the variable is not set. */
export function getenv(name: string): string | null {
  const e = entries().find((x) => nameOf(x.text) === name);
  return e ? e.text.slice(name.length + 1) : null;
}

const badName = (name: string) => name === "" || name.includes("=");

/** Puts a "NAME=value" string (already in memory) in place of NAME's entry, or at the end of a new array. */
function install(name: string, str: number): number {
  const list = entries();
  const found = list.find((e) => nameOf(e.text) === name);
  if (found) {
    pokeU64(found.at, str);
    return 0;
  }
  const array = malloc((list.length + 2) * 8);
  if (!array) return -1;
  list.forEach((e, i) => pokeU64(array + i * 8, peekU64(e.at)));
  pokeU64(array + list.length * 8, str);
  pokeU64(array + (list.length + 1) * 8, 0);
  pokeU64(libcStatic(ENVIRON_SLOT), array);
  return 0;
}

/** setenv(): EINVAL for an empty name or one with '='; an existing value stays unless overwrite. */
export function setenv(name: string, value: string, overwrite: boolean | number): number {
  if (badName(name)) {
    setErrno(EINVAL);
    return -1;
  }
  if (!overwrite && getenv(name) !== null) return 0;
  const str = strdup(`${name}=${value}`);
  return str ? install(name, str) : -1;
}

/** unsetenv(): removes every entry of the name, moving the later ones down. */
export function unsetenv(name: string): number {
  if (badName(name)) {
    setErrno(EINVAL);
    return -1;
  }
  const list = entries();
  const keep = list.filter((e) => nameOf(e.text) !== name).map((e) => peekU64(e.at));
  list.forEach((e, i) => pokeU64(e.at, keep[i] ?? 0));
  return 0;
}

/** putenv("NAME=value"); a string without '=' unsets NAME, as glibc does. */
export function putenv(text: string): number {
  if (!text.includes("=")) return unsetenv(text);
  const str = strdup(text);
  return str ? install(nameOf(text), str) : -1;
}
