/**
 * What a job reports, collected from every process of the test (LTP keeps it in shared
 * memory): the counts, the result lines and the output as LTP prints it.
 */
import { COUNTED_AS, RESULT_NAMES, TCONF, TFAIL, TBROK, TINFO, TWARN, type Counts, type ResultLine, type ResultType } from "../../report/result.js";

export function resultName(t: number): string {
  return RESULT_NAMES[(t & 0xff) as ResultType] ?? `T?(${t})`;
}

/** Everything a job reports, from any of its processes (LTP keeps it in shared memory). */
export class Results {
  readonly counts: Counts = { passed: 0, failed: 0, broken: 0, skipped: 0, warnings: 0 };
  readonly lines: ResultLine[] = [];
  /** The output as LTP would print it. */
  readonly log: string[] = [];
  /** The n of the test(n) running now (children report into the case their parent runs). */
  currentCase: number | null = null;

  constructor(private readonly file: string) {}

  add(type: ResultType, message: string, category?: string): void {
    const counted = COUNTED_AS[type];
    if (counted) this.counts[counted]++;
    this.lines.push({
      type, message, ...(category === undefined ? {} : { category }), ...(this.currentCase === null ? {} : { case: this.currentCase }),
    });
    this.log.push(`${this.file}: ${resultName(type)}: ${message}`);
  }

  info(message: string): void {
    this.lines.push({ type: TINFO, message });
    this.log.push(`${this.file}: TINFO: ${message}`);
  }

  get reported(): boolean {
    const c = this.counts;
    return c.passed + c.failed + c.broken + c.skipped + c.warnings > 0;
  }

  /** LTP's exit value: TFAIL, TBROK, TWARN bits; TCONF (32) only when nothing passed. */
  exitCode(): number {
    const c = this.counts;
    let ret = 0;
    if (c.failed) ret |= TFAIL;
    if (c.skipped && !c.passed) ret |= TCONF;
    if (c.warnings) ret |= TWARN;
    if (c.broken) ret |= TBROK;
    return ret;
  }

  /** The Summary block LTP prints at the end. */
  summary(): string[] {
    const c = this.counts;
    return ["", "Summary:", `passed   ${c.passed}`, `failed   ${c.failed}`, `broken   ${c.broken}`, `skipped  ${c.skipped}`, `warnings ${c.warnings}`];
  }
}

