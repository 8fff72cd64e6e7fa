import { evalExpr, exprSymbols, parseExpr, tristateOf, type Expr, type Tristate } from "./expr.js";
import type { DotConfigValues } from "./dotconfig.js";
import type { KconfigSymbol } from "./symbol.js";
import { KCONFIG_SYMBOLS } from "./symbols.js";

/** A modeled symbol with its expressions parsed once. */
interface CompiledSymbol {
  readonly sym: KconfigSymbol;
  readonly dependsOn: Expr | null;
  readonly promptIf: Expr | null;
  readonly defaults: readonly { readonly value: Expr; readonly if: Expr | null }[];
  /** Reverse dependencies: the symbols whose `select` names this one. */
  readonly selectedBy: { readonly by: string; readonly if: Expr | null }[];
  /** The arch directory the symbol lives in (x86 for arch/x86/Kconfig), or null. */
  readonly arch: string | null;
}

const ARCH_DIR: Record<string, string> = { x86_64: "x86", riscv64: "riscv" };

function compile(symbols: readonly KconfigSymbol[]): Map<string, CompiledSymbol> {
  const db = new Map<string, CompiledSymbol>();
  for (const sym of symbols) {
    db.set(sym.name, {
      sym,
      dependsOn: sym.dependsOn ? parseExpr(sym.dependsOn) : null,
      promptIf: sym.prompt?.if ? parseExpr(sym.prompt.if) : null,
      defaults: (sym.defaults ?? []).map((d) => ({ value: parseExpr(d.value), if: d.if ? parseExpr(d.if) : null })),
      selectedBy: [],
      arch: /^arch\/([^/]+)\//.exec(sym.file)?.[1] ?? null,
    });
  }
  for (const sym of symbols) {
    for (const s of sym.selects ?? []) {
      db.get(s.symbol)?.selectedBy.push({ by: sym.name, if: s.if ? parseExpr(s.if) : null });
    }
  }
  return db;
}

let database: Map<string, CompiledSymbol> | undefined;
function symbolDatabase(): Map<string, CompiledSymbol> {
  return (database ??= compile(KCONFIG_SYMBOLS));
}

/** Why a symbol has the value it has, for the resolver and TCONF messages. */
export interface SymbolExplanation {
  readonly name: string;
  /** "y", "m", "n", or the string/number value. */
  readonly value: string;
  readonly modeled: boolean;
  readonly file?: string;
  readonly prompt?: string;
  /** The prompt's `if` condition, with its value: the prompt shows only while it holds. */
  readonly promptIf?: { readonly expr: string; readonly value: Tristate };
  /** The direct dependency as written, with its value. */
  readonly dependsOn?: { readonly expr: string; readonly value: Tristate; readonly symbols: readonly string[] };
  /** Symbols that select this one, with their values. */
  readonly selectedBy: readonly { readonly by: string; readonly value: string; readonly active: boolean }[];
  /** The value the .config (or an override) asked for, if any. */
  readonly requested?: string;
}

/**
 * An evaluated kernel configuration. Symbols the emulator models are computed the way
 * scripts/kconfig computes them (sym_calc_value): a requested value applies only while the
 * prompt is visible (its `if` and the `depends on` hold); otherwise the first default whose
 * condition holds, limited by the dependencies; then `select` raises the value to what the
 * selecting symbols have, even past unmet dependencies (which kconfig warns about). Symbols
 * it does not model keep the value the .config gives them (n when absent).
 */
export class KernelConfig {
  readonly arch: string;
  readonly warnings: string[] = [];
  private readonly cache = new Map<string, string>();
  private readonly computing = new Set<string>();

  /**
   * Values that symbols the emulator does not model force on modeled ones: a .config written
   * by kconfig may have X=y because an unmodeled symbol selects X (QUOTA selects QUOTACTL).
   * Where the file's value is above what the modeled relations give, it is kept as a floor.
   */
  private readonly floors = new Map<string, Tristate>();
  /** Values as the .config file and its overrides state them. */
  requested: DotConfigValues;

  constructor(
    readonly name: string,
    /** Values as the .config file states them. */
    fileValues: DotConfigValues,
    /** Overrides applied on top of the file, in order: [symbol without CONFIG_, value]. */
    readonly overrides: readonly (readonly [string, string])[] = [],
  ) {
    this.arch = archOf(fileValues);
    this.requested = fileValues;
    this.evaluate();
    for (const [sym] of symbolDatabase()) {
      const file = fileValues.get(sym);
      if (file !== undefined && this.isModeled(sym) && tristateOf(file) > this.tristate(sym)) {
        this.floors.set(sym, tristateOf(file));
      }
    }
    this.requested = new Map(fileValues);
    for (const [sym, value] of overrides) this.requested.set(sym, value);
    this.evaluate();
    for (const [name, want] of overrides) {
      const got = this.value(name);
      if (want === got || !this.isModeled(name)) continue;
      const e = this.explain(name);
      const because = e.dependsOn && e.dependsOn.value < tristateOf(want)
        ? `it depends on ${e.dependsOn.expr}, which is ${tristateWord(e.dependsOn.value)} (${e.dependsOn.symbols.map((s) => `${s}=${this.value(s)}`).join(", ")})`
        : e.prompt === undefined ? "it has no prompt: only a select or a default can set it"
        : tristateOf(want) < tristateOf(got) ? `it is selected by ${e.selectedBy.filter((r) => r.active).map((r) => r.by).join(", ") || "a symbol the emulator does not model"}`
        : `its prompt is hidden (if ${this.symbol(name)!.sym.prompt!.if})`;
      this.warnings.push(`CONFIG_${name}=${want} was requested but stays ${got}: ${because}`);
    }
  }

  private evaluate(): void {
    this.cache.clear();
    this.warnings.length = 0;
    for (const sym of symbolDatabase().keys()) this.value(sym);
  }

  private symbol(name: string): CompiledSymbol | undefined {
    const s = symbolDatabase().get(name);
    if (!s || (s.arch !== null && s.arch !== ARCH_DIR[this.arch])) return undefined;
    return s;
  }

  isModeled(name: string): boolean {
    return this.symbol(name) !== undefined;
  }

  /** The value as .config would write it: "y", "m", "n", a number or a string. */
  value(name: string): string {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    if (name.startsWith("$(")) return this.macro(name);
    const s = this.symbol(name);
    if (!s) return this.requested.get(name) ?? "n";
    if (this.computing.has(name)) return this.requested.get(name) ?? "n"; // a dependency loop: kconfig rejects these
    this.computing.add(name);
    const v = this.calc(s);
    this.computing.delete(name);
    this.cache.set(name, v);
    return v;
  }

  /**
   * Kconfig preprocessor macros: $(ARCH) is the arch directory name; $(success,...) probes the
   * build toolchain, which is taken to be the GNU one a distribution kernel is built with.
   */
  private macro(text: string): string {
    if (text === "$(ARCH)") return ARCH_DIR[this.arch] ?? this.arch;
    if (text.startsWith("$(success,")) return "y";
    return "";
  }

  tristate(name: string): Tristate {
    return tristateOf(this.value(name));
  }

  /** y or m. */
  enabled(name: string): boolean {
    return this.tristate(name) > 0;
  }

  private readonly lookup = (n: string) => this.value(n);

  private calc(s: CompiledSymbol): string {
    const { sym } = s;
    const dep: Tristate = s.dependsOn ? evalExpr(s.dependsOn, this.lookup) : 2;
    const visible: Tristate = sym.prompt ? (Math.min(dep, s.promptIf ? evalExpr(s.promptIf, this.lookup) : 2) as Tristate) : 0;
    const requested = this.requested.get(sym.name);
    if (sym.type !== "bool" && sym.type !== "tristate") {
      if (visible > 0 && requested !== undefined) return requested;
      const d = s.defaults.find((x) => !x.if || evalExpr(x.if, this.lookup) > 0);
      if (!d || dep === 0) return requested ?? "";
      return d.value.kind === "const" ? d.value.value : d.value.kind === "sym" ? this.value(d.value.name) : "";
    }
    let v: Tristate;
    if (visible > 0 && requested !== undefined) {
      v = Math.min(tristateOf(requested), visible) as Tristate;
    } else {
      const d = s.defaults.find((x) => !x.if || evalExpr(x.if, this.lookup) > 0);
      v = d ? (Math.min(evalExpr(d.value, this.lookup), dep) as Tristate) : 0;
    }
    let rev: Tristate = 0;
    for (const r of s.selectedBy) {
      const by = this.tristate(r.by);
      rev = Math.max(rev, r.if ? Math.min(by, evalExpr(r.if, this.lookup)) : by) as Tristate;
    }
    if (rev > dep && s.dependsOn) {
      this.warnings.push(`WARNING: unmet direct dependencies detected for ${sym.name}: depends on ${sym.dependsOn} (${tristateWord(dep)}), selected by ${s.selectedBy.filter((r) => this.enabled(r.by)).map((r) => r.by).join(", ")}`);
    }
    v = Math.max(v, rev, this.floors.get(sym.name) ?? 0) as Tristate;
    if (sym.type === "bool" && v === 1) v = 2;
    return ["n", "m", "y"][v]!;
  }

  explain(name: string): SymbolExplanation {
    const s = this.symbol(name);
    const requested = this.requested.get(name);
    if (!s) return { name, value: this.value(name), modeled: false, selectedBy: [], ...(requested !== undefined ? { requested } : {}) };
    return {
      name,
      value: this.value(name),
      modeled: true,
      file: s.sym.file,
      ...(s.sym.prompt ? { prompt: s.sym.prompt.text } : {}),
      ...(s.promptIf ? { promptIf: { expr: s.sym.prompt!.if!, value: evalExpr(s.promptIf, this.lookup) } } : {}),
      ...(s.dependsOn ? { dependsOn: { expr: s.sym.dependsOn!, value: evalExpr(s.dependsOn, this.lookup), symbols: exprSymbols(s.dependsOn) } } : {}),
      selectedBy: s.selectedBy.map((r) => ({
        by: r.by,
        value: this.value(r.by),
        active: this.enabled(r.by) && (!r.if || evalExpr(r.if, this.lookup) > 0),
      })),
      ...(requested !== undefined ? { requested } : {}),
    };
  }

  /** A short hash of every modeled symbol's value: two configs that build alike share it. */
  fingerprint(): string {
    let h = 0x811c9dc5;
    const text = [...symbolDatabase().keys()].sort().map((k) => `${k}=${this.value(k)}`).join("\n") + this.arch;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return h.toString(16).padStart(8, "0");
  }
}

export function tristateWord(v: Tristate): string {
  return v === 2 ? "y" : v === 1 ? "m" : "n";
}

/** The architecture a .config was made for, from the symbols only that arch defines. */
export function archOf(values: DotConfigValues): string {
  const is64 = values.get("64BIT") === "y";
  if (values.get("X86_64") === "y") return "x86_64";
  if (values.get("RISCV") === "y" && is64) return "riscv64";
  if (values.get("RISCV") === "y") return "riscv32";
  if (values.get("X86_32") === "y" || values.get("X86") === "y") return "i386";
  if (values.get("ARM64") === "y") return "arm64";
  return "unknown";
}
