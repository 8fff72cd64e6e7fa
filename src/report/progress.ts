import type { JobResult } from "./jobresult.js";
import { jobLine } from "./console.js";

/**
 * The console while a run goes: one line per finished job, in matrix order whatever order
 * jobs finish in, and on a terminal a live `[12/40] kcmp02 (minimal) ...` line on stderr that
 * disappears at the end.
 */
export class ConsoleProgress {
  private readonly done: (JobResult | null | undefined)[];
  private printed = 0;
  private finished = 0;
  private readonly running = new Map<number, string>();
  private readonly live: boolean;

  constructor(
    private readonly total: number,
    /** Where the job lines go: stdout, or stderr when stdout carries a report (--tap -). */
    private readonly out: NodeJS.WritableStream = process.stdout,
  ) {
    this.done = new Array(total).fill(undefined);
    this.live = process.stderr.isTTY === true && !process.env.CI;
  }

  started(index: number, label: string): void {
    this.running.set(index, label);
    this.draw();
  }

  finishedJob(index: number, result: JobResult): void {
    this.running.delete(index);
    this.done[index] = result;
    this.finished++;
    this.flush();
    this.draw();
  }

  /** Prints the lines that are next in matrix order. */
  private flush(): void {
    this.clear();
    while (this.printed < this.total && this.done[this.printed] !== undefined) {
      const r = this.done[this.printed++];
      if (r) this.out.write(jobLine(r) + "\n");
    }
  }

  /** The run ends: whatever finished is printed (jobs that did not run are skipped over). */
  end(): void {
    for (let i = 0; i < this.total; i++) if (this.done[i] === undefined) this.done[i] = null;
    this.flush();
    this.clear();
  }

  private clear(): void {
    if (this.live) process.stderr.write("\r\x1b[2K");
  }

  private draw(): void {
    if (!this.live) return;
    const first = this.running.values().next();
    const label = first.done ? "" : ` ${first.value}${this.running.size > 1 ? ` (+${this.running.size - 1} more)` : ""} ...`;
    process.stderr.write(`\r\x1b[2K[${this.finished}/${this.total}]${label}`);
  }
}
