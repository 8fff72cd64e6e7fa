import { loadConfig } from "../runner/configs.js";
import { link } from "../linux/kbuild/link.js";
import { ENOSYS_CATEGORIES, resolveAll, resolveSyscall, type Resolution } from "../resolver/resolve.js";
import { formatResolution } from "../resolver/format.js";
import { asUsageError, UsageError } from "./errors.js";

export interface ResolveOptions {
  readonly config: string;
  readonly all?: boolean;
  readonly json?: boolean;
}

/** `ltp-run resolve <syscall...> --config C`, or `--all` for every slot of the table. */
export function resolveCommand(syscalls: readonly string[], opts: ResolveOptions): number {
  if (!opts.all && syscalls.length === 0) throw new UsageError("resolve needs a syscall name or number, or --all");
  let resolutions: Resolution[];
  try {
    const linked = link(loadConfig(opts.config));
    resolutions = opts.all
      ? resolveAll(linked)
      : syscalls.map((s) => resolveSyscall(linked, /^\d+$/.test(s) ? Number(s) : s));
  } catch (e) {
    asUsageError(e);
  }
  const counts: Record<string, number> = {};
  for (const r of resolutions) counts[r.category] = (counts[r.category] ?? 0) + 1;
  if (opts.json) {
    process.stdout.write(JSON.stringify(opts.all ? { config: opts.config, totals: counts, syscalls: resolutions } : resolutions, null, 2) + "\n");
    return 0;
  }
  if (opts.all) {
    for (const r of resolutions) {
      process.stdout.write(`${String(r.nr).padStart(4)}  ${r.syscall.padEnd(24)} ${r.category.padEnd(16)} ${r.handler}\n`);
    }
    const order = ["implemented", ...ENOSYS_CATEGORIES];
    process.stdout.write(`\n${resolutions.length} slots: ${order.filter((c) => counts[c]).map((c) => `${counts[c]} ${c}`).join(", ")}\n`);
    return 0;
  }
  process.stdout.write(resolutions.map(formatResolution).join("\n\n") + "\n");
  return 0;
}
