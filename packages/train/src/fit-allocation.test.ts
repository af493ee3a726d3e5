import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '@scratchnet/spec';
import { type Backend, type Tensor, createRng, createWasmBackend } from '@scratchnet/tensor';
import { buildNetwork, createTrainingParts, fit } from './index.js';
import { createBuiltinRegistry, validated, validatedModel } from './test-builtins.js';
import { syntheticData } from './test-fixtures.js';

/**
 * Wraps a backend to record, per epoch, every tensor it allocates: backend.zeros calls and
 * kernel calls that return a tensor none of their arguments is (no `out` was given).
 */
function recordingBackend(inner: Backend) {
  const allocations: { epoch: number; what: string; size: number }[] = [];
  let epoch = 0;
  const wrapped: Record<string, unknown> = { name: inner.name };
  for (const [key, value] of Object.entries(inner)) {
    if (typeof value !== 'function') continue;
    wrapped[key] = (...args: unknown[]) => {
      const result = (value as (...a: unknown[]) => unknown).apply(inner, args);
      const tensor = result as Tensor;
      if (key === 'zeros' || (typeof tensor === 'object' && tensor !== null && 'shape' in tensor && !args.includes(result))) {
        allocations.push({ epoch, what: key, size: tensor.size });
      }
      return result;
    };
  }
  return { backend: wrapped as unknown as Backend, allocations, setEpoch: (e: number) => (epoch = e) };
}

const MLP = {
  input: [12],
  layers: [{ type: 'dense', units: 32, weightInit: 'he-normal' }, 'relu', { type: 'dense', units: 16 }, 'tanh', { type: 'dense', units: 3 }],
};
// Every conv-family layer: conv (GEMM and direct kernels), batch norm, both pools, reshape.
const CONV = {
  input: [12],
  layers: [
    { type: 'reshape', shape: [1, 3, 4] },
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' },
    { type: 'batch-norm' },
    'relu',
    { type: 'conv2d', filters: 5, kernelSize: 2, stride: 2, padding: 'same' },
    { type: 'max-pool2d', poolSize: [1, 2], padding: 'same' },
    { type: 'avg-pool2d', poolSize: 1 },
    'flatten',
    { type: 'dense', units: 3 },
  ],
};

describe('fit on the wasm backend', () => {
  it.each([['an MLP', MLP], ['a conv net with batch norm and pooling', CONV]])('allocates no large tensor and grows no wasm memory after the first epoch: %s', async (_label, spec) => {
    const registry = createBuiltinRegistry();
    const wasm = createWasmBackend();
    const recording = recordingBackend(wasm);
    const batchSize = 8;
    const classes = 3;
    // 30 samples in batches of 8: three full batches and a last one of 6, both sizes every epoch.
    const data = syntheticData(30, 12, classes, 4);
    const model = validatedModel(registry, spec.input, spec.layers);
    const network = buildNetwork(model, registry, { seed: 3, backend: recording.backend, classes });
    const parts: Pick<ExperimentConfig, 'loss' | 'optimiser' | 'schedule' | 'training'> = {
      loss: validated(registry, 'loss', 'softmax-cross-entropy'),
      optimiser: validated(registry, 'optimiser', { type: 'sgd', momentum: 0.9, weightDecay: 1e-3 }),
      schedule: validated(registry, 'schedule', { type: 'fixed', learningRate: 0.1 }),
      training: { epochs: 3, batchSize, lastBatch: 'keep', shuffle: true, backend: 'wasm', threads: 1 },
    };
    const { loss, optimiser, schedule } = createTrainingParts(parts, registry, network, data.count);
    const memory: number[] = [];
    const result = await fit(network, {
      loss,
      optimiser,
      schedule,
      training: parts.training,
      rng: createRng(8),
      train: data,
      onEvent: (event) => {
        if (event.event !== 'epoch-end') return;
        recording.setEpoch(event.epoch);
        memory.push(wasm.workspaceBytes);
      },
    });
    expect(result.status).toBe('completed');
    // Large: more than a batch of class scores (the loss's own [8, 3] results are small by design).
    const large = recording.allocations.filter((a) => a.size > batchSize * classes);
    expect(large.filter((a) => a.epoch === 0).length).toBeGreaterThan(0);
    expect(large.filter((a) => a.epoch > 0)).toEqual([]);
    expect(memory).toEqual([memory[0], memory[0], memory[0]]);
  });
});
