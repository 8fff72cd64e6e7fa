import { ConfigSpecError } from "../runner/configs.js";
import { RuntestError } from "../runner/runtest.js";
import { UnknownSyscallError } from "../resolver/resolve.js";
import { SkipFileError } from "../runner/skipfile.js";

/** Bad input from the command line: one line on stderr, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Turns the input errors of the layers below into UsageError; anything else is a bug. */
export function asUsageError(e: unknown): never {
  if (e instanceof ConfigSpecError || e instanceof RuntestError || e instanceof UnknownSyscallError || e instanceof SkipFileError) {
    throw new UsageError(e.message);
  }
  throw e;
}
