import { renameSync, rmSync, symlinkSync } from "node:fs";
import { basename, join } from "node:path";
import { TrackedWrites, type WriteError } from "./atomic.js";
import type { ConfigFileFormat, RunFileFormat, RunReport } from "./format.js";
import { REPORT_FORMATS, runFileFormats } from "./formats.js";
import { configParts } from "./summary.js";

/** Where the command line asked for copies of reports: format name -> path (--<name> <path>). */
export type ReportPaths = ReadonlyMap<string, string>;

/** `--<name> -` of a format that can write to stdout. */
function toStdout(format: RunFileFormat, path: string): boolean {
  return path === "-" && format.stdout === true;
}

/** Whether a report goes to stdout: everything meant for a person then goes to stderr. */
export function reportOnStdout(paths: ReportPaths): boolean {
  return runFileFormats().some((f) => { const p = paths.get(f.name); return p !== undefined && toStdout(f, p); });
}

/** Writes a copy of a report where --<name> asked: a file, or stdout once the run is final. */
export function writeCopy(files: TrackedWrites, format: RunFileFormat, text: string, path: string, final: boolean): void {
  if (!toStdout(format, path)) files.put(path, text);
  else if (final) process.stdout.write(text);
}

/**
 * Keeps every report of a run up to date as jobs finish, so that an interrupted run (or a
 * killed harness) still leaves complete, parseable files with what finished, each saying the
 * run is incomplete until the final write. A file that cannot be written (a full disk, a
 * directory in the way) does not stop the others: failures() lists it.
 */
export class ReportWriter {
  private pending: NodeJS.Timeout | undefined;
  private readonly files = new TrackedWrites();
  /** Writes one at a time, in order: a scheduled write must not land after the final one. */
  private queue: Promise<void> = Promise.resolve();
  /** A bug in a scheduled write (a report that fails to render), thrown by the next write(). */
  private bug: unknown;

  constructor(
    /** The run's directory, made already: results/<run id>. */
    readonly dir: string,
    private readonly paths: ReportPaths,
    private readonly resultsDir: string,
  ) {}

  /**
   * The first write, before any job runs: every report, each listing every job as not run.
   * Returns the files that could not be written; then the run directory is removed again and
   * results/latest left as it was, since the run will not start.
   */
  async start(run: RunReport): Promise<WriteError[]> {
    await this.write(run, false);
    const failures = this.failures();
    if (failures.length) rmSync(this.dir, { recursive: true, force: true });
    else this.linkLatest();
    return failures;
  }

  /** results/latest -> the newest run (a relative link, replaced atomically). */
  private linkLatest(): void {
    const latest = join(this.resultsDir, "latest");
    const tmp = join(this.resultsDir, `.latest.${process.pid}`);
    try {
      rmSync(tmp, { force: true });
      symlinkSync(basename(this.dir), tmp);
      renameSync(tmp, latest);
    } catch {
      // A filesystem without symlinks: the run directory is still printed.
    }
  }

  /** Writes every report now; `final`, at the end of the run, also writes those meant for stdout. */
  write(run: RunReport, final: boolean): Promise<void> {
    clearTimeout(this.pending);
    this.pending = undefined;
    const next = this.queue.then(() => this.writeAll(run, final));
    this.queue = next.catch((e: unknown) => { this.bug ??= e; });
    return next;
  }

  /** Writes another file of the run (the updated baseline), its failure kept like a report's. */
  put(path: string, text: string): boolean {
    return this.files.put(path, text);
  }

  /** The files whose last write failed. */
  failures(): WriteError[] {
    return this.files.failures();
  }

  private async writeAll(run: RunReport, final: boolean): Promise<void> {
    if (this.bug) throw this.bug;
    for (const format of REPORT_FORMATS) {
      if (format.scope === "config") await this.writePerConfig(format, run);
      else await this.writeRunFile(format, run, final);
    }
  }

  private async writePerConfig(format: ConfigFileFormat, run: RunReport): Promise<void> {
    for (const part of configParts(run)) {
      if (part.results.length + part.notRun.length === 0) continue;
      this.files.put(join(this.dir, format.fileName(part.name)), await format.render(part, run.meta));
    }
  }

  private async writeRunFile(format: RunFileFormat, run: RunReport, final: boolean): Promise<void> {
    const text = await format.render(run);
    this.files.put(join(this.dir, format.fileName), text);
    const path = this.paths.get(format.name);
    if (path !== undefined) writeCopy(this.files, format, text, path, final);
  }

  /** Writes soon, at most every `ms`: many jobs finishing together cost one write. */
  schedule(run: () => RunReport, ms = 250): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      // A failure is kept in this.bug by write(), for the final write to throw.
      this.write(run(), false).catch(() => undefined);
    }, ms);
  }
}
