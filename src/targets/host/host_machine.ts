import { AsyncLocalStorage } from "node:async_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { UserFault, type Isolation, type MachineExit, type ProgramImage, type UserFunction, type UserProcess } from "../target.js";
import { HostProcess, type ProcessHost } from "./host_process.js";
import { Launcher } from "./launcher.js";
import { CHANNEL_SOCKET, Event, MessageReader, parseHello, PROTOCOL_VERSION, wordNumber, wordSigned, type Hello } from "./protocol.js";

/** The layout the test API assumes: the emulated target's (agent/layout.h must agree). */
export interface Layout {
  readonly dataBase: number;
  readonly dataSize: number;
  readonly functionBase: number;
  readonly functionCount: number;
}

export interface MachineSpec {
  readonly agent: string;
  readonly isolate: boolean;
  readonly wrapper: readonly string[];
  /** Where the job's runtime directory (the channels' socket) is made. */
  readonly runtimeParent: string;
  readonly layout: Layout;
  functionAt(addr: number): UserFunction | undefined;
  /** fork, vfork, clone, clone3 (by number, as the task's system call gives it). */
  makesChild(nr: number): boolean;
  readonly exitNr: number;
}

/** The code running now: which task, and in how many of its signal handlers. */
interface Running {
  readonly process: HostProcess;
  readonly depth: number;
}

/** The wait status reported when the launcher could not say how the init ended: exit 127. */
const LOST_STATUS = 127 << 8;

/**
 * One job on the real kernel: its launcher (namespaces, the init), the socket every task's
 * agent connects to, and the tasks' code. Several tasks run at once here (they are real
 * processes), so which one's code is running is carried by AsyncLocalStorage: each task's
 * code (the init's main, a child's entry, a handler) runs inside its own context.
 */
export class HostMachine implements ProcessHost {
  readonly faults: string[] = [];
  isolation: Isolation | null = null;
  readonly exitNr: number;
  private readonly running = new AsyncLocalStorage<Running>();
  private readonly children = new Map<number, () => Promise<void>>();
  private readonly sockets = new Set<Socket>();
  private nextToken = 1;
  private messages = 0;
  private server: Server | null = null;
  private launcher: Launcher | null = null;
  private runtimeDir: string | null = null;
  private cleaned = false;

  constructor(private readonly spec: MachineSpec) {
    this.exitNr = spec.exitNr;
  }

  current(): UserProcess {
    const r = this.running.getStore();
    if (!r) throw new Error("no host process is running here: the test API was called outside a process's code");
    return r.process;
  }

  async run(main: (init: UserProcess) => Promise<void>, image: ProgramImage): Promise<MachineExit> {
    try {
      const dir = (this.runtimeDir = mkdtempSync(join(this.spec.runtimeParent, "ltp-host-")));
      const server = (this.server = createServer((socket) => this.accept(socket, main)));
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(join(dir, CHANNEL_SOCKET), () => resolve());
      });
      const launcher = (this.launcher = new Launcher({
        agent: this.spec.agent, runtimeDir: dir, isolate: this.spec.isolate, wrapper: this.spec.wrapper, image,
      }));
      void launcher.isolation.then((i) => (this.isolation = i));
      return { kind: "halted", status: await this.initStatus(launcher) };
    } finally {
      this.cleanup();
    }
  }

  /** The init's wait status as the launcher reports it; one fault line per error it or an agent reported. */
  private async initStatus(launcher: Launcher): Promise<number> {
    let status = LOST_STATUS;
    try {
      status = await launcher.exited;
    } catch (e) {
      this.faults.push(e instanceof Error ? e.message : String(e));
    }
    this.faults.push(...launcher.errors);
    return status;
  }

  /** Kills the job as a whole (every process of it) and removes its runtime directory. */
  async dispose(): Promise<void> {
    await this.launcher?.stop();
    this.cleanup();
  }

  depthOf(p: HostProcess): number {
    const r = this.running.getStore();
    return r && r.process === p ? r.depth : 0;
  }

  childToken(entry: () => Promise<void>): number {
    const token = this.nextToken++;
    this.children.set(token, entry);
    return token;
  }

  makesChild(nr: number): boolean {
    return this.spec.makesChild(nr);
  }

  generation = (): number => this.messages;

  procDir(tid: number): string {
    return `/proc/${tid}`;
  }

  private accept(socket: Socket, main: (init: UserProcess) => Promise<void>): void {
    this.sockets.add(socket);
    let process: HostProcess | null = null;
    const reader = new MessageReader((msg) => {
      this.messages++;
      if (process) this.event(process, msg);
      else process = this.hello(socket, msg, main);
    });
    socket.on("data", (chunk) => reader.push(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      this.sockets.delete(socket);
      process?.gone();
    });
  }

  /** A task's first message: which code it runs (the init's main, or a child's entry by token). */
  private hello(socket: Socket, msg: Buffer, main: (init: UserProcess) => Promise<void>): HostProcess | null {
    const hello = parseHello(msg);
    const wrong = wordNumber(msg, 0) !== Event.Hello ? "its first message is not a hello" : this.layoutMismatch(hello);
    if (wrong) {
      this.faults.push(`agent of tid ${hello.tid}: ${wrong}`);
      socket.destroy();
      return null;
    }
    const p = new HostProcess(this, socket, hello);
    if (hello.token === 0) {
      void this.launcher!.isolation.then(() => this.runTask(p, () => main(p)));
    } else {
      const entry = this.children.get(hello.token);
      this.children.delete(hello.token);
      this.runTask(p, entry);
    }
    return p;
  }

  private layoutMismatch(h: Hello): string | null {
    const l = this.spec.layout;
    if (h.version !== PROTOCOL_VERSION) return `protocol version ${h.version}, the runner speaks ${PROTOCOL_VERSION} (rebuild the agent)`;
    if (h.dataBase !== l.dataBase || h.dataSize !== l.dataSize || h.functionBase !== l.functionBase || h.functionCount < l.functionCount) {
      return `built for another layout (data 0x${h.dataBase.toString(16)}+0x${h.dataSize.toString(16)}, functions at 0x${h.functionBase.toString(16)}); rebuild the agent`;
    }
    return null;
  }

  private event(p: HostProcess, msg: Buffer): void {
    switch (wordNumber(msg, 0)) {
      case Event.Reply:
        p.replied(wordNumber(msg, 1), wordSigned(msg, 2));
        break;
      case Event.Call:
        this.call(p, wordNumber(msg, 1), wordNumber(msg, 2), [wordNumber(msg, 3), wordNumber(msg, 4), wordNumber(msg, 5)]);
        break;
      default:
        this.faults.push(`agent of pid ${p.pid}: unknown event ${wordNumber(msg, 0)}`);
    }
  }

  /** A task's code from its start: a task whose code ends exits with 0, as the emulated kernel's does. */
  private runTask(p: HostProcess, body: (() => Promise<void>) | undefined): void {
    this.running.run({ process: p, depth: 0 }, () => {
      const run = body ? Promise.resolve().then(body) : Promise.resolve();
      run.then(() => p.finished(0), (e: unknown) => this.codeFailed(p, 0, e));
    });
  }

  /** The kernel entered a program function on the task (a signal handler, or the restorer after it). */
  private call(p: HostProcess, depth: number, addr: number, args: readonly [number, number, number]): void {
    const fn = this.spec.functionAt(addr);
    this.running.run({ process: p, depth }, () => {
      if (!fn) {
        p.fault(addr, "exec", depth);
        return;
      }
      Promise.resolve()
        .then(() => fn(...args))
        .then(() => p.finished(depth), (e: unknown) => this.codeFailed(p, depth, e));
    });
  }

  /** A fault becomes the kernel's own; anything else is a bug of the runner's code: one line, and the task is killed. */
  private codeFailed(p: HostProcess, depth: number, e: unknown): void {
    if (p.dead) return;
    if (e instanceof UserFault) {
      p.fault(e.addr, e.access, depth);
      return;
    }
    const text = e instanceof Error ? e.stack ?? e.message : String(e);
    this.faults.push(`pid ${p.pid}: ${text.split("\n").slice(0, 2).join(" ").replace(/\s+/g, " ").trim()}`);
    p.kill(depth);
  }

  private cleanup(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    // The tasks' code never resumes now; an enabled AsyncLocalStorage slows every promise of the thread.
    this.running.disable();
    this.server?.close();
    for (const s of this.sockets) s.destroy();
    if (this.runtimeDir) rmSync(this.runtimeDir, { recursive: true, force: true });
  }
}
