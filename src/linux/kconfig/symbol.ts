/**
 * A Kconfig symbol as the emulator models it, with the relations copied from the real
 * Kconfig file that declares it. Expressions are kept in Kconfig's own syntax
 * ("PROC_FS", "(AGP || AGP=n) && !EMULATED_CMPXCHG && HAS_DMA") and parsed at load time.
 */
export type KconfigType = "bool" | "tristate" | "int" | "hex" | "string";

export interface KconfigSymbol {
  readonly name: string;
  readonly type: KconfigType;
  /** The prompt, and the condition after `if` that makes it visible (KCMP: `if EXPERT`). */
  readonly prompt?: { readonly text: string; readonly if?: string };
  /**
   * Every direct dependency ANDed together: the symbol's own `depends on` lines and those
   * inherited from enclosing `if`/`menu ... depends on` blocks.
   */
  readonly dependsOn?: string;
  /** `select X [if Y]` lines declared on this symbol. */
  readonly selects?: readonly { readonly symbol: string; readonly if?: string }[];
  /** `default V [if Y]` lines in order; the first whose condition holds applies. */
  readonly defaults?: readonly { readonly value: string; readonly if?: string }[];
  /** Where Linux declares it: "init/Kconfig". */
  readonly file: string;
}
