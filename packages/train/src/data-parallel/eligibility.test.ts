import { ConfigError } from '@scratchnet/spec';
import { relu } from '@scratchnet/layers';
import { createRegistry } from '@scratchnet/registry';
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry, validatedModel } from '../test-builtins.js';
import { dataParallelObstacle, productFlops, useDataParallel } from './eligibility.js';

const registry = createBuiltinRegistry();
const mlp = (units: number): ReturnType<typeof validatedModel> =>
  validatedModel(registry, [784], [{ type: 'dense', units }, { type: 'relu' }, { type: 'dense', units: 10 }]);
const cnn = validatedModel(registry, [1, 28, 28], [
  { type: 'conv2d', filters: 6, kernelSize: 5 },
  { type: 'relu' },
  { type: 'max-pool2d', poolSize: 2 },
  { type: 'flatten' },
  { type: 'dense', units: 10 },
]);

describe('dataParallelObstacle', () => {
  it('accepts built-in layers that see only their own samples', () => {
    expect(dataParallelObstacle(mlp(30), 'softmax-cross-entropy', registry)).toBeUndefined();
    expect(dataParallelObstacle(cnn, 'sum-squared-error', registry)).toBeUndefined();
  });

  it('names the layer that depends on the whole batch or draws random numbers', () => {
    const withDropout = validatedModel(registry, [784], [{ type: 'dense', units: 30 }, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 10 }]);
    expect(dataParallelObstacle(withDropout, 'softmax-cross-entropy', registry)).toBe(
      'model.layers[1] (dropout) depends on the whole batch or draws random numbers in training',
    );
    const withNorm = validatedModel(registry, [784], [{ type: 'dense', units: 30 }, { type: 'batch-norm' }, { type: 'dense', units: 10 }]);
    expect(dataParallelObstacle(withNorm, 'softmax-cross-entropy', registry)).toMatch(/model\.layers\[1\] \(batch-norm\)/);
  });

  it('refuses a plugin that replaces a built-in, and a loss that is not built in', () => {
    const replaced = createRegistry();
    replaced.register({ ...relu });
    for (const plugin of ['dense']) replaced.register(registry.get('layer', plugin));
    expect(dataParallelObstacle(mlp(30), 'softmax-cross-entropy', replaced)).toBe('model.layers[1] (relu) is a replacement of the built-in plugin');
    expect(dataParallelObstacle(mlp(30), 'my-loss', registry)).toBe('the loss (my-loss) is not a built-in loss');
  });
});

describe('useDataParallel', () => {
  const two = (batchSize: number): { batchSize: number; shards: number; wasm: boolean } => ({ batchSize, shards: 2, wasm: true });
  const perSample = (units: number): number => 2 * 784 * units + 2 * units * 10;

  it('picks data parallelism on auto when each shard has 3 MFLOP of forward work, never on split', () => {
    expect(productFlops(mlp(50), registry)).toEqual({ total: perSample(50), largest: 2 * 784 * 50 });
    // 50 samples x 79,400 flops = 4.0 MFLOP per shard.
    expect(useDataParallel('auto', mlp(50), 'softmax-cross-entropy', registry, two(100))).toBe(true);
    expect(useDataParallel('split', mlp(50), 'softmax-cross-entropy', registry, two(100))).toBe(false);
    // 32 x 47,640 = 1.5 MFLOP per shard: too little work to share; so is a batch of 10.
    expect(useDataParallel('auto', mlp(30), 'softmax-cross-entropy', registry, two(64))).toBe(false);
    expect(useDataParallel('auto', mlp(50), 'softmax-cross-entropy', registry, two(10))).toBe(false);
    // More shards, less work each.
    expect(useDataParallel('auto', mlp(50), 'softmax-cross-entropy', registry, { batchSize: 100, shards: 4, wasm: true })).toBe(false);
    // The JS kernels have no shared memory for workers: auto stays split there, data still shards.
    expect(useDataParallel('auto', mlp(50), 'softmax-cross-entropy', registry, { ...two(100), wasm: false })).toBe(false);
    expect(useDataParallel('data', mlp(50), 'softmax-cross-entropy', registry, { ...two(100), wasm: false })).toBe(true);
  });

  it('keeps the split of large products: 2 x 128 x 784 x 512 = 103 MFLOP in one product', () => {
    expect(useDataParallel('auto', mlp(512), 'softmax-cross-entropy', registry, two(128))).toBe(false);
    expect(useDataParallel('data', mlp(512), 'softmax-cross-entropy', registry, two(128))).toBe(true);
  });

  it('counts a convolution as output size x input channels x kernel area', () => {
    expect(productFlops(cnn, registry).largest).toBe(2 * 6 * 24 * 24 * 1 * 5 * 5);
    expect(useDataParallel('auto', cnn, 'softmax-cross-entropy', registry, two(64))).toBe(true);
  });

  it('is a config error at training.parallelism when data is asked of a model that cannot', () => {
    const withDropout = validatedModel(registry, [784], [{ type: 'dense', units: 50 }, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 10 }]);
    expect(useDataParallel('auto', withDropout, 'softmax-cross-entropy', registry, two(100))).toBe(false);
    let error: unknown;
    try {
      useDataParallel('data', withDropout, 'softmax-cross-entropy', registry, two(100));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        path: ['training', 'parallelism'],
        message: 'is data, but model.layers[1] (dropout) depends on the whole batch or draws random numbers in training. Use parallelism: auto or split for this model.',
      },
    ]);
  });
});
