/**
 * `npm run bench`, pipes: a blocking ping-pong between two emulated processes through the test
 * API (the parent writes a byte to pipe A, the child reads it and writes a byte back on pipe B,
 * the parent reads it), beside the same ping-pong in C on this machine's kernel. Every round
 * trip blocks twice: it measures the scheduler's hand-off as much as the pipe.
 */
import { join } from "node:path";
import { loadConfig } from "../src/runner/configs.js";
import { packageRoot } from "../src/runner/paths.js";
import { link } from "../src/linux/kbuild/link.js";
import { close, fork, malloc, peekInt, pipe, read, write } from "../src/ltp/index.js";
import { fmtRate, runCReference } from "./reference.js";
import { rateInTest } from "./in_test.js";

const N = 100_000;
const ROUNDS = 5;

/** Round trips per second of the emulated ping-pong. */
function emulatedPingPong(): Promise<number> {
  let toChild = -1, fromChild = -1, byte = 0;
  return rateInTest(link(loadConfig("defconfig")), "bench_pipe", N, 10_000, async () => {
    if ((await write(toChild, byte, 1)) !== 1 || (await read(fromChild, byte, 1)) !== 1) throw new Error("ping-pong failed");
  }, async () => {
    const fds = malloc(16);
    byte = malloc(1);
    if ((await pipe(fds)) !== 0 || (await pipe(fds + 8)) !== 0) throw new Error("pipe failed");
    const [a0, a1, b0, b1] = [peekInt(fds), peekInt(fds + 4), peekInt(fds + 8), peekInt(fds + 12)];
    // The child echoes until the parent's end of pipe A closes (when the test process exits).
    if ((await fork(async () => {
      await close(a1);
      await close(b0);
      while ((await read(a0, byte, 1)) === 1) if ((await write(b1, byte, 1)) !== 1) return 1;
      return 0;
    })) <= 0) throw new Error("fork failed");
    await close(a0);
    await close(b1);
    toChild = a1;
    fromChild = b0;
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchPipe(): Promise<void> {
  const emulated: number[] = [];
  const real: number[] = [];
  let skipped = "";
  // Rounds alternate between the sides so that a busy moment of the machine hits both.
  for (let r = 0; r < ROUNDS; r++) {
    emulated.push(await emulatedPingPong());
    const ref = runCReference(join(packageRoot(), "bench", "pipe.c"), [String(N)]);
    if ("rate" in ref) real.push(ref.rate);
    else skipped = ref.skipped;
  }
  console.log(`pipe ping-pong, emulated (two processes, blocking reads): ${fmtRate(median(emulated))} round trips (median of ${ROUNDS} rounds of ${N})`);
  if (real.length) {
    console.log(`pipe ping-pong, real kernel (C, two processes): ${fmtRate(median(real))} round trips`);
    console.log(`ratio emulated / real: ${(median(emulated) / median(real)).toFixed(2)}x`);
  } else {
    console.log(skipped);
  }
}
