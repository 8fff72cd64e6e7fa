export class ShardError extends Error {
  override name = "ShardError";
}

/** --shard i/n: the i-th of n slices (1-based). */
export function parseShard(text: string): { index: number; count: number } {
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
export function inShard<T extends { index: number }>(jobs: readonly T[], shard: { index: number; count: number }): T[] {
  return jobs.filter((j) => j.index % shard.count === shard.index - 1);
}
