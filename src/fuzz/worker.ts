import { parentPort, workerData } from "node:worker_threads";
import type { Finding } from "./execute.js";
import { signature } from "./minimize.js";
import type { Program } from "./program.js";
import { FuzzTarget, type SessionOptions } from "./session.js";

/** What the main thread asks a worker for: fuzz from a program index for a while, or replay one program. */
export type WorkerJob =
  | { readonly kind: "fuzz"; readonly options: SessionOptions; readonly firstIndex: number; readonly seconds: number }
  | { readonly kind: "replay"; readonly options: SessionOptions; readonly program: Program };

/** What a worker tells the main thread. */
export type WorkerMessage =
  /** A heartbeat: the counts so far and the program running now (a hang is in that one). */
  | { readonly kind: "progress"; readonly calls: number; readonly programs: number; readonly index: number }
  | { readonly kind: "finding"; readonly finding: Finding; readonly index: number; readonly program: Program; readonly minimized: Program | null }
  | { readonly kind: "done"; readonly calls: number; readonly programs: number; readonly findings?: readonly Finding[] };

const HEARTBEAT_MS = 200;

async function fuzz(target: FuzzTarget, firstIndex: number, seconds: number): Promise<void> {
  const post = (m: WorkerMessage) => parentPort!.postMessage(m);
  const end = Date.now() + seconds * 1000;
  const seen = new Set<string>();
  let calls = 0, programs = 0, beat = 0;
  for (let index = firstIndex; ; index++) {
    const now = Date.now();
    if (now >= end) break;
    if (now - beat >= HEARTBEAT_MS) {
      beat = now;
      post({ kind: "progress", calls, programs, index });
    }
    const program = target.program(index);
    const r = await target.run(program);
    calls += r.calls;
    programs++;
    for (const finding of r.findings) {
      const sig = signature(finding);
      if (seen.has(sig)) continue;
      seen.add(sig);
      // Reported before minimizing, so that a minimization that hangs still leaves the finding.
      post({ kind: "finding", finding, index, program, minimized: null });
      post({ kind: "progress", calls, programs, index });
      post({ kind: "finding", finding, index, program, minimized: await target.minimize(program, finding) });
    }
  }
  post({ kind: "done", calls, programs });
}

const job = workerData as WorkerJob;
const target = new FuzzTarget(job.options);
if (job.kind === "fuzz") await fuzz(target, job.firstIndex, job.seconds);
else {
  const r = await target.run(job.program);
  parentPort!.postMessage({ kind: "done", calls: r.calls, programs: 1, findings: r.findings } satisfies WorkerMessage);
}
