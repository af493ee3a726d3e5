import { initialisers } from '@scratchnet/initialisers';
import { layers } from '@scratchnet/layers';
import { losses } from '@scratchnet/losses';
import { optimisers, schedules } from '@scratchnet/optimisers';
import { createRegistry } from '@scratchnet/registry';
import { defineLayer, SPEC_VERSION, type ModelConfig } from '@scratchnet/spec';
import { createRng, createWasmBackend } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { fit } from '../fit.js';
import { buildNetwork, type Network } from '../network.js';
import { createBuiltinRegistry, validated, validatedModel } from '../test-builtins.js';
import { syntheticData } from '../test-fixtures.js';
import { createTrainingParts } from '../training-parts.js';
import { createDataParallelStep, workerArgv } from './workers.node.js';

// The workers run the built worker module (dist/data-parallel/worker.node.js): build the package first.
const registry = createBuiltinRegistry();
const model = validatedModel(registry, [12], [{ type: 'dense', units: 16 }, { type: 'relu' }, { type: 'dense', units: 4 }]);
const experiment = {
  loss: validated(registry, 'loss', { type: 'softmax-cross-entropy' }),
  optimiser: validated(registry, 'optimiser', { type: 'adam' }),
  schedule: validated(registry, 'schedule', { type: 'fixed', learningRate: 0.01 }),
  training: { epochs: 2, batchSize: 30, lastBatch: 'keep', shuffle: true, backend: 'wasm', threads: 1 } as const,
};
// 91 samples: batches of 30, 30, 30 and 1, so the last leaves three of four shards (and their threads) empty.
const data = syntheticData(91, 12, 4, 9);

/** Trains two epochs (4 batches each, the last one of a single sample) and returns the weights and the step's threads. */
async function train(shards: number, threads: number, modelConfig: ModelConfig = model): Promise<{ weights: number[][]; busy: number }> {
  const backend = createWasmBackend();
  const network: Network = buildNetwork(modelConfig, registry, { seed: 3, backend, classes: 4 });
  const parts = createTrainingParts(experiment, registry, network, data.count);
  const gradients = await createDataParallelStep(network, parts.loss, { model: modelConfig, loss: experiment.loss, classes: 4, shards, threads });
  try {
    await fit(network, { ...parts, train: data, training: experiment.training, rng: createRng(1), gradients });
  } finally {
    await gradients.dispose?.();
  }
  return { weights: network.parameters.map((p) => Array.from(p.value.data)), busy: gradients.threads ?? 1 };
}

describe('createDataParallelStep', () => {
  it('trains the same model bit for bit on 1, 2 and 4 threads, with workers busy', async () => {
    const one = await train(4, 1);
    const two = await train(4, 2);
    const four = await train(4, 4);
    expect([one.busy, two.busy, four.busy]).toEqual([1, 2, 4]);
    expect(two.weights).toEqual(one.weights);
    expect(four.weights).toEqual(one.weights);
  });

  it('depends on the shard count, not the threads: 2 shards on 2 threads equal 2 shards on 1', async () => {
    const one = await train(2, 1);
    const two = await train(2, 2);
    expect(two.busy).toBe(2);
    expect(two.weights).toEqual(one.weights);
    expect(two.weights).not.toEqual((await train(4, 2)).weights);
  });

  it('refuses a shard count that is not a power of two up to 16', async () => {
    const network = buildNetwork(model, registry, { seed: 3, backend: createWasmBackend(), classes: 4 });
    const parts = createTrainingParts(experiment, registry, network, data.count);
    await expect(createDataParallelStep(network, parts.loss, { model, loss: experiment.loss, classes: 4, shards: 3, threads: 2 })).rejects.toThrow(
      /shards must be 1, 2, 4, 8 or 16, got 3/,
    );
  });

  it('fails to start, naming the cause, when a worker cannot build the model', async () => {
    // Workers build replicas from the built-in plugins: a layer registered only here is unknown to them.
    const custom = defineLayer<Record<string, never>>({
      kind: 'layer',
      type: 'only-here',
      specVersion: SPEC_VERSION,
      description: 'identity',
      optionsSchema: { type: 'object', additionalProperties: false },
      outputShape: (shape) => shape,
      create: () => ({ params: {}, forward: (input) => ({ output: input, backward: (grad) => grad }) }),
    });
    const local = createRegistry();
    for (const plugin of [...layers, ...losses, ...optimisers, ...schedules, ...initialisers, custom]) local.register(plugin);
    const withCustom = validatedModel(local, [12], [{ type: 'dense', units: 4 }, { type: 'only-here' }]);
    const network = buildNetwork(withCustom, local, { seed: 3, backend: createWasmBackend(), classes: 4 });
    const loss = local.get('loss', 'softmax-cross-entropy').create(experiment.loss as never, { backend: network.backend });
    await expect(createDataParallelStep(network, loss, { model: withCustom, loss: experiment.loss, classes: 4, shards: 2, threads: 2 })).rejects.toThrow(
      /worker failed to start.*only-here/s,
    );
  });
});

describe('workerArgv', () => {
  it('passes Node options on, and leaves out export conditions and the V8 options a worker refuses', () => {
    const argv = ['--conditions=source', '-C', 'dev', '--experimental-wasm-relaxed-simd', '--max-old-space-size', '4096', '--stack-trace-limit=50', '--require', './setup.cjs', '--enable-source-maps'];
    expect(workerArgv(argv)).toEqual(['--require', './setup.cjs', '--enable-source-maps']);
  });
});
