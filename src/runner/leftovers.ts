/**
 * What a job leaves behind in its worker thread. A testcase runs in the worker's own event
 * loop and global object, so a timer, a handle or a global it leaves behind would fire in, or
 * be seen by, the next job that worker runs: that job would be broken while the culprit kept
 * its TPASS. The worker compares its state after each job with its state before; a job that
 * leaves anything is the one reported (LTP's "test leaked ..."), and its worker is replaced.
 */

/** A worker's state between jobs: its active resources by kind, and its global bindings. */
export interface WorkerState {
  /** process.getActiveResourcesInfo(), counted by kind: "Timeout", "Immediate", "TCPWrap", ... */
  readonly resources: ReadonlyMap<string, number>;
  readonly globals: ReadonlyMap<string, PropertyDescriptor>;
}

function countByKind(kinds: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

function activeResources(): Map<string, number> {
  return countByKind(process.getActiveResourcesInfo());
}

function globalBindings(): Map<string, PropertyDescriptor> {
  const globals = new Map<string, PropertyDescriptor>();
  // Descriptors rather than values: reading Node's lazy globals (crypto, navigator) would run
  // their getters. Symbol keys are left out: Node adds its own (undici's dispatcher) on first use.
  for (const key of Object.getOwnPropertyNames(globalThis)) globals.set(key, Object.getOwnPropertyDescriptor(globalThis, key)!);
  return globals;
}

export function workerState(): WorkerState {
  return { resources: activeResources(), globals: globalBindings() };
}

/**
 * Whether a global still holds what it held. Node defines most web globals (TextEncoder,
 * AbortController, ...) as getters that replace themselves with the value on first read: an
 * accessor that became a value is that, not a change.
 */
function sameBinding(was: PropertyDescriptor, now: PropertyDescriptor): boolean {
  if (was.get && !now.get && !now.set) return true;
  return Object.is(was.value, now.value) && was.get === now.get && was.set === now.set;
}

/** The resources `after` has more of than `before`, in words ("2 Timeout"). */
function resourcesLeft(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): string[] {
  const left: string[] = [];
  for (const [kind, n] of after) {
    const more = n - (before.get(kind) ?? 0);
    if (more > 0) left.push(`${more} ${kind}`);
  }
  return left;
}

/** The globals that differ between `before` and `after`, in words ("the global foo"). */
function globalsLeft(before: ReadonlyMap<string, PropertyDescriptor>, after: ReadonlyMap<string, PropertyDescriptor>): string[] {
  const left: string[] = [];
  for (const [key, d] of after) {
    const was = before.get(key);
    if (!was) left.push(`the global ${key}`);
    else if (!sameBinding(was, d)) left.push(`a changed global ${key}`);
  }
  for (const key of before.keys()) if (!after.has(key)) left.push(`a deleted global ${key}`);
  return left;
}

/**
 * Turns of the event loop a job gets to wind down after its result: the handles a target's
 * dispose() closed (the host target's launcher pipes and child process) go on counting until
 * libuv's close phase has run, which may take a turn per handle that closes another.
 */
const SETTLE_TURNS = 8;

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * What a job left behind once it had the time to wind down. The first turn also lets the
 * microtasks it left queued run, and a promise it left to reject unhandled does so now, while
 * the job is still the one running (in a worker an unhandled rejection ends the thread, and the
 * pool reports it for the job in flight).
 */
export async function settledLeftovers(before: WorkerState): Promise<string[]> {
  let resources: string[] = [];
  for (let i = 0; i < SETTLE_TURNS; i++) {
    await turn();
    resources = resourcesLeft(before.resources, activeResources());
    if (!resources.length) break;
  }
  return [...resources, ...globalsLeft(before.globals, globalBindings())];
}
