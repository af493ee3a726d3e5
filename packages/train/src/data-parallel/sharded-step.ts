import type { Loss } from '@scratchnet/spec';
import { Tensor } from '@scratchnet/tensor';
import { runPass, type BatchOutcome, type GradientStep } from '../gradient-step.js';
import type { Network } from '../network.js';
import { shardBlocks, shardOffsets, shardSizes, treeSum, type ShardBlock } from './plan.js';

/** One batch as every thread sees it. */
export interface ShardJob {
  readonly images: Tensor;
  readonly labels: Int32Array;
  readonly sizes: readonly number[];
  readonly offsets: readonly number[];
}

/**
 * Threads other than the calling one. `start` hands thread t (1-based) its block and returns at
 * once; `finish` waits for it. A thread writes the gradient of each of its shards into that
 * shard's slot (`slots[shard][parameter]`).
 */
export interface RemoteShards {
  /** Threads available, the calling one included. */
  readonly threads: number;
  start(thread: number, block: ShardBlock, job: ShardJob): void;
  /** The outcome of each shard of the thread's block, in order (empty shards included). */
  finish(thread: number): readonly BatchOutcome[];
  dispose(): Promise<void>;
}

export interface ShardedStepOptions {
  /** Micro-shards per batch (a power of two): fixes the arithmetic whatever the thread count. */
  readonly shards: number;
  /** Other threads; without them every shard runs on the calling thread. */
  readonly remote?: RemoteShards;
  /**
   * Per shard, one tensor per parameter (shaped like it) that receives the shard's gradient;
   * created with network.backend.zeros when absent. Remote threads write into these.
   */
  readonly slots?: readonly (readonly Tensor[])[];
}

/** The gradient slots a sharded step needs: shards x parameters, in the network's memory. */
export function createSlots(network: Network, shards: number): Tensor[][] {
  return Array.from({ length: shards }, () => network.parameters.map((p) => network.backend.zeros(p.value.shape, p.value.dtype)));
}

/** The share of the batch loss's gradient a shard of `size` carries: size / n for a mean loss. */
export function shardWeight(loss: Loss, size: number, n: number): number {
  return loss.reduction === 'sum' ? 1 : size / n;
}

/** A view of rows [offset, offset + size) of a sample-major batch. */
export function shardOf(images: Tensor, offset: number, size: number): Tensor {
  const per = images.columns;
  return new Tensor([size, ...images.shape.slice(1)], images.data.subarray(offset * per, (offset + size) * per));
}

/**
 * Data-parallel gradients: the batch is cut into `shards` fixed micro-shards; each runs
 * forward, loss and backward on its own (its loss gradient weighted by its share of the batch,
 * so the shards' gradients add up to the batch's), thread 0's block here and the other blocks on
 * `remote`; the shard gradients are then summed in one balanced tree into the parameters'
 * grads. With one shard this is exactly the whole-batch pass.
 */
export function createShardedStep(network: Network, loss: Loss, options: ShardedStepOptions): GradientStep {
  const { shards, remote } = options;
  const blocks = shardBlocks(shards, remote?.threads ?? 1);
  const slots = options.slots ?? (shards > 1 ? createSlots(network, shards) : []);
  const outcomes: BatchOutcome[] = Array.from({ length: shards }, () => ({ loss: 0, correct: 0 }));
  const { backend, parameters } = network;
  return {
    compute(images, labels) {
      const n = images.rows;
      if (shards === 1) return runPass(network, loss, images, labels);
      const sizes = shardSizes(n, shards);
      const job: ShardJob = { images, labels, sizes, offsets: shardOffsets(sizes) };
      // A batch smaller than the shard count leaves whole blocks empty: their threads sit it out.
      const busy = blocks.map(({ first, count }) => sizes.slice(first, first + count).some((size) => size > 0));
      for (let t = 1; t < blocks.length; t++) if (busy[t]) remote!.start(t, blocks[t]!, job);
      const { first, count } = blocks[0]!;
      for (let j = first; j < first + count; j++) {
        if (sizes[j] === 0) continue;
        const offset = job.offsets[j]!;
        const shardLabels = labels.subarray(offset, offset + sizes[j]!);
        outcomes[j] = runPass(network, loss, shardOf(images, offset, sizes[j]!), shardLabels, shardWeight(loss, sizes[j]!, n));
        parameters.forEach((p, i) => slots[j]![i]!.data.set(p.grad.data));
      }
      for (let t = 1; t < blocks.length; t++) if (busy[t]) remote!.finish(t).forEach((outcome, k) => (outcomes[blocks[t]!.first + k] = outcome));
      treeSum(
        sizes.map((size) => size > 0),
        (a, b, last) => parameters.forEach((p, i) => backend.add(slots[a]![i]!, slots[b]![i]!, last ? p.grad : slots[a]![i]!)),
        (a) => parameters.forEach((p, i) => p.grad.data.set(slots[a]![i]!.data)),
      );
      let total = 0;
      let correct = 0;
      sizes.forEach((size, j) => {
        if (size === 0) return;
        total += loss.reduction === 'sum' ? outcomes[j]!.loss : outcomes[j]!.loss * (size / n);
        correct += outcomes[j]!.correct;
      });
      return { loss: total, correct };
    },
    threads: blocks.length,
    dispose: () => remote?.dispose() ?? Promise.resolve(),
  };
}
