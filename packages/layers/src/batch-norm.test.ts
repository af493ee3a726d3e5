import { createRegistry } from '@scratchnet/registry';
import { ConfigError, type InitialiserPlugin, SPEC_VERSION, ShapeError } from '@scratchnet/spec';
import { checkBatchInvariance, checkGradients, createTestContext, lintPlugin, optionsWithDefaults } from '@scratchnet/testkit';
import { type Backend, Tensor, createJsBackend, createRng, createWasmBackend } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { type BatchNormOptions, batchNorm } from './batch-norm.js';
import { expectBuffersMatchAllocating, expectInputGradientSkipped } from './test-buffers.js';

const full = (options: Partial<BatchNormOptions> = {}) => optionsWithDefaults<BatchNormOptions>(batchNorm, options);

/** A float64 batch-norm layer with gamma and beta set (the test context draws them at random). */
function build(inputShape: readonly number[], gamma: readonly number[], beta: readonly number[], options: Partial<BatchNormOptions> = {}) {
  const layer = batchNorm.create(full(options), createTestContext({ inputShape, seed: 1 }));
  layer.params['gamma']!.data.set(gamma);
  layer.params['beta']!.data.set(beta);
  return layer;
}

const grads = (c: number) => ({ gamma: Tensor.zeros([c], 'float64'), beta: Tensor.zeros([c], 'float64') });

describe('batch-norm', () => {
  it('normalises each feature with the batch statistics in training, then scales by gamma and shifts by beta', () => {
    const layer = build([2], [1, 2], [0, 10], { epsilon: 1e-12 });
    // Feature 0: 1, 3 (mean 2, variance 1); feature 1: 2, 6 (mean 4, variance 4).
    const result = layer.forward(Tensor.from([2, 2], [1, 2, 3, 6], 'float64'), 'train');
    expect(Array.from(result.output.data, (v) => Math.round(v * 1e9) / 1e9)).toEqual([-1, 8, 1, 12]);
    const g = grads(2);
    const dx = result.backward(Tensor.from([2, 2], [1, 1, 1, -1], 'float64'), g)!;
    // dbeta = Σ dy; dgamma = Σ dy·x̂ with x̂ = [-1, 1] per feature.
    expect([...g.beta.data]).toEqual([2, 0]);
    expect(Array.from(g.gamma.data, (v) => Math.round(v * 1e9) / 1e9)).toEqual([0, -2]);
    // With two samples x̂ is ±1 whatever x is, so the output cannot move: dx = 0 (up to ε).
    expect(Array.from(dx.data, (v) => Math.abs(v) < 1e-9)).toEqual([true, true, true, true]);
  });

  it('normalises [c, h, w] per channel over the batch and every position', () => {
    const layer = build([2, 2, 2], [1, 1], [0, 0]);
    const x = Tensor.from([2, 2, 2, 2], [1, 2, 3, 4, 10, 10, 10, 10, 5, 6, 7, 8, 20, 20, 20, 20], 'float64');
    const { output } = layer.forward(x, 'train');
    // Channel 0: 1..8, mean 4.5, variance 5.25; channel 1: 10 and 20, mean 15, variance 25.
    const norm = (v: number, mean: number, variance: number) => (v - mean) / Math.sqrt(variance + 1e-5);
    const expected = [...[1, 2, 3, 4].map((v) => norm(v, 4.5, 5.25)), ...[10, 10, 10, 10].map((v) => norm(v, 15, 25))];
    expected.push(...[5, 6, 7, 8].map((v) => norm(v, 4.5, 5.25)), ...[20, 20, 20, 20].map((v) => norm(v, 15, 25)));
    output.data.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
    // Running statistics (momentum 0.1): mean 0.1·batch mean; variance 0.9 + 0.1·unbiased (m = 8: · 8/7).
    expect(layer.state!['runningMean']!.data[0]).toBeCloseTo(0.45, 14);
    expect(layer.state!['runningMean']!.data[1]).toBeCloseTo(1.5, 14);
    expect(layer.state!['runningVariance']!.data[0]).toBeCloseTo(0.9 + (0.1 * 5.25 * 8) / 7, 14);
    expect(layer.state!['runningVariance']!.data[1]).toBeCloseTo(0.9 + (0.1 * 25 * 8) / 7, 14);
  });

  it('updates running statistics like PyTorch and uses them in eval mode', () => {
    const layer = build([3], [2, 1, 0.5], [0, 1, -1], { momentum: 0.25 });
    const rng = createRng(7);
    const running = { mean: [0, 0, 0], variance: [1, 1, 1] };
    for (let step = 0; step < 4; step++) {
      const n = 5 + step;
      const x = Tensor.from([n, 3], Array.from({ length: 3 * n }, () => rng.uniform(-2, 3)), 'float64');
      layer.forward(x, 'train');
      for (let f = 0; f < 3; f++) {
        const column = Array.from({ length: n }, (_, b) => x.data[b * 3 + f]!);
        const mean = column.reduce((a, v) => a + v, 0) / n;
        const unbiased = column.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
        running.mean[f] = 0.75 * running.mean[f]! + 0.25 * mean;
        running.variance[f] = 0.75 * running.variance[f]! + 0.25 * unbiased;
      }
    }
    layer.state!['runningMean']!.data.forEach((v, f) => expect(v).toBeCloseTo(running.mean[f]!, 13));
    layer.state!['runningVariance']!.data.forEach((v, f) => expect(v).toBeCloseTo(running.variance[f]!, 13));
    const x = Tensor.from([1, 3], [0.5, -1, 2], 'float64');
    const before = [...layer.state!['runningMean']!.data];
    const result = layer.forward(x, 'eval');
    expect([...layer.state!['runningMean']!.data]).toEqual(before); // eval leaves them alone
    const gamma = [2, 1, 0.5];
    const beta = [0, 1, -1];
    result.output.data.forEach((v, f) => {
      expect(v).toBeCloseTo(((x.data[f]! - running.mean[f]!) / Math.sqrt(running.variance[f]! + 1e-5)) * gamma[f]! + beta[f]!, 12);
    });
    // Eval backward: dx = dy·gamma/sqrt(running variance + ε).
    const dx = result.backward(Tensor.from([1, 3], [1, 1, 1], 'float64'), grads(3))!;
    dx.data.forEach((v, f) => expect(v).toBeCloseTo(gamma[f]! / Math.sqrt(running.variance[f]! + 1e-5), 12));
  });

  it('keeps an eval forward consistent with its backward even if training runs in between', () => {
    const layer = build([2], [1.5, -0.5], [0, 0]);
    const x = Tensor.from([2, 2], [1, 2, 3, 5], 'float64');
    const evaluation = layer.forward(x, 'eval');
    const expected = evaluation.backward(Tensor.from([2, 2], [1, 2, 3, 4], 'float64'), grads(2))!.data.slice();
    const again = layer.forward(x, 'eval');
    layer.forward(Tensor.from([2, 2], [9, 9, -9, 0], 'float64'), 'train');
    expect([...again.backward(Tensor.from([2, 2], [1, 2, 3, 4], 'float64'), grads(2))!.data]).toEqual([...expected]);
  });

  it('refuses a 1-sample batch in training with a ConfigError pointing at training.batchSize; eval takes one sample', () => {
    const layer = build([3, 2, 2], [1, 1, 1], [0, 0, 0]);
    const one = Tensor.zeros([1, 3, 2, 2], 'float64');
    expect(() => layer.forward(one, 'train')).toThrow(ConfigError);
    expect(() => layer.forward(one, 'train')).toThrow(
      'training.batchSize (batch-norm): a training batch of 1 sample reached a batch-norm layer, which needs at least 2 samples ' +
        "per batch in training (it normalises with the batch's own mean and variance). Use batchSize >= 2; if the training set " +
        'leaves a last batch of 1 (samples % batchSize = 1), set training.lastBatch: drop or choose another batchSize.',
    );
    expect(layer.forward(one, 'eval').output.shape).toEqual([1, 3, 2, 2]);
  });

  it('creates gamma and beta with their initialisers (ones and zeros by default), running mean 0 and variance 1, no weight decay', () => {
    const calls: unknown[] = [];
    const context = createTestContext({ inputShape: [4, 3, 3], seed: 1 });
    const spy = {
      ...context,
      initialise: (ref: unknown, shape: readonly number[], fan: { fanIn: number; fanOut: number }) => {
        calls.push([ref, shape, fan]);
        return context.initialise('ignored', shape, fan);
      },
    };
    const layer = batchNorm.create(full(), spy);
    expect(calls).toEqual([
      [{ type: 'constant', value: 1 }, [4], { fanIn: 1, fanOut: 1 }],
      ['zeros', [4], { fanIn: 1, fanOut: 1 }],
    ]);
    expect(Object.keys(layer.params)).toEqual(['gamma', 'beta']);
    expect(layer.decayed).toEqual([]);
    expect(Object.keys(layer.state!)).toEqual(['runningMean', 'runningVariance']);
    expect([...layer.state!['runningMean']!.data]).toEqual([0, 0, 0, 0]);
    expect([...layer.state!['runningVariance']!.data]).toEqual([1, 1, 1, 1]);
    expect(batchNorm.create(full(), createTestContext({ inputShape: [6], seed: 1, dtype: 'float32' })).state!['runningMean']!.dtype).toBe('float32');
  });

  it('keeps any per-sample shape, channels first, and rejects invalid ones with a ShapeError', () => {
    expect(batchNorm.outputShape([16, 7, 5], full())).toEqual([16, 7, 5]);
    expect(batchNorm.outputShape([30], full())).toEqual([30]);
    expect(batchNorm.outputShape([4, 9], full())).toEqual([4, 9]);
    for (const shape of [[], [0], [3, 0], [2.5]]) expect(() => batchNorm.outputShape(shape, full())).toThrow(ShapeError);
    expect(() => batchNorm.outputShape([], full())).toThrow('layer (batch-norm): expected input');
  });

  it('passes the gradient check over 3 seeds in train mode (through the batch statistics) and eval mode', () => {
    for (const inputShape of [[3, 2, 3], [5], [2, 1, 1], [1, 3, 2]]) {
      const train = checkGradients(batchNorm, {}, { inputShape, batch: 3, seeds: [1, 2, 3] });
      expect(Object.keys(train.tensors)).toEqual(['input', 'gamma', 'beta']);
      expect(train.maxRelativeError).toBeLessThan(1e-6);
      const evaluation = checkGradients(batchNorm, { epsilon: 0.1 }, { inputShape, batch: 2, seeds: [1, 2, 3], mode: 'eval' });
      expect(evaluation.maxRelativeError).toBeLessThan(1e-6);
    }
    // Larger batches and momentum do not change the maths.
    expect(checkGradients(batchNorm, { momentum: 0.5 }, { inputShape: [4, 2, 2], batch: 5, seeds: [4, 5, 6] }).maxRelativeError).toBeLessThan(1e-6);
  });

  it('treats samples independently in eval mode (train mode mixes them by design)', () => {
    expect(checkBatchInvariance(batchNorm, {}, { inputShape: [3, 2, 2], seed: 2 }).maxDifference).toBeLessThan(1e-12);
    expect(checkBatchInvariance(batchNorm, {}, { inputShape: [6], seed: 3 }).maxDifference).toBeLessThan(1e-12);
  });

  it('writes into the buffers it is given, allocates nothing on a same-shape step, and skips dx without inputGradient', () => {
    for (const mode of ['train', 'eval'] as const) {
      expectBuffersMatchAllocating(batchNorm, {}, { inputShape: [3, 2, 3], mode });
      expectBuffersMatchAllocating(batchNorm, {}, { inputShape: [5], mode });
    }
    expectInputGradientSkipped(batchNorm, {}, [3, 2, 2]);
    expectInputGradientSkipped(batchNorm, {}, [4], 'eval');
  });

  it('gives the same float32 results on the wasm backend as on the JS backend, in both modes', () => {
    const rng = createRng(3);
    const random = (shape: readonly number[]) => Tensor.from(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 2)));
    for (const inputShape of [[5, 6, 7], [13]]) {
      const x = random([4, ...inputShape]);
      const dy = random([4, ...inputShape]);
      const run = (backend: Backend) => {
        const layer = batchNorm.create(full(), createTestContext({ inputShape, seed: 4, dtype: 'float32', backend }));
        const values: Tensor[] = [];
        for (const mode of ['train', 'eval'] as const) {
          const g = { gamma: Tensor.zeros([inputShape[0]!]), beta: Tensor.zeros([inputShape[0]!]) };
          const result = layer.forward(x, mode);
          values.push(result.output, result.backward(dy, g)!, g.gamma, g.beta);
        }
        return [...values, layer.state!['runningMean']!, layer.state!['runningVariance']!];
      };
      const expected = run(createJsBackend());
      run(createWasmBackend()).forEach((tensor, i) => {
        const reference = expected[i]!;
        for (let k = 0; k < tensor.size; k++) expect(Math.abs(tensor.data[k]! - reference.data[k]!)).toBeLessThan(1e-5 * (1 + Math.abs(reference.data[k]!)));
      });
    }
  });
});

describe('batch-norm options schema', () => {
  const initialiser = (type: string): InitialiserPlugin => ({
    kind: 'initialiser',
    type,
    specVersion: SPEC_VERSION,
    description: `stub ${type}`,
    optionsSchema: { type: 'object', properties: { value: { type: 'number' } }, additionalProperties: false },
    create: () => ({ fill: () => undefined }),
  });
  const registry = createRegistry();
  for (const plugin of [batchNorm, initialiser('constant'), initialiser('zeros')]) registry.register(plugin, 'test');
  const messages = (options: Record<string, unknown>) =>
    registry.validateOptions('layer', { type: 'batch-norm', ...options }).issues.map((issue) => issue.message);

  it('passes lintPlugin and fills momentum 0.1, epsilon 1e-5 and the ones/zeros initialisers', () => {
    expect(lintPlugin(batchNorm).problems).toEqual([]);
    expect(lintPlugin(batchNorm, { example: { momentum: 0.01, epsilon: 1e-3 } }).problems).toEqual([]);
    const { value, issues } = registry.validateOptions('layer', 'batch-norm');
    expect(issues).toEqual([]);
    expect(value).toMatchObject({ type: 'batch-norm', momentum: 0.1, epsilon: 1e-5 });
  });

  it('rejects momentum outside [0, 1], epsilon <= 0 and unknown keys', () => {
    expect(messages({ momentum: 1.5 })).toHaveLength(1);
    expect(messages({ momentum: -0.1 })).toHaveLength(1);
    expect(messages({ epsilon: 0 })).toHaveLength(1);
    expect(messages({ momentum: 0, epsilon: 1e-3 })).toEqual([]);
    expect(messages({ eps: 1e-3 })[0]).toMatch(/^unknown option "eps"/);
  });
});
