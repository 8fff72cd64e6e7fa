/**
 * Which system runs a job's testcase: the emulated kernel of this repository, this machine's
 * real kernel through the native agent, or the agent under another emulator's command line
 * (a user-mode emulator such as qemu-user, with `{agent}` where the agent's path goes).
 * Plain data, so that it crosses to a worker thread as it is.
 */
import { release } from "node:os";
import type { RunTarget } from "../report/meta.js";

export type TargetSpec =
  | { readonly kind: "emulated" }
  | { readonly kind: "host" }
  | { readonly kind: "wrapper"; readonly command: readonly string[] };

export const EMULATED_TARGET: TargetSpec = { kind: "emulated" };
export const HOST_TARGET: TargetSpec = { kind: "host" };

/** Where a wrapper's command line puts the agent's path. */
export const AGENT_PLACEHOLDER = "{agent}";

/** A --target value that names nothing usable: the CLI prints it as one line and exits 2. */
export class TargetSpecError extends Error {
  override name = "TargetSpecError";
}

/** `emulated`, `host`, or a command line with `{agent}` in it: `qemu-x86_64 {agent}`. */
export function parseTarget(text: string): TargetSpec {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 1 && words[0] === "emulated") return EMULATED_TARGET;
  if (words.length === 1 && words[0] === "host") return HOST_TARGET;
  const marks = words.filter((w) => w === AGENT_PLACEHOLDER).length;
  if (words.length > 1 && marks === 1 && words[0] !== AGENT_PLACEHOLDER) return { kind: "wrapper", command: words };
  throw new TargetSpecError(
    `unknown target: ${JSON.stringify(text)} (emulated, host, or a command line with ${AGENT_PLACEHOLDER} once where the agent goes: 'qemu-x86_64 ${AGENT_PLACEHOLDER}')`,
  );
}

/** The name reports give a target: emulated, host, or the wrapper's program (qemu-x86_64). */
export function targetName(spec: TargetSpec): string {
  return spec.kind === "wrapper" ? spec.command[0]!.split("/").pop()! : spec.kind;
}

/** The target as the command line gave it (what --target takes again). */
export function targetText(spec: TargetSpec): string {
  return spec.kind === "wrapper" ? spec.command.join(" ") : spec.kind;
}

/** The agent targets run on this machine's kernel, whose configuration is the running kernel's. */
export function runsOnHostKernel(spec: TargetSpec): boolean {
  return spec.kind !== "emulated";
}

/**
 * What the reports say ran the jobs. The agent targets' kernel is this machine's (uname -r);
 * under a wrapper, the emulator's answers stand in for it.
 */
export function runTarget(spec: TargetSpec): RunTarget {
  const kernel = spec.kind === "emulated" ? "Linux 6.12 (emulated)"
    : spec.kind === "host" ? `Linux ${release()} (this machine's kernel)`
    : `Linux ${release()} through ${targetText(spec)}`;
  return { kind: spec.kind, text: targetText(spec), kernel };
}

/** What a report written before targets existed ran on. */
export const EMULATED_RUN_TARGET: RunTarget = runTarget(EMULATED_TARGET);
