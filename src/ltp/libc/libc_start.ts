/** The C runtime's start (glibc's __libc_start_main), and main's argv for the testcase. */
import { job } from "../context.js";
import { ARGC_SLOT, ARGV_SLOT, ENVIRON_SLOT, libcStatic } from "./data_segment.js";
import { peekString, peekU64, pokeU64 } from "./memory.js";

/**
 * What the C runtime does before main(): argc, argv and envp from the initial stack
 * (argc, argv[], NULL, envp[], NULL, as exec leaves them), kept in the libc's statics.
 */
export function libcStart(): void {
  const sp = job().target.current().startStack;
  const argc = peekU64(sp);
  pokeU64(libcStatic(ARGC_SLOT), argc);
  pokeU64(libcStatic(ARGV_SLOT), sp + 8);
  pokeU64(libcStatic(ENVIRON_SLOT), sp + 8 + (argc + 1) * 8);
}

/** The process's argv, as strings (from the stack exec set up). */
export function argv(): string[] {
  const n = peekU64(libcStatic(ARGC_SLOT));
  const v = peekU64(libcStatic(ARGV_SLOT));
  return Array.from({ length: n }, (_, i) => peekString(peekU64(v + i * 8)));
}
