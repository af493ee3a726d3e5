import type { Loss } from '@scratchnet/spec';
import type { Tensor } from '@scratchnet/tensor';
import { countCorrect } from './evaluate.js';
import type { Network } from './network.js';

/** What one batch's gradient computation reports besides the gradients themselves. */
export interface BatchOutcome {
  /** The loss of the whole batch, reduced as the loss reduces (mean or sum). */
  readonly loss: number;
  /** Samples whose highest output is their label. */
  readonly correct: number;
}

/**
 * How a training step gets its gradients: forward (train mode), loss and backward over a batch,
 * leaving dLoss/dθ of the whole batch in every `network.parameters[i].grad`. fit() runs the
 * optimiser step after it. The default is `wholeBatchStep`; data-parallel training
 * (`createShardedStep`) computes the same quantity from fixed micro-shards of the batch.
 */
export interface GradientStep {
  compute(images: Tensor, labels: Int32Array): BatchOutcome;
  /** Threads it keeps busy (1 when absent). */
  readonly threads?: number;
  /** Stops worker threads, if the step has any. */
  dispose?(): Promise<void>;
}

/**
 * Forward, loss and backward of `images` on `network`, with the loss gradient multiplied by
 * `weight` first (a micro-shard's share of the batch; 1 for a whole batch, which leaves the
 * gradient untouched). Gradients are written into the network's parameter grads.
 */
export function runPass(network: Network, loss: Loss, images: Tensor, labels: Int32Array, weight = 1): BatchOutcome {
  const forward = network.forward(images, 'train', { reuse: true });
  const result = loss.forward(forward.output, labels);
  const correct = countCorrect(network.backend.argmaxRows(forward.output), labels);
  const grad = result.backward();
  if (weight !== 1) network.backend.scale(grad, weight, grad);
  forward.backward(grad);
  return { loss: result.loss, correct };
}

/** The whole batch in one pass on the calling thread. */
export function wholeBatchStep(network: Network, loss: Loss): GradientStep {
  return { compute: (images, labels) => runPass(network, loss, images, labels) };
}
