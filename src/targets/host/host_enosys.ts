import { conditionHolds, entryName, type LinkedKernel } from "../../linux/kbuild/link.js";
import { LINUX_SYSCALL_DEFINITIONS } from "../../linux/kbuild/linux_syscalls.js";
import type { EnosysExplanation } from "../target.js";
import { resolveSyscall } from "../../resolver/resolve.js";

/**
 * Why the real kernel answered ENOSYS, from Linux's own build rules for its .config: the
 * resolver's verdict, except that what the emulated kernel lacks (not-implemented) is no
 * reason here. Where Linux builds the call for this config, ENOSYS from the real kernel is a
 * failure (builtIn); where it does not, the call is not configured.
 */
export function explainHostEnosys(linked: LinkedKernel, name: string): EnosysExplanation {
  const r = resolveSyscall(linked, name);
  if (r.category !== "not-implemented") return { category: r.category, reason: r.reason, builtIn: r.category === "implemented" };
  const entry = linked.table.entries.find((e) => e.name === name);
  const def = entry ? entryName(entry) : null;
  const defs = LINUX_SYSCALL_DEFINITIONS.filter((d) => d.name === def && (d.arch === null || d.arch === linked.arch.dir));
  const conditions = (d: (typeof defs)[number]) => [d.condition, ...d.dirConditions].filter((c): c is string => c !== null);
  const built = defs.find((d) => conditions(d).every((c) => conditionHolds(c, linked.config)));
  if (built) {
    return { category: "implemented", reason: `${name}() is built in: Linux builds ${built.file} for this config`, builtIn: true };
  }
  const unmet = defs.flatMap(conditions).find((c) => !conditionHolds(c, linked.config));
  const because = unmet ? `, which needs ${unmet.startsWith("!") ? `CONFIG_${unmet.slice(1)} off` : `CONFIG_${unmet}`}` : "";
  return {
    category: "not-configured",
    reason: `${name}() not configured: Linux does not build ${defs[0]?.file ?? "its definition"} for this config${because}`,
    builtIn: false,
  };
}
