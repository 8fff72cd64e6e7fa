import { job } from "../context.js";

/**
 * .needs_kconfigs expressions, in LTP's tst_kconfig syntax: `CONFIG_A` (set to y or m),
 * `CONFIG_A=value`, `!`, `&`, `|` and parentheses, e.g. "CONFIG_A | CONFIG_B=y".
 */
type Node =
  | { kind: "var"; name: string; value: string | null }
  | { kind: "not"; arg: Node }
  | { kind: "and" | "or"; left: Node; right: Node };

export class KconfigExprError extends Error {
  override name = "KconfigExprError";
}

function parse(text: string): Node {
  const tokens = text.match(/CONFIG_[A-Za-z0-9_]+(?:=(?:"[^"]*"|[^\s()|&!]+))?|[()|&!]|\S+/g) ?? [];
  let i = 0;
  const fail = (why: string): never => { throw new KconfigExprError(`bad needs_kconfigs expression "${text}": ${why}`); };
  const or = (): Node => {
    let left = and();
    while (tokens[i] === "|") { i++; left = { kind: "or", left, right: and() }; }
    return left;
  };
  const and = (): Node => {
    let left = unary();
    while (tokens[i] === "&") { i++; left = { kind: "and", left, right: unary() }; }
    return left;
  };
  const unary = (): Node => {
    const t = tokens[i++];
    if (t === undefined) return fail("unexpected end");
    if (t === "!") return { kind: "not", arg: unary() };
    if (t === "(") {
      const e = or();
      if (tokens[i++] !== ")") fail("missing )");
      return e;
    }
    const m = /^(CONFIG_[A-Za-z0-9_]+)(?:=(.*))?$/.exec(t);
    if (!m) return fail(`unexpected "${t}"`);
    return { kind: "var", name: m[1]!, value: m[2] === undefined ? null : m[2].replace(/^"(.*)"$/, "$1") };
  };
  const e = or();
  if (i !== tokens.length) fail(`unexpected "${tokens[i]}"`);
  return e;
}

function evaluate(n: Node, value: (name: string) => string): boolean {
  switch (n.kind) {
    case "var": {
      const v = value(n.name.slice("CONFIG_".length));
      return n.value === null ? v === "y" || v === "m" : v === n.value;
    }
    case "not": return !evaluate(n.arg, value);
    case "and": return evaluate(n.left, value) && evaluate(n.right, value);
    case "or": return evaluate(n.left, value) || evaluate(n.right, value);
  }
}

/** The constraints that do not hold, as written; throws KconfigExprError for a malformed one. */
export function unmetKconfigs(constraints: readonly string[], value: (name: string) => string): string[] {
  return constraints.filter((c) => !evaluate(parse(c), value));
}

/** Parses every constraint, so a testcase with a typo fails when it loads. */
export function checkKconfigSyntax(constraints: readonly string[]): void {
  for (const c of constraints) parse(c);
}

/**
 * tst_kconfig_get(): a kernel config option's value as the target's .config has it ("y", "m",
 * "n" for unset, or the number or string), by its CONFIG_ name.
 */
export function tst_kconfig_get(name: string): string {
  return job().target.kconfig(name.replace(/^CONFIG_/, ""));
}
