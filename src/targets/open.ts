/**
 * Boots the target a job runs on. Emulated kernels of one configuration share one link (a
 * worker links each configuration once and boots a kernel per job); the host targets link the
 * running kernel's configuration too, for its syscall table, its kconfig values and the
 * resolver's explanations of ENOSYS.
 */
import { link, type LinkedKernel } from "../linux/kbuild/link.js";
import type { KernelConfig } from "../linux/kconfig/config.js";
import { programPath } from "./check.js";
import { EmulatedTarget } from "./emulated.js";
import type { TargetSpec } from "./spec.js";
import type { Target } from "./target.js";

const linkCache = new WeakMap<KernelConfig, Map<string, LinkedKernel>>();

/** Links a configuration once (per set of omitted syscalls) and reuses it for every job on it. */
function linked(config: KernelConfig, omit: readonly string[] = []): LinkedKernel {
  let byOmit = linkCache.get(config);
  if (!byOmit) linkCache.set(config, (byOmit = new Map()));
  const key = omit.join(",");
  let l = byOmit.get(key);
  if (!l) byOmit.set(key, (l = link(config, { omit })));
  return l;
}

const wrapperPrograms = new Map<string, string>();

/** Where a wrapper's program is, looked up in the PATH once per worker (execve does no PATH search). */
function wrapperProgram(program: string): string {
  let path = wrapperPrograms.get(program);
  if (path === undefined) wrapperPrograms.set(program, (path = programPath(program) ?? program));
  return path;
}

/** A target booted for one job, and how to release what it holds once the job is over. */
export interface BootedTarget {
  readonly target: Target;
  /** Kills whatever the job left running and frees its resources (a no-op for an emulated kernel). */
  dispose(): Promise<void>;
}

export interface OpenTargetOptions {
  /** Syscalls the emulated kernel's link leaves out (a deliberately broken table); other targets ignore it. */
  readonly omit?: readonly string[];
}

export async function openTarget(spec: TargetSpec, config: KernelConfig, seed: number, opts: OpenTargetOptions = {}): Promise<BootedTarget> {
  if (spec.kind === "emulated") {
    return { target: new EmulatedTarget(linked(config, opts.omit), seed), dispose: async () => {} };
  }
  // Loaded only for the agent targets: an emulated run never reads the host target's code.
  const { HostTarget } = await import("./host/host_target.js");
  const wrapper = spec.kind === "wrapper" ? [wrapperProgram(spec.command[0]!), ...spec.command.slice(1)] : null;
  const target = new HostTarget(linked(config), wrapper ? { wrapper } : {});
  return { target, dispose: () => target.dispose() };
}
