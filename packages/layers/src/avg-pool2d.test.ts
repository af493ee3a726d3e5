import { createRegistry } from '@scratchnet/registry';
import { ShapeError } from '@scratchnet/spec';
import { checkBatchInvariance, checkGradients, createTestContext, lintPlugin, optionsWithDefaults } from '@scratchnet/testkit';
import { Tensor, createJsBackend, createRng, createWasmBackend } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { avgPool2d } from './avg-pool2d.js';
import type { Pool2dOptions } from './pool-window.js';
import { expectBuffersMatchAllocating, expectInputGradientSkipped } from './test-buffers.js';
import { forwardValues } from './test-helpers.js';

const full = (options: Partial<Pool2dOptions>) => optionsWithDefaults<Pool2dOptions>(avgPool2d, options);
const shapeOf = (inputShape: readonly number[], options: Partial<Pool2dOptions> = {}) => avgPool2d.outputShape(inputShape, full(options));

describe('avg-pool2d', () => {
  it('averages each 2×2 window and shares each gradient equally among its cells', () => {
    const values = [1, 2, 5, 0, 3, 4, -1, -2, 0, 0, 7, 8, -1, -5, 9, 6];
    const { result } = forwardValues(avgPool2d, {}, [1, 4, 4], values);
    expect(result.output.shape).toEqual([1, 1, 2, 2]);
    expect([...result.output.data]).toEqual([2.5, 0.5, -1.5, 7.5]);
    const dx = result.backward(Tensor.from([1, 1, 2, 2], [4, 8, -4, 2], 'float64'), {});
    expect([...dx!.data]).toEqual([1, 1, 2, 2, 1, 1, 2, 2, -1, -1, 0.5, 0.5, -1, -1, 0.5, 0.5]);
  });

  it('does not count padding cells (count_include_pad = 0): border windows average only image cells', () => {
    const { result } = forwardValues(avgPool2d, { poolSize: 3, stride: 1, padding: 1 }, [1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Corner (0, 0): (1 + 2 + 4 + 5) / 4; edge (0, 1): (1 + 2 + 3 + 4 + 5 + 6) / 6; centre: 45 / 9.
    expect([...result.output.data]).toEqual([3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7]);
    const ones = forwardValues(avgPool2d, { poolSize: 2, padding: 'same' }, [2, 3, 5], new Array<number>(30).fill(1)).result;
    expect(ones.output.shape).toEqual([1, 2, 2, 3]);
    expect([...ones.output.data]).toEqual(new Array<number>(12).fill(1));
  });

  it('outputs [channels, oh, ow] for odd sizes, strides, paddings and same', () => {
    expect(shapeOf([1, 28, 28])).toEqual([1, 14, 14]);
    expect(shapeOf([3, 7, 9])).toEqual([3, 3, 4]);
    expect(shapeOf([3, 7, 9], { poolSize: 3, stride: 2, padding: 1 })).toEqual([3, 4, 5]);
    expect(shapeOf([4, 7, 9], { poolSize: [1, 3], stride: [2, 3] })).toEqual([4, 4, 3]);
    expect(shapeOf([5, 7, 9], { poolSize: 3, padding: 'same' })).toEqual([5, 3, 3]);
  });

  it('rejects what max-pool2d rejects, naming avg-pool2d', () => {
    expect(() => shapeOf([10])).toThrow(ShapeError);
    expect(() => shapeOf([10])).toThrow(/^layer \(avg-pool2d\): expected input \[channels, height, width\] \(3-D\), got \[10\]/);
    expect(() => shapeOf([3, 2, 2], { poolSize: 3 })).toThrow(/^layer \(avg-pool2d\): expected input at least \[3, 3, 3\] for poolSize \[3, 3\]/);
    expect(() => shapeOf([3, 8, 8], { poolSize: 3, padding: [0, 3] })).toThrow(/every padding side smaller than poolSize \[3, 3\], got \[3, 8, 8\] with padding \[0, 3, 0, 3\]/);
  });

  it('passes the gradient check over 3 seeds: 2×2, odd sizes with stride 2, overlapping windows, padding', () => {
    const cases: ReadonlyArray<readonly [Partial<Pool2dOptions>, readonly number[]]> = [
      [{}, [2, 4, 4]],
      [{ poolSize: 3, stride: 2 }, [3, 7, 5]],
      [{ poolSize: 3, stride: 1, padding: 1 }, [2, 4, 5]],
      [{ poolSize: [2, 3], stride: [2, 1], padding: 'same' }, [1, 5, 4]],
    ];
    for (const [options, inputShape] of cases) {
      const report = checkGradients(avgPool2d, options, { inputShape, batch: 2, seeds: [1, 2, 3] });
      expect(Object.keys(report.tensors)).toEqual(['input']);
      expect(report.maxRelativeError).toBeLessThan(1e-6);
    }
  });

  it('treats every sample of a batch independently', () => {
    expect(checkBatchInvariance(avgPool2d, { poolSize: 3, stride: 2, padding: 1 }, { inputShape: [3, 6, 5], seed: 2 }).maxDifference).toBe(0);
  });

  it('writes into the buffers it is given, allocates nothing on a same-shape step, and skips dx without inputGradient', () => {
    for (const mode of ['train', 'eval'] as const) {
      expectBuffersMatchAllocating(avgPool2d, {}, { inputShape: [3, 4, 6], mode });
      expectBuffersMatchAllocating(avgPool2d, { poolSize: 3, stride: 2, padding: 'same' }, { inputShape: [2, 5, 5], mode });
    }
    expectInputGradientSkipped(avgPool2d, {}, [2, 4, 4]);
  });

  it('gives identical float32 results on the wasm backend and the JS backend', () => {
    const options = full({ poolSize: 2 });
    const rng = createRng(4);
    const x = Tensor.from([3, 5, 12, 13], Array.from({ length: 3 * 5 * 12 * 13 }, () => rng.uniform(-1, 1)));
    const dy = Tensor.from([3, 5, 6, 6], Array.from({ length: 3 * 5 * 6 * 6 }, () => rng.uniform(-1, 1)));
    const run = (backend: ReturnType<typeof createJsBackend>) => {
      const layer = avgPool2d.create(options, createTestContext({ inputShape: [5, 12, 13], seed: 1, dtype: 'float32', backend }));
      const result = layer.forward(x, 'train');
      return [[...result.output.data], [...result.backward(dy, {})!.data]];
    };
    expect(run(createWasmBackend())).toEqual(run(createJsBackend()));
  });

  it('passes lintPlugin and validates its options like max-pool2d', () => {
    expect(lintPlugin(avgPool2d).problems).toEqual([]);
    const registry = createRegistry();
    registry.register(avgPool2d, 'test');
    expect(registry.validateOptions('layer', 'avg-pool2d').value).toEqual({ type: 'avg-pool2d', poolSize: 2, padding: 'valid' });
    expect(registry.validateOptions('layer', { type: 'avg-pool2d', stride: [1, 0] }).issues).toHaveLength(1);
    expect(registry.validateOptions('layer', { type: 'avg-pool2d', padding: -2 }).issues).not.toEqual([]);
  });
});
