import type { KernelConfig, SymbolExplanation } from "../linux/kconfig/config.js";

/** "CONFIG_KCMP=y" or "CONFIG_KCMP is not set", as a .config line says it. */
export function configLine(config: KernelConfig, name: string): string {
  const v = config.value(name);
  return v === "n" || v === "" ? `CONFIG_${name} is not set` : `CONFIG_${name}=${v}`;
}

function word(v: string): string {
  return v === "n" || v === "" ? "not set" : `=${v}`;
}


/** "DRM (=y)" / "CHECKPOINT_RESTORE (not set)" */
function withValue(config: KernelConfig, name: string): string {
  const v = config.value(name);
  return v === "n" || v === "" ? `${name} (not set)` : `${name}=${v}`;
}

/**
 * Why a symbol has its value, as a person reading Kconfig would put it: the .config line,
 * who selects it, what it depends on, and the same one level down for the symbols that
 * could turn it on. The first line is the summary.
 */
export function explainSymbol(config: KernelConfig, name: string): string[] {
  const e = config.explain(name);
  const lines = [summary(config, e)];
  const off = e.value === "n";
  if (off) {
    for (const s of e.selectedBy) {
      const sel = config.explain(s.by);
      if (sel.dependsOn && sel.dependsOn.value === 0) {
        lines.push(`${s.by} depends on ${sel.dependsOn.expr}: ${sel.dependsOn.symbols.map((x) => withValue(config, x)).join(", ")}`);
      }
    }
  }
  if (e.dependsOn && e.dependsOn.value === 0) {
    lines.push(`${name} depends on ${e.dependsOn.expr}: ${e.dependsOn.symbols.map((x) => withValue(config, x)).join(", ")}`);
  }
  if (!e.modeled) lines.push(`(${name} is not modeled: its value is what the .config says)`);
  return lines;
}

function summary(config: KernelConfig, e: SymbolExplanation): string {
  const head = configLine(config, e.name);
  if (!e.modeled) return head;
  const active = e.selectedBy.filter((s) => s.active);
  if (e.value !== "n") {
    if (active.length) return `${head}, selected by ${active.map((s) => withValue(config, s.by)).join(" and ")}`;
    return `${head}${e.requested !== undefined ? " (set in the config)" : " (its default)"}`;
  }
  const parts: string[] = [];
  if (e.selectedBy.length) {
    parts.push(`it is selected by ${e.selectedBy.map((s) => `${s.by} (${word(s.value)})`).join(" or ")}`);
  }
  if (e.prompt === undefined) parts.push("it has no prompt of its own");
  else if (e.promptIf && e.promptIf.value === 0) parts.push(`its prompt "${e.prompt}" shows only if ${e.promptIf.expr}`);
  else if (e.dependsOn?.value !== 0) parts.push(`or it can be set directly ("${e.prompt}")`);
  return parts.length ? `${head}; ${parts.join("; ")}` : head;
}

/** The short form for one-line reasons: "selected by CHECKPOINT_RESTORE or DRM, neither set". */
export function selectSummary(e: SymbolExplanation): string {
  if (e.selectedBy.length === 0) return "";
  const names = e.selectedBy.map((s) => s.by);
  const active = e.selectedBy.filter((s) => s.active).map((s) => `${s.by}=${s.value}`);
  if (active.length) return `selected by ${active.join(" and ")}`;
  return `selected by ${names.join(" or ")}, ${names.length === 1 ? "not set" : names.length === 2 ? "neither set" : "none set"}`;
}
