import type { Loss, ModelConfig, PluginRegistry } from '@scratchnet/spec';
import { createJsBackend, Tensor, type DType } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { wholeBatchStep } from '../gradient-step.js';
import { buildNetwork, type Network } from '../network.js';
import { createBuiltinRegistry, validated, validatedModel } from '../test-builtins.js';
import { createShardedStep } from './sharded-step.js';

const registry = createBuiltinRegistry();
const model = validatedModel(registry, [6], [{ type: 'dense', units: 5 }, { type: 'tanh' }, { type: 'dense', units: 3 }]);

function setUp(dtype: DType, lossType: string, modelConfig: ModelConfig = model, reg: PluginRegistry = registry): { network: Network; loss: Loss } {
  const backend = createJsBackend();
  const network = buildNetwork(modelConfig, reg, { seed: 5, backend, dtype, classes: 3 });
  const loss = reg.get('loss', lossType).create(validated(reg, 'loss', { type: lossType }) as never, { backend });
  return { network, loss };
}

function batch(n: number, dtype: DType): { images: Tensor; labels: Int32Array } {
  const images = Tensor.zeros([n, 6], dtype);
  images.data.forEach((_, i) => (images.data[i] = Math.sin(i * 0.7) * 2));
  return { images, labels: Int32Array.from({ length: n }, (_, i) => (i * 7) % 3) };
}

const grads = (network: Network): number[][] => network.parameters.map((p) => Array.from(p.grad.data));

describe('createShardedStep', () => {
  it('with one shard is the whole-batch pass, bit for bit', () => {
    const a = setUp('float32', 'softmax-cross-entropy');
    const b = setUp('float32', 'softmax-cross-entropy');
    const { images, labels } = batch(9, 'float32');
    const whole = wholeBatchStep(a.network, a.loss).compute(images, labels);
    const sharded = createShardedStep(b.network, b.loss, { shards: 1 }).compute(images, labels);
    expect(sharded).toEqual(whole);
    expect(grads(b.network)).toEqual(grads(a.network));
  });

  for (const lossType of ['softmax-cross-entropy', 'sum-squared-error']) {
    for (const [n, shards] of [[12, 2], [10, 4], [3, 4]] as const) {
      it(`sums ${shards} shards of a batch of ${n} to the batch's gradient and loss (${lossType}, float64)`, () => {
        const a = setUp('float64', lossType);
        const b = setUp('float64', lossType);
        const { images, labels } = batch(n, 'float64');
        const whole = wholeBatchStep(a.network, a.loss).compute(images, labels);
        const sharded = createShardedStep(b.network, b.loss, { shards }).compute(images, labels);
        expect(sharded.correct).toBe(whole.correct);
        expect(sharded.loss).toBeCloseTo(whole.loss, 12);
        const expected = grads(a.network).flat();
        const actual = grads(b.network).flat();
        expect(actual.some((g) => g !== 0)).toBe(true);
        actual.forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 12));
      });
    }
  }

  it('gives the same gradients whichever shards were computed last', () => {
    const net = setUp('float32', 'softmax-cross-entropy');
    const step = createShardedStep(net.network, net.loss, { shards: 4 });
    const first = batch(8, 'float32');
    step.compute(first.images, first.labels);
    const once = grads(net.network);
    const other = batch(5, 'float32');
    step.compute(other.images, other.labels);
    step.compute(first.images, first.labels);
    expect(grads(net.network)).toEqual(once);
  });
});
