/**
 * Whether a target can run here at all, checked before any job starts: the agent targets need
 * the native agent npm install builds, and a wrapper's program must be on the PATH.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { findAgent } from "./host/agent_binary.js";
import { TargetSpecError, type TargetSpec } from "./spec.js";

/** Where the shell would find `program` (a path is taken as it is), or null: execve does no PATH search. */
export function programPath(program: string): string | null {
  const candidates = program.includes("/") ? [program] : (process.env["PATH"] ?? "").split(delimiter).filter(Boolean).map((d) => join(d, program));
  return candidates.find((p) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }) ?? null;
}

/** Throws TargetSpecError, one line saying what is missing, when the target cannot run on this machine. */
export function checkTarget(spec: TargetSpec): void {
  if (spec.kind === "emulated") return;
  try {
    findAgent();
  } catch (e) {
    throw new TargetSpecError(e instanceof Error ? e.message : String(e));
  }
  if (spec.kind === "wrapper" && programPath(spec.command[0]!) === null) {
    throw new TargetSpecError(`--target: ${spec.command[0]} is not an executable on the PATH (Debian's qemu-user package has qemu-x86_64)`);
  }
}
