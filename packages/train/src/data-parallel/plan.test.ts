import { describe, expect, it } from 'vitest';
import { shardBlocks, shardOffsets, shardSizes, treeSum } from './plan.js';

describe('shardSizes', () => {
  it('cuts a batch into contiguous shards, the first ones one larger', () => {
    expect(shardSizes(64, 2)).toEqual([32, 32]);
    expect(shardSizes(10, 4)).toEqual([3, 3, 2, 2]);
    expect(shardOffsets(shardSizes(10, 4))).toEqual([0, 3, 6, 8]);
  });

  it('leaves shards empty when the batch is smaller than the shard count', () => {
    expect(shardSizes(3, 4)).toEqual([1, 1, 1, 0]);
    expect(shardSizes(1, 2)).toEqual([1, 0]);
  });
});

describe('shardBlocks', () => {
  it('gives each thread an equal contiguous block, using a power of two of the threads', () => {
    expect(shardBlocks(4, 2)).toEqual([{ first: 0, count: 2 }, { first: 2, count: 2 }]);
    expect(shardBlocks(4, 3)).toEqual([{ first: 0, count: 2 }, { first: 2, count: 2 }]);
    expect(shardBlocks(4, 4).map((b) => b.count)).toEqual([1, 1, 1, 1]);
  });

  it('never uses more threads than shards', () => {
    expect(shardBlocks(2, 8)).toEqual([{ first: 0, count: 1 }, { first: 1, count: 1 }]);
    expect(shardBlocks(1, 8)).toEqual([{ first: 0, count: 1 }]);
  });
});

describe('treeSum', () => {
  const record = (present: boolean[]): { calls: string[]; any: boolean } => {
    const calls: string[] = [];
    const any = treeSum(
      present,
      (a, b, last) => calls.push(last ? `out = ${a} + ${b}` : `${a} = ${a} + ${b}`),
      (a) => calls.push(`out = ${a}`),
    );
    return { calls, any };
  };

  it('sums four leaves as (g0 + g1) + (g2 + g3)', () => {
    expect(record([true, true, true, true]).calls).toEqual(['0 = 0 + 1', '2 = 2 + 3', 'out = 0 + 2']);
  });

  it('keeps the order of the others when a leaf is empty', () => {
    expect(record([true, true, true, false]).calls).toEqual(['0 = 0 + 1', 'out = 0 + 2']);
    expect(record([false, true, true, true]).calls).toEqual(['2 = 2 + 3', 'out = 1 + 2']);
  });

  it('copies a lone leaf and reports when there is none', () => {
    expect(record([false, false, true, false])).toEqual({ calls: ['out = 2'], any: true });
    expect(record([false, false])).toEqual({ calls: [], any: false });
  });
});
