import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Compiles and runs a C reference program from bench/ with gcc; null (with the reason) where
 * there is no gcc. The program prints one number: operations per second.
 */
export function runCReference(source: string, args: string[]): { rate: number } | { skipped: string } {
  const out = join(mkdtempSync(join(tmpdir(), "ltp-run-bench-")), "ref");
  const cc = spawnSync("gcc", ["-O2", "-o", out, source], { encoding: "utf8" });
  if (cc.error || cc.status !== 0) return { skipped: `no C reference: gcc ${cc.error ? "is not installed" : `failed: ${cc.stderr.split("\n")[0]}`}` };
  const run = spawnSync(out, args, { encoding: "utf8" });
  const rate = Number(run.stdout.trim());
  if (run.status !== 0 || !Number.isFinite(rate)) return { skipped: `the C reference failed: ${run.stderr.split("\n")[0]}` };
  return { rate };
}

export function fmtRate(r: number): string {
  return r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : r >= 1e3 ? `${(r / 1e3).toFixed(1)} k/s` : `${r.toFixed(0)} /s`;
}
