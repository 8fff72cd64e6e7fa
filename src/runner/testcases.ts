import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { isTestCase, type TestCase } from "../ltp/lib/tst_test.js";
import { packageRoot } from "./paths.js";

const indexes = new Map<string, Map<string, string>>();

/** The package's compiled testcases. */
export function defaultTestcasesDir(): string {
  return join(packageRoot(), "dist", "testcases");
}

/** Compiled testcases by name: <dir>/**\/<name>.js (default: dist/testcases). */
export function testcaseIndex(dir = defaultTestcasesDir()): Map<string, string> {
  let index = indexes.get(dir);
  if (index) return index;
  const found = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".js")) found.set(basename(e.name, ".js"), p);
    }
  };
  walk(dir);
  indexes.set(dir, found);
  return found;
}

/** Loads a testcase module; throws with the reason when it is not a testcase. */
export async function loadTestcase(name: string, dir?: string): Promise<TestCase> {
  const path = testcaseIndex(dir).get(name);
  if (!path) throw new Error(`no testcase named ${name}`);
  const mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  if (!isTestCase(mod.default)) throw new Error(`${name}: the module's default export is not defineTest(...)`);
  return mod.default;
}
