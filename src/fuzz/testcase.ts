import type { Word } from "../linux/include/uapi/word.js";
import type { LinkedKernel } from "../linux/kbuild/link.js";
import type { Finding } from "./execute.js";
import type { Program } from "./program.js";

/** A word as TypeScript source: hex for addresses and masks, a bigint literal past 2^53. */
function wordSource(w: Word): string {
  if (typeof w === "bigint") return `${w < 0n ? "-" : ""}0x${(w < 0n ? -w : w).toString(16)}n`;
  return Math.abs(w) >= 0x10000 ? `${w < 0 ? "-" : ""}0x${Math.abs(w).toString(16)}` : String(w);
}

function programSource(linked: LinkedKernel, program: Program, indent: string): string[] {
  const name = new Map(linked.table.entries.map((e) => [e.nr, e.name]));
  const lines: string[] = [];
  for (const c of program) {
    let args = c.args.map(wordSource);
    while (args.length && args[args.length - 1] === "0") args = args.slice(0, -1);
    const head = `${indent}{ nr: ${c.nr} /* ${name.get(c.nr) ?? "no such call"} */, args: [${args.join(", ")}]`;
    if (!c.child) lines.push(`${head} },`);
    else lines.push(`${head}, child: [`, ...programSource(linked, c.child, indent + "  "), `${indent}] },`);
  }
  return lines;
}

/**
 * The finding as a tap test for test/kernel.test.ts: the minimized program run through the
 * fuzzer's own runProgram() on the same configuration and seed, expected to find nothing.
 */
export function testcaseSource(linked: LinkedKernel, finding: Finding, program: Program, seed: number, mem: number): string {
  return [
    `// fuzz: ${finding.kind}: ${finding.detail.split("\n")[0]}`,
    `t.test("fuzz: ${finding.kind} ${finding.detail.split("\n")[0]!.replace(/["\\]/g, "'").slice(0, 80)}", async (t) => {`,
    `  const r = await runProgram(linked("${linked.config.name}"), [`,
    ...programSource(linked, program, "    "),
    `  ], { seed: ${seed}, mem: ${mem}, hostMemoryLimit: 2 ** 31 });`,
    `  t.same(r.findings, [], "no finding");`,
    `});`,
  ].join("\n");
}
