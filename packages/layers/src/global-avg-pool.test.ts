import { createLayerBuffers } from '@scratchnet/spec';
import { checkBatchInvariance, checkGradients, createTestContext, lintPlugin } from '@scratchnet/testkit';
import { Tensor, createJsBackend, createRng, createWasmBackend } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { globalAvgPool } from './global-avg-pool.js';
import { expectBuffersMatchAllocating, expectInputGradientSkipped } from './test-buffers.js';
import { forwardValues } from './test-helpers.js';

describe('global-avg-pool', () => {
  it('averages each channel over height and width and spreads the gradient evenly', () => {
    const { result } = forwardValues(globalAvgPool, {}, [2, 2, 3], [1, 2, 3, 4, 5, 6, -6, 0, 6, 12, 0, 0]);
    expect(result.output.shape).toEqual([1, 2]);
    expect([...result.output.data]).toEqual([3.5, 2]);
    const dx = result.backward(Tensor.from([1, 2], [6, -12], 'float64'), {});
    expect(dx!.shape).toEqual([1, 2, 2, 3]);
    expect([...dx!.data]).toEqual([1, 1, 1, 1, 1, 1, -2, -2, -2, -2, -2, -2]);
  });

  it('maps [channels, height, width] to [channels] and rejects other shapes with a ShapeError', () => {
    const options = { type: 'global-avg-pool' };
    expect(globalAvgPool.outputShape([16, 7, 7], options)).toEqual([16]);
    expect(globalAvgPool.outputShape([3, 1, 1], options)).toEqual([3]);
    expect(globalAvgPool.outputShape([5, 9, 2], options)).toEqual([5]);
    expect(() => globalAvgPool.outputShape([16, 49], options)).toThrow(
      /^layer \(global-avg-pool\): expected input \[channels, height, width\] \(3-D\), got \[16, 49\]\. A global-avg-pool layer needs images/,
    );
    for (const shape of [[], [4], [1, 2, 3, 4], [0, 3, 3]]) expect(() => globalAvgPool.outputShape(shape, options)).toThrow('layer (global-avg-pool)');
  });

  it('passes the gradient check over 3 seeds on odd sizes, and is batch invariant', () => {
    for (const inputShape of [[3, 5, 7], [1, 1, 4], [2, 3, 1]]) {
      const report = checkGradients(globalAvgPool, {}, { inputShape, seeds: [1, 2, 3] });
      expect(Object.keys(report.tensors)).toEqual(['input']);
      expect(report.maxRelativeError).toBeLessThan(1e-6);
    }
    expect(checkBatchInvariance(globalAvgPool, {}, { inputShape: [4, 3, 5], seed: 3 }).maxDifference).toBe(0);
  });

  it('writes into the buffers it is given (output straight as [n, c]) and allocates nothing on a same-shape step', () => {
    for (const mode of ['train', 'eval'] as const) expectBuffersMatchAllocating(globalAvgPool, {}, { inputShape: [3, 4, 5], mode });
    expectInputGradientSkipped(globalAvgPool, {}, [2, 3, 3]);
    const backend = createJsBackend();
    const layer = globalAvgPool.create({ type: 'global-avg-pool' }, createTestContext({ inputShape: [2, 2, 2], seed: 1, backend }));
    const buffers = createLayerBuffers(backend);
    const { output } = layer.forward(Tensor.zeros([3, 2, 2, 2], 'float64'), 'train', buffers);
    expect(output).toBe(buffers.get('output', [3, 2], 'float64'));
  });

  it('gives identical float32 results on the wasm backend and the JS backend, and passes lintPlugin', () => {
    const rng = createRng(5);
    const x = Tensor.from([3, 6, 7, 7], Array.from({ length: 3 * 6 * 49 }, () => rng.uniform(-1, 1)));
    const dy = Tensor.from([3, 6], Array.from({ length: 18 }, () => rng.uniform(-1, 1)));
    const run = (backend: ReturnType<typeof createJsBackend>) => {
      const layer = globalAvgPool.create({ type: 'global-avg-pool' }, createTestContext({ inputShape: [6, 7, 7], seed: 1, dtype: 'float32', backend }));
      const result = layer.forward(x, 'train');
      return [[...result.output.data], [...result.backward(dy, {})!.data]];
    };
    expect(run(createWasmBackend())).toEqual(run(createJsBackend()));
    expect(lintPlugin(globalAvgPool).problems).toEqual([]);
  });
});
