/**
 * The fixed partition of a batch into micro-shards, and which thread runs which. The partition
 * depends only on the batch size and the shard count, never on the thread count, and the shard
 * gradients are always summed in the same balanced tree, so a model trained on 1, 2 or 4
 * threads is the same bit for bit.
 */

/** Shard counts a config may ask for: powers of two, so any power-of-two thread count divides them. */
export const SHARD_COUNTS = [1, 2, 4, 8, 16] as const;
/** training.shards when a config leaves it out (the schema's default): one per core here. */
export const DEFAULT_SHARDS = 2;

/**
 * Sizes of `shards` contiguous micro-shards of a batch of `n` samples: floor(n / shards) each,
 * the first n % shards one larger. A batch smaller than `shards` leaves some empty.
 */
export function shardSizes(n: number, shards: number): number[] {
  const base = Math.floor(n / shards);
  const extra = n % shards;
  return Array.from({ length: shards }, (_, j) => base + (j < extra ? 1 : 0));
}

/** First sample of each shard. */
export function shardOffsets(sizes: readonly number[]): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const size of sizes) {
    offsets.push(at);
    at += size;
  }
  return offsets;
}

/** Shards [first, first + count) for one thread. */
export interface ShardBlock {
  readonly first: number;
  readonly count: number;
}

/**
 * Contiguous equal blocks of shards, one per thread: the number of threads used is the largest
 * power of two not above `threads` or `shards` (both powers of two keep blocks equal). Thread 0
 * is the calling one.
 */
export function shardBlocks(shards: number, threads: number): ShardBlock[] {
  let used = 1;
  while (used * 2 <= Math.min(threads, shards)) used *= 2;
  const count = shards / used;
  return Array.from({ length: used }, (_, t) => ({ first: t * count, count }));
}

/**
 * Sums the present leaves [lo, hi) pairwise in the balanced binary tree over all `shards`
 * positions: (g0 + g1) + (g2 + g3) for four. `add(a, b, last)` must store leaf a + leaf b into
 * leaf a's slot (or into the result when `last`); `copy(a)` puts one leaf into the result when
 * it is all there is. Absent (empty) leaves drop out of the tree without changing the order of
 * the others. Returns false when no leaf is present.
 */
export function treeSum(
  present: readonly boolean[],
  add: (a: number, b: number, last: boolean) => void,
  copy: (a: number) => void,
): boolean {
  const walk = (lo: number, hi: number, top: boolean): number => {
    if (hi - lo === 1) return present[lo] === true ? lo : -1;
    const mid = (lo + hi) / 2;
    const a = walk(lo, mid, false);
    const b = walk(mid, hi, false);
    if (a >= 0 && b >= 0) {
      add(a, b, top);
      return top ? -2 : a;
    }
    return a >= 0 ? a : b;
  };
  const root = walk(0, present.length, true);
  if (root >= 0) copy(root);
  return root !== -1;
}
