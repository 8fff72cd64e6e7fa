import { ConfigSpecError } from "../runner/configs.js";
import { RuntestError } from "../runner/runtest.js";
import { UnknownSyscallError } from "../resolver/resolve.js";
import { SkipFileError } from "../runner/skipfile.js";
import { ShardError } from "../runner/shard.js";
import { ExpectationsError } from "../report/expectations.js";
import { MergeError } from "../report/merge.js";
import { TargetSpecError } from "../targets/spec.js";
import { WriteError } from "../report/atomic.js";

/** Bad input from the command line: one line on stderr, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * The errors of the layers below that are the command line's fault, or the file system's
 * refusal of a file it names: each is one line and exit 2. Anything else is a bug.
 */
const INPUT_ERRORS = [ConfigSpecError, RuntestError, UnknownSyscallError, SkipFileError, ShardError, ExpectationsError, MergeError, TargetSpecError, WriteError];

/** The one line to print for bad input (exit 2), or undefined for a bug. */
export function badInputMessage(e: unknown): string | undefined {
  if (e instanceof UsageError || (e instanceof Error && INPUT_ERRORS.some((c) => e instanceof c))) return (e as Error).message;
  return undefined;
}

/** Turns the input errors of the layers below into UsageError; anything else is a bug. */
export function asUsageError(e: unknown): never {
  const message = badInputMessage(e);
  throw message === undefined ? e : new UsageError(message);
}

/** One line on stderr per file that could not be written; whether there was any. */
export function printWriteFailures(failures: readonly WriteError[]): boolean {
  for (const f of failures) process.stderr.write(`ltp-run: ${f.message}\n`);
  return failures.length > 0;
}

/** Reads an input: the errors of bad input become UsageError (see asUsageError). */
export function checkedInput<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    asUsageError(e);
  }
}
