import { layers as builtinLayers } from '@scratchnet/layers';
import { losses as builtinLosses } from '@scratchnet/losses';
import { ConfigError, type ModelConfig, type PluginRegistry } from '@scratchnet/spec';
import { shapeSize } from '@scratchnet/tensor';
import { inferShapes } from '../shapes.js';
import { DEFAULT_SHARDS } from './plan.js';

/**
 * Built-in layers whose training forward and backward depend on nothing but the shard itself:
 * no statistics over the batch (batch norm) and no train-time randomness (dropout, which draws
 * from the model stream in batch order), so a micro-shard computes exactly its part of the batch.
 */
const SHARDABLE_LAYERS = new Set(['dense', 'sigmoid', 'tanh', 'relu', 'leaky-relu', 'softmax', 'flatten', 'reshape', 'conv2d', 'max-pool2d', 'avg-pool2d', 'global-avg-pool']);

/**
 * The measured rule for `auto` (apps/bench/README.md, 2-core VM): data parallelism pays when each
 * shard has at least this much forward work (LeNet-5: 27 MFLOP per 32-sample shard, 1.5x; the
 * tutorial-4 tanh MLP: 4.2 MFLOP per 50 samples, 1.3x). Below it, synchronising the threads and
 * the second core's lower speed when both run eat the gain (mlp-small: 1.7 MFLOP, 1.04x; the
 * sklearn tutorial's 5-sample shards run at half speed).
 */
export const DATA_PARALLEL_MIN_SHARD_FLOPS = 3_000_000;

/**
 * Above this many flops in one product per batch, splitting the products across threads beats
 * data parallelism (mlp-wide, 103 MFLOP: 31k against 27k samples/s): the GEMM splits well and
 * one network replica does less work than two.
 */
export const DATA_PARALLEL_MAX_FLOPS = 1 << 25;

export type Parallelism = 'auto' | 'data' | 'split';

/** Why a model cannot train data-parallel, or undefined when it can. */
export function dataParallelObstacle(model: ModelConfig, lossType: string, registry: PluginRegistry): string | undefined {
  for (const [index, layer] of model.layers.entries()) {
    const builtin = builtinLayers.find((plugin) => plugin.type === layer.type);
    if (!SHARDABLE_LAYERS.has(layer.type) || builtin === undefined) {
      return `model.layers[${index}] (${layer.type}) ${builtin === undefined ? 'is not a built-in layer' : 'depends on the whole batch or draws random numbers in training'}`;
    }
    if (registry.get('layer', layer.type) !== builtin) return `model.layers[${index}] (${layer.type}) is a replacement of the built-in plugin`;
  }
  const loss = builtinLosses.find((plugin) => plugin.type === lossType);
  if (loss === undefined || registry.get('loss', lossType) !== loss) return `the loss (${lossType}) is not a built-in loss`;
  return undefined;
}

/** Forward flops of one sample through the dense and convolution layers: in total, and of the largest. */
export function productFlops(model: ModelConfig, registry: PluginRegistry): { readonly total: number; readonly largest: number } {
  const shapes = inferShapes(model, registry);
  let total = 0;
  let largest = 0;
  model.layers.forEach((layer, index) => {
    const { inputShape, outputShape } = shapes.layers[index]!;
    let flops = 0;
    if (layer.type === 'dense') flops = 2 * shapeSize(inputShape) * shapeSize(outputShape);
    if (layer.type === 'conv2d') {
      const kernel = layer.kernelSize as number | readonly number[];
      const [kh, kw] = typeof kernel === 'number' ? [kernel, kernel] : [kernel[0]!, kernel[1]!];
      flops = 2 * shapeSize(outputShape) * inputShape[0]! * kh * kw;
    }
    total += flops;
    largest = Math.max(largest, flops);
  });
  return { total, largest };
}

/**
 * Whether training runs data-parallel: `data` when asked for (a ConfigError naming the obstacle when
 * the model cannot), never for `split`, and for `auto` on the wasm backend (`plan.wasm`; the JS
 * kernels have no shared memory for workers) when the model can, each shard has at least
 * DATA_PARALLEL_MIN_SHARD_FLOPS of forward work and no product reaches DATA_PARALLEL_MAX_FLOPS. Decided from the config alone, never from the thread count,
 * so the same config trains the same model on any machine.
 */
export function useDataParallel(
  parallelism: Parallelism,
  model: ModelConfig,
  lossType: string,
  registry: PluginRegistry,
  plan: { readonly batchSize: number; readonly shards?: number | undefined; readonly wasm: boolean },
): boolean {
  const { batchSize, shards = DEFAULT_SHARDS, wasm } = plan;
  if (parallelism === 'split') return false;
  const obstacle = dataParallelObstacle(model, lossType, registry);
  if (parallelism === 'data') {
    if (obstacle !== undefined) {
      throw new ConfigError([{ path: ['training', 'parallelism'], message: `is data, but ${obstacle}. Use parallelism: auto or split for this model.` }]);
    }
    return true;
  }
  if (obstacle !== undefined || !wasm) return false;
  const flops = productFlops(model, registry);
  return Math.floor(batchSize / shards) * flops.total >= DATA_PARALLEL_MIN_SHARD_FLOPS && batchSize * flops.largest < DATA_PARALLEL_MAX_FLOPS;
}
