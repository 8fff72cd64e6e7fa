import { existsSync, readdirSync } from "node:fs";
import { release } from "node:os";
import { basename, join } from "node:path";
import { DotConfigError, parseDotConfig, readDotConfig, type DotConfigValues } from "../linux/kconfig/dotconfig.js";
import { KernelConfig } from "../linux/kconfig/config.js";
import { archOf } from "../linux/kconfig/config.js";
import { ARCHES } from "../linux/arch/arch.js";
import { isFile, packageRoot } from "./paths.js";

/** A --config value that names nothing usable: the CLI prints it as one line and exits 2. */
export class ConfigSpecError extends Error {
  override name = "ConfigSpecError";
}

export const HOST_CONFIG = "/proc/config.gz";

/** Where the running kernel's .config is: /proc/config.gz (CONFIG_IKCONFIG_PROC), else what distributions install in /boot. */
export function hostConfigPath(): string | null {
  return [HOST_CONFIG, `/boot/config-${release()}`].find((p) => existsSync(p)) ?? null;
}

/** The shipped configurations: configs/<name>.config. */
export function shippedConfigs(): string[] {
  const dir = join(packageRoot(), "configs");
  return readdirSync(dir).filter((f) => f.endsWith(".config")).map((f) => f.slice(0, -".config".length)).sort(configOrder);
}

/** minimal, defconfig, full first (smallest to largest), then the rest by name. */
function configOrder(a: string, b: string): number {
  const rank = (n: string) => { const i = ["minimal", "defconfig", "full"].indexOf(n); return i < 0 ? 99 : i; };
  return rank(a) - rank(b) || a.localeCompare(b);
}

function loadBase(base: string): { name: string; values: DotConfigValues } {
  if (base === "host") {
    const path = hostConfigPath();
    if (!path) throw new ConfigSpecError(`host: neither ${HOST_CONFIG} (CONFIG_IKCONFIG_PROC) nor /boot/config-${release()} exists: the running kernel's configuration is unknown`);
    return { name: "host", values: readDotConfig(path) };
  }
  const shipped = join(packageRoot(), "configs", `${base}.config`);
  if (/^[A-Za-z0-9_-]+$/.test(base) && existsSync(shipped)) return { name: base, values: readDotConfig(shipped) };
  if (existsSync(base) && !isFile(base)) throw new ConfigSpecError(`config ${base} is not a file (a directory?): give a .config or .config.gz`);
  if (existsSync(base)) return { name: basename(base).replace(/\.config(\.gz)?$|\.gz$/, "") || base, values: readDotConfig(base) };
  throw new ConfigSpecError(`unknown config: ${base} (not a shipped config: ${shippedConfigs().join(", ")}; not host; no such file)`);
}

/**
 * One configuration from a spec: a shipped name, a path to a .config or .config.gz, or
 * `host`, followed by overrides joined with `+`:
 *   minimal+CONFIG_PROC_FS=y+CONFIG_CHECKPOINT_RESTORE=y
 * Overrides are evaluated like kconfig would (an unmet `depends on` keeps a symbol off, with
 * a warning in config.warnings).
 */
export function loadConfig(spec: string): KernelConfig {
  const [base, ...overrides] = spec.split("+");
  if (!base) throw new ConfigSpecError(`empty config name in ${JSON.stringify(spec)}`);
  let loaded;
  try {
    loaded = loadBase(base);
  } catch (e) {
    if (e instanceof DotConfigError) throw new ConfigSpecError(`malformed config: ${e.message}`);
    // The file system's refusal (EACCES) or a .gz that does not inflate (Z_DATA_ERROR).
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new ConfigSpecError(`cannot read config ${base}: ${code}`);
    throw e;
  }
  const pairs: [string, string][] = [];
  for (const o of overrides) {
    let values: DotConfigValues;
    try {
      values = parseDotConfig(o.startsWith("CONFIG_") ? o : `CONFIG_${o}`, `override ${o}`);
    } catch {
      throw new ConfigSpecError(`bad override in ${spec}: ${JSON.stringify(o)} (expected CONFIG_NAME=y|m|n|value)`);
    }
    for (const [k, v] of values) pairs.push([k, v]);
  }
  const name = overrides.length ? `${loaded.name}+${overrides.join("+")}` : loaded.name;
  const arch = archOf(loaded.values);
  if (!ARCHES.some((a) => a.name === arch)) {
    throw new ConfigSpecError(`config ${name}: architecture ${arch} is not emulated (known: ${ARCHES.map((a) => a.name).join(", ")})`);
  }
  return new KernelConfig(name, loaded.values, pairs);
}

/** A configuration with the spec that loads it again (in a worker thread, say). */
export interface LoadedConfig {
  readonly spec: string;
  readonly config: KernelConfig;
}

/** A --config list: comma-separated specs; `all` expands to every shipped config. */
export function loadConfigs(list: string): LoadedConfig[] {
  const specs = list.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (specs.length === 0) throw new ConfigSpecError("--config needs at least one configuration");
  const expanded = specs.flatMap((s) => (s === "all" ? shippedConfigs() : [s]));
  const loaded = [...new Set(expanded)].map((spec) => ({ spec, config: loadConfig(spec) }));
  const names = new Set<string>();
  for (const { config } of loaded) {
    if (names.has(config.name)) throw new ConfigSpecError(`two configurations are both named ${config.name}`);
    names.add(config.name);
  }
  return loaded;
}
