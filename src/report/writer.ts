import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { JobResult } from "./jobresult.js";
import { ltpLog } from "./ltplog.js";
import type { RunMeta } from "./meta.js";
import { byConfig } from "./summary.js";
import { jsonReport } from "./json.js";
import { tapReport } from "./tap.js";

/** Where the reports go besides the run directory (--junit, --tap, --json). */
export interface ReportTargets {
  readonly junit?: string;
  /** A path, or "-" for stdout at the end of the run. */
  readonly tap?: string;
  readonly json?: string;
}

/** Writes a file so that a reader never sees half of it: a temporary file, then a rename. */
export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** A file name for a configuration's log: overrides keep their + and =, slashes go. */
function safeName(config: string): string {
  return config.replace(/[^A-Za-z0-9_.=+-]/g, "_");
}

/**
 * Keeps every report of a run up to date as jobs finish, so that an interrupted run (or a
 * killed harness) still leaves complete, parseable files with what finished.
 */
export class ReportWriter {
  private junitXml: ((results: readonly JobResult[], meta: RunMeta) => string) | undefined;
  private pending: NodeJS.Timeout | undefined;

  constructor(
    readonly dir: string,
    private readonly targets: ReportTargets,
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

  /** JUnit needs junit-report-builder, which is slow to load: it is loaded once, on first use. */
  private async junit(): Promise<(results: readonly JobResult[], meta: RunMeta) => string> {
    return (this.junitXml ??= (await import("./junit.js")).junitXml);
  }

  /** Writes every report now. */
  async write(results: readonly JobResult[], meta: RunMeta, final: boolean): Promise<void> {
    clearTimeout(this.pending);
    this.pending = undefined;
    for (const [config, list] of byConfig(results)) {
      writeAtomic(join(this.dir, `${safeName(config)}.log`), ltpLog(config, list[0]!.arch, list, meta.started));
    }
    const xml = (await this.junit())(results, meta);
    writeAtomic(join(this.dir, "junit.xml"), xml);
    const json = JSON.stringify(jsonReport(results, meta), null, 2) + "\n";
    writeAtomic(join(this.dir, "results.json"), json);
    const tap = tapReport(results, meta);
    writeAtomic(join(this.dir, "results.tap"), tap);
    if (this.targets.junit) writeAtomic(this.targets.junit, xml);
    if (this.targets.json) writeAtomic(this.targets.json, json);
    if (this.targets.tap && this.targets.tap !== "-") writeAtomic(this.targets.tap, tap);
    if (final && this.targets.tap === "-") process.stdout.write(tap);
  }

  /** Writes soon, at most every `ms`: many jobs finishing together cost one write. */
  schedule(results: () => readonly JobResult[], meta: () => RunMeta, ms = 250): void {
    if (this.pending) return;
    this.pending = setTimeout(() => void this.write(results(), meta(), false), ms);
  }
}
