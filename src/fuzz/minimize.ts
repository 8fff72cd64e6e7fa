import type { Finding } from "./execute.js";
import { callCount, keepCalls, type Program } from "./program.js";

/** Does this program still show the finding? (Runs it; may take a while for a hang.) */
export type Reproduces = (program: Program) => Promise<boolean>;

/** What makes two findings the same bug: the kind and the first line of the detail. */
export function signature(f: Finding): string {
  return `${f.kind} ${f.detail.split("\n")[0]}`;
}

/**
 * Delta debugging (Zeller's ddmin) over the program's calls, children included: drop chunks
 * of calls, then single calls, while the finding stays; stops at `budget` runs with the
 * smallest program found so far.
 */
export async function minimize(program: Program, reproduces: Reproduces, budget = 400): Promise<Program> {
  let kept = [...Array(callCount(program)).keys()];
  let runs = 0;
  const test = (ids: number[]): Promise<boolean> => {
    runs++;
    return reproduces(keepCalls(program, new Set(ids)));
  };
  let chunks = 2;
  while (kept.length >= 1 && runs < budget) {
    const size = Math.ceil(kept.length / chunks);
    let reduced = false;
    for (let start = 0; start < kept.length && runs < budget; start += size) {
      const complement = [...kept.slice(0, start), ...kept.slice(start + size)];
      if (complement.length < kept.length && (await test(complement))) {
        kept = complement;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (reduced) continue;
    if (size === 1) break;
    chunks = Math.min(chunks * 2, kept.length);
  }
  return keepCalls(program, new Set(kept));
}
