import { mkdirSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { basename, join } from "node:path";
import { writeAtomic } from "./atomic.js";
import type { ConfigFileFormat, RunFileFormat, RunReport } from "./format.js";
import { REPORT_FORMATS, runFileFormats } from "./formats.js";
import { byConfig } from "./summary.js";

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
export function writeCopy(format: RunFileFormat, text: string, path: string, final: boolean): void {
  if (!toStdout(format, path)) writeAtomic(path, text);
  else if (final) process.stdout.write(text);
}

/**
 * Keeps every report of a run up to date as jobs finish, so that an interrupted run (or a
 * killed harness) still leaves complete, parseable files with what finished.
 */
export class ReportWriter {
  private pending: NodeJS.Timeout | undefined;

  constructor(
    readonly dir: string,
    private readonly paths: ReportPaths,
    private readonly resultsDir: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.linkLatest();
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
  async write(run: RunReport, final: boolean): Promise<void> {
    clearTimeout(this.pending);
    this.pending = undefined;
    for (const format of REPORT_FORMATS) {
      if (format.scope === "config") await this.writePerConfig(format, run);
      else await this.writeRunFile(format, run, final);
    }
  }

  private async writePerConfig(format: ConfigFileFormat, run: RunReport): Promise<void> {
    for (const [config, results] of byConfig(run.results)) {
      writeAtomic(join(this.dir, format.fileName(config)), await format.render({ results, meta: run.meta }));
    }
  }

  private async writeRunFile(format: RunFileFormat, run: RunReport, final: boolean): Promise<void> {
    const text = await format.render(run);
    writeAtomic(join(this.dir, format.fileName), text);
    const path = this.paths.get(format.name);
    if (path !== undefined) writeCopy(format, text, path, final);
  }

  /** Writes soon, at most every `ms`: many jobs finishing together cost one write. */
  schedule(run: () => RunReport, ms = 250): void {
    if (this.pending) return;
    this.pending = setTimeout(() => void this.write(run(), false), ms);
  }
}
