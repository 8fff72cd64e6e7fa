import { UsageError } from "./errors.js";

/** The largest run seed: 64 bits, as the run ids of CI systems are. */
const MAX_SEED = 2n ** 64n - 1n;

/** A run seed from its decimal text: every value of 64 bits exactly, nothing past it. */
export function parseSeed(text: string, what = "--seed"): bigint {
  if (!/^\d+$/.test(text) || BigInt(text) > MAX_SEED) {
    throw new UsageError(`${what} takes a whole number from 0 to ${MAX_SEED} (64 bits), not ${JSON.stringify(text)}`);
  }
  return BigInt(text);
}

/**
 * The variables in which CI systems give every job of one pipeline run the same id: shards of
 * one run need one seed, and these give it without a --seed on each shard's command line.
 */
const CI_RUN_IDS = ["GITHUB_RUN_ID", "CI_PIPELINE_ID"] as const;

/** A shard's seed when no --seed was given: the CI run's id, or a UsageError saying what to do. */
export function shardSeed(env: NodeJS.ProcessEnv = process.env): { seed: bigint; from: string } {
  const from = CI_RUN_IDS.find((name) => env[name]);
  if (!from) throw new UsageError(`--shard needs --seed N, the same on every shard (or ${CI_RUN_IDS.join(" or ")} set by the CI): shards with seeds of their own cannot be merged`);
  return { seed: parseSeed(env[from]!, from), from };
}
