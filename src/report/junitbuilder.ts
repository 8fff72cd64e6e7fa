import { createRequire } from "node:module";
import type { Builder, TestCase } from "junit-report-builder";

/**
 * Loaded on demand: it costs a noticeable time to load, and it is CommonJS whose default
 * export NodeNext types wrongly, so it is required rather than imported.
 */
export function newBuilder(): Builder {
  const require = createRequire(import.meta.url);
  const m = require("junit-report-builder") as Builder & { default?: Builder };
  return (m.default ?? m).newBuilder();
}

/**
 * junit-report-builder writes <skipped/> without a message; CI systems show the message, so
 * the reason is added to the element the builder makes.
 */
export function skippedWithMessage(tc: TestCase, message: string): void {
  tc.skipped();
  const build = tc.build.bind(tc);
  tc.build = (parent) => {
    const el = build(parent);
    for (const child of el.children as { name?: string; att?: (k: string, v: string) => void }[]) {
      if (child.name === "skipped") child.att?.("message", message);
    }
    return el;
  };
}
