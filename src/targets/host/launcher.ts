import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { createInterface } from "node:readline";
import type { Isolation, ProgramImage } from "../target.js";

/** Whether a job's processes are in namespaces of their own, and how (or why not). */

export interface LaunchSpec {
  readonly agent: string;
  readonly runtimeDir: string;
  readonly isolate: boolean;
  /** A command the agent runs under, "{agent}" standing for its path (empty: none). */
  readonly wrapper: readonly string[];
  readonly image: ProgramImage;
}

/**
 * A wrapper command's path: the launcher execs it without a PATH search (the program's
 * environment is the test's, not the runner's), so a bare name is looked up here.
 */
function commandPath(command: string): string {
  if (command.includes("/")) return command;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const path = join(dir || ".", command);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch { /* not in this directory */ }
  }
  return command;
}

/** How long a launcher asked to stop may take before it is killed outright. */
const STOP_GRACE_MS = 3000;

const launchers = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * The runner's own exit (an error, a signal it handles by exiting) stops every launcher: each
 * kills its job on SIGTERM. An abrupt death of the runner reaches them by PR_SET_PDEATHSIG.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const l of launchers) l.kill("SIGTERM");
  });
}

/**
 * The agent in its launcher role (agent/launcher.c): it makes the job's namespaces and its
 * init, reports on stdout, and stops the whole job on SIGTERM. Its stderr carries the agents'
 * one-line error reports.
 */
export class Launcher {
  readonly isolation: Promise<Isolation>;
  /** The init's wait status, once it is gone (a launcher that died without saying: an Error). */
  readonly exited: Promise<number>;
  readonly errors: string[] = [];
  private readonly child: ChildProcess;
  private done = false;

  constructor(spec: LaunchSpec) {
    const { argv, envp } = spec.image;
    const wrapper = spec.wrapper.map((w, i) => (i === 0 ? commandPath(w) : w));
    const args = [
      "launch", spec.runtimeDir, spec.isolate ? "1" : "0", String(process.pid),
      String(wrapper.length), ...wrapper, String(argv.length), ...argv, String(envp.length), ...envp,
    ];
    this.child = spawn(spec.agent, args, { stdio: ["ignore", "pipe", "pipe"], env: {} });
    launchers.add(this.child);
    installExitHook();
    let isolation!: (i: Isolation) => void;
    this.isolation = new Promise((resolve) => (isolation = resolve));
    let status: number | null = null;
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      if (line.startsWith("isolated ")) isolation({ isolated: true, detail: line.slice("isolated ".length) });
      else if (line.startsWith("unisolated: ")) isolation({ isolated: false, detail: line.slice("unisolated: ".length) });
      else if (line.startsWith("exit ")) status = Number(line.slice("exit ".length));
    });
    createInterface({ input: this.child.stderr! }).on("line", (line) => this.errors.push(line));
    this.exited = new Promise((resolve, reject) => {
      this.child.on("error", (e) => {
        this.done = true;
        launchers.delete(this.child);
        isolation({ isolated: false, detail: "the launcher did not start" });
        reject(e);
      });
      this.child.on("close", (code, signal) => {
        this.done = true;
        launchers.delete(this.child);
        isolation({ isolated: false, detail: "the launcher ended early" });
        if (status !== null) resolve(status);
        else reject(new Error(`the host launcher ended (${signal ?? `exit ${code}`}) without the init's status`));
      });
    });
  }

  /** Kills the job as a whole (SIGTERM to the launcher, SIGKILL if it does not end in time). */
  async stop(): Promise<void> {
    if (this.done) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), STOP_GRACE_MS);
    await this.exited.catch(() => undefined);
    clearTimeout(timer);
  }
}
