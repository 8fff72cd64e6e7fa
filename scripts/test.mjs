#!/usr/bin/env node
// npm test: builds, runs tap with the raw TAP reporter, echoes it, and ends with the plain
// "N passed, N failed, N skipped" line CI log readers understand. The exit code is tap's, or 1
// when the TAP stream itself reports failures or does not parse.
import { spawn, spawnSync } from "node:child_process";
import { Parser } from "tap-parser";

// The build npm run build does: the TypeScript, then the host target's native agent.
const build = spawnSync("npm", ["run", "-s", "build"], { stdio: "inherit" });
if (build.status !== 0) {
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const counts = { pass: 0, fail: 0, skip: 0 };
const parser = new Parser({ passes: true });
// Count the leaf assertions of every file: a subtest's own "ok N - name" line summarises
// assertions already counted below it, so asserts named after a child subtest are left out.
const failsIn = new Map();
parser.on("child", (file) => watch(file, file));
function watch(child, file) {
  const subtests = new Set();
  child.on("child", (grandchild) => {
    subtests.add(grandchild.name);
    watch(grandchild, file);
  });
  child.on("assert", (a) => {
    if (subtests.has(a.name)) return;
    if (a.skip || a.todo) counts.skip++;
    else if (a.ok) counts.pass++;
    else {
      counts.fail++;
      failsIn.set(file.name, (failsIn.get(file.name) ?? 0) + 1);
    }
  });
}
// A file that fails without a failing assertion of its own (it threw, timed out, exited
// non-zero) is one failure.
parser.on("assert", (a) => {
  if (!a.ok && !a.skip && !a.todo && !failsIn.get(a.name)) counts.fail++;
});

const tap = spawn("npx", ["tap", "--reporter=tap", ...process.argv.slice(2)], { stdio: ["ignore", "pipe", "inherit"] });
tap.stdout.on("data", (d) => { process.stdout.write(d); parser.write(d); });
tap.on("close", (code) => {
  parser.end();
  console.log(`\n${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped`);
  process.exit(code !== 0 || counts.fail > 0 || !parser.ok ? 1 : 0);
});
