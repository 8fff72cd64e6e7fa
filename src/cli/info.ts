import { loadConfig, shippedConfigs } from "../runner/configs.js";
import { readRuntests } from "../runner/runtest.js";
import { loadTestcase, defaultTestcasesDir } from "../runner/testcases.js";
import { KCONFIG_SYMBOLS } from "../linux/kconfig/symbols.js";
import { asUsageError } from "./errors.js";
import { knownTestcases } from "./plan.js";

/** `ltp-run list`: the testcases of runtest files with what each declares it needs. */
export async function listCommand(opts: { runtest: string; testcases?: string; json?: boolean }): Promise<number> {
  let entries;
  try {
    entries = readRuntests(opts.runtest);
  } catch (e) {
    asUsageError(e);
  }
  const dir = opts.testcases ?? defaultTestcasesDir();
  const known = knownTestcases(dir);
  const rows = [];
  for (const e of entries) {
    if (!known.has(e.command)) {
      rows.push({ tag: e.tag, command: [e.command, ...e.args].join(" "), error: "no such testcase" });
      continue;
    }
    let t;
    try {
      t = await loadTestcase(e.command, dir);
    } catch (err) {
      // As a run reports it (TBROK), a testcase that fails to load is a row of its own here.
      rows.push({ tag: e.tag, command: [e.command, ...e.args].join(" "), error: `cannot load the testcase: ${(err as Error).message.split("\n")[0]}` });
      continue;
    }
    rows.push({
      tag: e.tag, command: [e.command, ...e.args].join(" "),
      ...(t.tcnt ? { tcnt: t.tcnt } : {}),
      ...(t.forks_child ? { forks_child: true } : {}),
      ...(t.needs_tmpdir ? { needs_tmpdir: true } : {}),
      ...(t.needs_kconfigs ? { needs_kconfigs: t.needs_kconfigs } : {}),
      ...(t.needs_single_step ? { needs_single_step: true } : {}),
      ...(t.supported_archs ? { supported_archs: t.supported_archs } : {}),
      ...(t.timeout ? { timeout: t.timeout } : {}),
      ...(t.tags ? { tags: t.tags } : {}),
    });
  }
  if (opts.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
    return 0;
  }
  for (const r of rows) {
    const needs = Object.entries(r).filter(([k]) => k !== "tag" && k !== "command")
      .map(([k, v]) => (v === true ? k : `${k}=${Array.isArray(v) ? v.map((x) => (Array.isArray(x) ? x.join(":") : x)).join(",") : v}`));
    process.stdout.write(`${r.tag.padEnd(16)} ${r.command.padEnd(24)} ${needs.join("  ")}\n`);
  }
  return 0;
}

/** `ltp-run configs`: the shipped configurations and the modeled options that differ. */
export function configsCommand(opts: { json?: boolean }): number {
  const configs = shippedConfigs().map((name) => loadConfig(name));
  const differing = KCONFIG_SYMBOLS.map((s) => s.name)
    .filter((name) => new Set(configs.map((c) => c.value(name))).size > 1);
  if (opts.json) {
    process.stdout.write(JSON.stringify(configs.map((c) => ({
      name: c.name, arch: c.arch, fingerprint: c.fingerprint(),
      options: Object.fromEntries(differing.map((n) => [`CONFIG_${n}`, c.value(n)])),
    })), null, 2) + "\n");
    return 0;
  }
  const width = Math.max(...differing.map((n) => n.length)) + 8;
  const cols = configs.map((c) => Math.max(c.name.length, c.arch.length) + 2);
  const row = (head: string, cells: string[]) => head.padEnd(width) + cells.map((x, i) => x.padEnd(cols[i]!)).join("");
  process.stdout.write(row("", configs.map((c) => c.name)) + "\n");
  process.stdout.write(row("arch", configs.map((c) => c.arch)) + "\n");
  for (const n of differing) process.stdout.write(row(`CONFIG_${n}`, configs.map((c) => c.value(n))) + "\n");
  process.stdout.write(`\n${configs.length} configurations; ${differing.length} of the ${KCONFIG_SYMBOLS.length} modeled options differ between them\n`);
  return 0;
}
