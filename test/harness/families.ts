/**
 * Running runtest files through the ltp-run CLI under several seeds: every job must pass or be
 * skipped with a reason, and the same seed must give the same results and messages twice.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const MAIN = resolve("dist/src/cli/main.js");

function runOnce(files: string, configs: string, seed: number) {
  const cwd = mkdtempSync(join(tmpdir(), "ltp-run-families-"));
  const r = spawnSync(process.execPath, [MAIN, "-f", files, "--config", configs, "--seed", String(seed), "--json", "r.json"],
    { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const json = JSON.parse(readFileSync(join(cwd, "r.json"), "utf8"));
  const lines: string[] = json.results.map((x: any) => `${x.test_fqn} ${x.config} ${x.test.result} ${x.test.log}`);
  return { code: r.status, lines, out: r.stdout };
}

export function familiesUnderSeeds(t: any, files: string, configs: string, seeds: readonly number[]): void {
  for (const seed of seeds) {
    const a = runOnce(files, configs, seed);
    t.equal(a.code, 0, `${files}, seed ${seed}: every job passed or was skipped with a reason\n${a.out.split("\n").filter((l: string) => / T(FAIL|BROK) /.test(l)).join("\n")}`);
    if (seed === seeds[0]) t.same(runOnce(files, configs, seed).lines, a.lines, `${files}, seed ${seed} twice: the same results and messages`);
  }
}
