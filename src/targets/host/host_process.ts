import type { Socket } from "node:net";
import { toSyscallNumber, toWord, type Word } from "../../linux/include/uapi/word.js";
import type { UserMemory, UserProcess } from "../target.js";
import { ProcessMemory } from "./process_memory.js";
import { FaultAccess, Op, request, type Hello } from "./protocol.js";

/** What a process needs from the machine it runs on. */
export interface ProcessHost {
  /** The handler depth of the code running now (0 outside any handler of this process). */
  depthOf(p: HostProcess): number;
  /** Registers a child's code; the token the child's agent will introduce itself with. */
  childToken(entry: () => Promise<void>): number;
  /** Is `nr` fork, vfork, clone or clone3 (whose child gets the registered code)? */
  makesChild(nr: number): boolean;
  /** The number of exit(), which a task whose code ran to its end makes. */
  readonly exitNr: number;
  /** Moves with every message from any task: anything may have changed the mappings. */
  generation(): number;
  procDir(tid: number): string;
}

/**
 * One task on the real kernel, as the test API sees it: its agent makes the system calls
 * (exactly the words given), its memory is the real process's. Requests go out on the task's
 * channel; each reply names its request by sequence number (a handler's calls are answered
 * while the call it interrupted still waits).
 */
export class HostProcess implements UserProcess {
  readonly memory: UserMemory;
  readonly heap: { readonly start: number; readonly size: number };
  readonly startStack: number;
  readonly tid: number;
  readonly pid: number;
  private readonly mem: ProcessMemory;
  private readonly pending = new Map<number, (ret: Word) => void>();
  private seq = 0;
  private nextChild = 0;
  /** The agent's channel closed: the task is gone, its code never resumes. */
  dead = false;

  constructor(private readonly host: ProcessHost, private readonly socket: Socket, hello: Hello) {
    this.tid = hello.tid;
    this.pid = hello.pid;
    this.startStack = hello.startStack;
    this.heap = { start: hello.dataBase, size: hello.dataSize };
    this.mem = new ProcessMemory(host.procDir(hello.outerTid), host.generation);
    this.memory = this.mem;
  }

  syscall(nr: number, a0: Word = 0, a1: Word = 0, a2: Word = 0, a3: Word = 0, a4: Word = 0, a5: Word = 0): Promise<Word> {
    const words = [toSyscallNumber(nr), toWord(a0), toWord(a1), toWord(a2), toWord(a3), toWord(a4), toWord(a5)];
    let token = 0;
    if (this.nextChild && this.host.makesChild(nr)) {
      token = this.nextChild;
      this.nextChild = 0;
    }
    const seq = ++this.seq;
    this.send(request(Op.Syscall, seq, this.host.depthOf(this), token, words));
    return new Promise((resolve) => this.pending.set(seq, resolve));
  }

  setChildEntry(entry: () => Promise<void>): void {
    this.nextChild = this.host.childToken(entry);
  }

  runMachineCode(start: { readonly ip: number; readonly sp: number }): Promise<never> {
    this.send(request(Op.RunCode, 0, this.host.depthOf(this), 0, [start.ip, start.sp]));
    return new Promise<never>(() => undefined);
  }

  /** The code at `depth` ran to its end: a program function returns; a task's code exits (status 0). */
  finished(depth: number): void {
    if (depth > 0) this.send(request(Op.Return, 0, depth, 0, []));
    else void this.syscall(this.host.exitNr, 0);
  }

  /**
   * The code touched memory it may not: the agent makes the same access for real, so the
   * fault is the kernel's (SIGSEGV with the address, a handler or death). `addr` is where the
   * refused access began; the fault is where it first failed.
   */
  fault(addr: number, access: "read" | "write" | "exec", depth: number): void {
    const last = this.mem.lastFault;
    const at = access !== "exec" && last && last.addr === addr ? last.at : addr;
    const how = access === "read" ? FaultAccess.Read : access === "write" ? FaultAccess.Write : FaultAccess.Exec;
    this.send(request(Op.Fault, ++this.seq, depth, 0, [at, how]));
  }

  /** The runner failed in this task's code: the task is killed, as the emulated kernel's oops does. */
  kill(depth: number): void {
    this.send(request(Op.Kill, 0, depth, 0, []));
  }

  replied(seq: number, ret: Word): void {
    const resolve = this.pending.get(seq);
    if (!resolve) return;
    this.pending.delete(seq);
    resolve(ret);
  }

  gone(): void {
    this.dead = true;
    this.pending.clear();
    this.mem.close();
  }

  private send(msg: Buffer): void {
    if (!this.dead && !this.socket.destroyed) this.socket.write(msg);
  }
}
