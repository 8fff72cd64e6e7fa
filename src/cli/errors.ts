import { ConfigSpecError } from "../runner/configs.js";
import { RuntestError } from "../runner/runtest.js";
import { UnknownSyscallError } from "../resolver/resolve.js";
import { SkipFileError } from "../runner/skipfile.js";
import { ShardError } from "../runner/shard.js";
import { ExpectationsError } from "../report/expectations.js";
import { MergeError } from "../report/merge.js";
import { TargetSpecError } from "../targets/spec.js";

/** Bad input from the command line: one line on stderr, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Turns the input errors of the layers below into UsageError; anything else is a bug. */
export function asUsageError(e: unknown): never {
  const inputErrors = [ConfigSpecError, RuntestError, UnknownSyscallError, SkipFileError, ShardError, ExpectationsError, MergeError, TargetSpecError];
  if (e instanceof Error && inputErrors.some((c) => e instanceof c)) throw new UsageError(e.message);
  throw e;
}

/** Reads an input: the errors of bad input become UsageError (see asUsageError). */
export function checkedInput<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    asUsageError(e);
  }
}
