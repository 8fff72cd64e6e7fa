export class ShardError extends Error {
  override name = "ShardError";
}

/** The i-th of n slices of a job matrix (1-based). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** --shard i/n */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]), count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new ShardError(`--shard takes i/n with 1 <= i <= n, not ${JSON.stringify(text)}`);
  return { index, count };
}

/**
 * The jobs of one shard: every n-th job of the matrix, starting at the i-th. Deterministic,
 * every job in exactly one shard, and balanced: the shards' sizes differ by one at most, and
 * each gets its share of every testcase and configuration.
 */
export function inShard<T extends { index: number }>(jobs: readonly T[], shard: Shard): T[] {
  return jobs.filter((j) => j.index % shard.count === shard.index - 1);
}
