import type { Resolution } from "./resolve.js";

/** The resolution as a person reads it (the shape DESIGN.md shows). */
export function formatResolution(r: Resolution): string {
  const nr = r.nr === null ? "(no number)" : `#${r.nr}`;
  const what = r.category === "implemented"
    ? r.brokenLink ? "BROKEN LINK: built in, yet the slot is sys_ni_syscall (ENOSYS)" : "implemented"
    : r.category.replace("-", " ");
  const lines = [`${r.syscall}  ${r.arch} ${nr}  ->  ${r.handler}${r.handler === "sys_ni_syscall" ? " (ENOSYS)" : ""}   ${what}   [config ${r.config}]`];
  const row = (label: string, text: string | undefined) => { if (text) lines.push(`  ${label.padEnd(7)} ${text}`); };
  row("table", r.evidence.table);
  row("weak", r.evidence.weak);
  row("strong", r.evidence.strong);
  row("build", r.evidence.build);
  r.evidence.config?.forEach((c, i) => row(i === 0 ? "config" : "", c));
  r.evidence.linux?.forEach((c, i) => row(i === 0 ? "linux" : "", c));
  row("instead", r.evidence.instead);
  row("partial", r.partial);
  row("arch", r.archUnsupported && `arch-unsupported: ${r.archUnsupported}`);
  row("reason", r.reason);
  return lines.join("\n");
}
