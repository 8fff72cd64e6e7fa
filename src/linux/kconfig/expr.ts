/**
 * Kconfig expressions (Documentation/kbuild/kconfig-language.rst, "Menu dependencies"):
 * symbols, constants, `=`/`!=`/`<`/`>`/`<=`/`>=`, `!`, `&&`, `||` and parentheses, evaluated
 * in tristate logic where n = 0, m = 1, y = 2.
 */
export type Tristate = 0 | 1 | 2;

export type Expr =
  | { readonly kind: "sym"; readonly name: string }
  | { readonly kind: "const"; readonly value: string }
  | { readonly kind: "not"; readonly arg: Expr }
  | { readonly kind: "and" | "or"; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "cmp"; readonly op: string; readonly left: Expr; readonly right: Expr };

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const two = text.slice(i, i + 2);
    if (two === "||" || two === "&&" || two === "!=" || two === "<=" || two === ">=") {
      tokens.push(two);
      i += 2;
    } else if (two === "$(") {
      // A preprocessor macro such as $(success,...): kept whole, looked up like a symbol.
      let j = i + 2;
      for (let depth = 1; j < text.length && depth > 0; j++) depth += text[j] === "(" ? 1 : text[j] === ")" ? -1 : 0;
      tokens.push(text.slice(i, j));
      i = j;
    } else if ("=<>!()".includes(c)) {
      tokens.push(c);
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      tokens.push(text.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_.-]/.test(text[j]!)) j++;
      if (j === i) throw new Error(`bad Kconfig expression: ${text}`);
      tokens.push(text.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

export function parseExpr(text: string): Expr {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const or = (): Expr => {
    let left = and();
    while (peek() === "||") { next(); left = { kind: "or", left, right: and() }; }
    return left;
  };
  const and = (): Expr => {
    let left = not();
    while (peek() === "&&") { next(); left = { kind: "and", left, right: not() }; }
    return left;
  };
  const not = (): Expr => {
    if (peek() === "!") { next(); return { kind: "not", arg: not() }; }
    return cmp();
  };
  const cmp = (): Expr => {
    const left = primary();
    const op = peek();
    if (op === "=" || op === "!=" || op === "<" || op === ">" || op === "<=" || op === ">=") {
      next();
      return { kind: "cmp", op, left, right: primary() };
    }
    return left;
  };
  const primary = (): Expr => {
    const t = next();
    if (t === undefined) throw new Error(`bad Kconfig expression: ${text}`);
    if (t === "(") {
      const e = or();
      if (next() !== ")") throw new Error(`unbalanced parentheses in Kconfig expression: ${text}`);
      return e;
    }
    if (t.startsWith('"')) return { kind: "const", value: t.slice(1, -1) };
    if (t.startsWith("$(")) return { kind: "sym", name: t };
    if (/^[A-Za-z0-9_]+$/.test(t) && !/^(?:[ynm]|-?\d+|0x[0-9a-fA-F]+)$/.test(t)) return { kind: "sym", name: t };
    return { kind: "const", value: t };
  };
  const e = or();
  if (i !== tokens.length) throw new Error(`trailing tokens in Kconfig expression: ${text}`);
  return e;
}

/** What an expression needs from its environment: a symbol's value as .config writes it. */
export type SymbolValue = (name: string) => string;

export function tristateOf(value: string): Tristate {
  return value === "y" ? 2 : value === "m" ? 1 : 0;
}

function stringOf(e: Expr, value: SymbolValue): string {
  if (e.kind === "sym") return value(e.name);
  if (e.kind === "const") return e.value.replace(/\$\(([A-Za-z_]+)\)/g, (m) => value(m));
  return ["n", "m", "y"][evalExpr(e, value)]!;
}

export function evalExpr(e: Expr, value: SymbolValue): Tristate {
  switch (e.kind) {
    case "sym": return tristateOf(value(e.name));
    case "const": return tristateOf(e.value);
    case "not": return (2 - evalExpr(e.arg, value)) as Tristate;
    case "and": return Math.min(evalExpr(e.left, value), evalExpr(e.right, value)) as Tristate;
    case "or": return Math.max(evalExpr(e.left, value), evalExpr(e.right, value)) as Tristate;
    case "cmp": {
      const a = stringOf(e.left, value), b = stringOf(e.right, value);
      const na = Number(a), nb = Number(b);
      const numeric = a !== "" && b !== "" && !Number.isNaN(na) && !Number.isNaN(nb);
      const c = numeric ? Math.sign(na - nb) : a === b ? 0 : a < b ? -1 : 1;
      const ok = e.op === "=" ? c === 0 : e.op === "!=" ? c !== 0 : e.op === "<" ? c < 0
        : e.op === ">" ? c > 0 : e.op === "<=" ? c <= 0 : c >= 0;
      return ok ? 2 : 0;
    }
  }
}

/** The symbols an expression reads, in order of appearance, without repeats. */
export function exprSymbols(e: Expr, out: string[] = []): string[] {
  if (e.kind === "sym") { if (!out.includes(e.name)) out.push(e.name); }
  else if (e.kind === "not") exprSymbols(e.arg, out);
  else if (e.kind !== "const") { exprSymbols(e.left, out); exprSymbols(e.right, out); }
  return out;
}
