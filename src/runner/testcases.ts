import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { isTestCase, type TestCase } from "../ltp/tst_test.js";
import { packageRoot } from "./paths.js";

let index: Map<string, string> | undefined;

/** Compiled testcases by name: dist/testcases/**\/<name>.js. */
export function testcaseIndex(): Map<string, string> {
  if (index) return index;
  index = new Map();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".js")) index!.set(basename(e.name, ".js"), p);
    }
  };
  walk(join(packageRoot(), "dist", "testcases"));
  return index;
}

/** Loads a testcase module; throws with the reason when it is not a testcase. */
export async function loadTestcase(name: string): Promise<TestCase> {
  const path = testcaseIndex().get(name);
  if (!path) throw new Error(`no testcase named ${name}`);
  const mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  if (!isTestCase(mod.default)) throw new Error(`${name}: the module's default export is not defineTest(...)`);
  return mod.default;
}
