#!/usr/bin/env node
// npm test: builds, runs tap with the raw TAP reporter, echoes it, and ends with the plain
// "N passed, N failed, N skipped" line CI log readers understand. The exit code is tap's, or 1
// when the TAP stream itself reports failures or does not parse.
import { spawn, spawnSync } from "node:child_process";
import { Parser } from "tap-parser";

const build = spawnSync("npx", ["tsc", "-p", "tsconfig.json"], { stdio: "inherit" });
if (build.status !== 0) {
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const counts = { pass: 0, fail: 0, skip: 0 };
const parser = new Parser({ passes: true });
// Count every assertion of every nested subtest, not the per-file summaries.
parser.on("child", function watch(child) {
  child.on("assert", (a) => {
    if (a.skip || a.todo) counts.skip++;
    else if (a.ok) counts.pass++;
    else counts.fail++;
  });
  child.on("child", watch);
});

const tap = spawn("npx", ["tap", "--reporter=tap", ...process.argv.slice(2)], { stdio: ["ignore", "pipe", "inherit"] });
tap.stdout.on("data", (d) => { process.stdout.write(d); parser.write(d); });
tap.on("close", (code) => {
  parser.end();
  // A file that fails to load shows up as a failed top-level assert with no nested ones.
  const topFailures = parser.failures.filter((f) => !f.name?.startsWith?.("#")).length;
  if (counts.fail === 0 && topFailures > 0) counts.fail = topFailures;
  console.log(`\n${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped`);
  process.exit(code !== 0 || counts.fail > 0 || !parser.ok ? 1 : 0);
});
