import { createRegistry } from '@scratchnet/registry';
import { ShapeError } from '@scratchnet/spec';
import { checkBatchInvariance, checkGradients, createTestContext, lintPlugin, optionsWithDefaults } from '@scratchnet/testkit';
import { Tensor, createJsBackend, createRng, createWasmBackend } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { maxPool2d } from './max-pool2d.js';
import type { Pool2dOptions } from './pool-window.js';
import { expectBuffersMatchAllocating, expectInputGradientSkipped } from './test-buffers.js';
import { forwardValues } from './test-helpers.js';

const full = (options: Partial<Pool2dOptions>) => optionsWithDefaults<Pool2dOptions>(maxPool2d, options);
const shapeOf = (inputShape: readonly number[], options: Partial<Pool2dOptions> = {}) => maxPool2d.outputShape(inputShape, full(options));

describe('max-pool2d', () => {
  it('takes the maximum of each 2×2 window and routes each gradient to it', () => {
    const values = [1, 2, 5, 0, 3, 4, -1, -2, 0, 0, 7, 8, -1, -5, 9, 6];
    const { result } = forwardValues(maxPool2d, {}, [1, 4, 4], values);
    expect(result.output.shape).toEqual([1, 1, 2, 2]);
    expect([...result.output.data]).toEqual([4, 5, 0, 9]);
    const dx = result.backward(Tensor.from([1, 1, 2, 2], [1, 2, 3, 4], 'float64'), {});
    // Ties (the two zeros of the lower-left window) go to the first in row-major order.
    expect([...dx!.data]).toEqual([0, 0, 2, 0, 0, 1, 0, 0, 3, 0, 0, 0, 0, 0, 4, 0]);
  });

  it('never lets a padding cell win: an all-negative image stays negative', () => {
    const { result } = forwardValues(maxPool2d, { poolSize: 3, stride: 1, padding: 'same' }, [1, 3, 3], [-9, -8, -7, -6, -5, -4, -3, -2, -1]);
    expect([...result.output.data]).toEqual([-5, -4, -4, -2, -1, -1, -2, -1, -1]);
  });

  it('outputs [channels, oh, ow] for odd sizes, strides, paddings and same', () => {
    expect(shapeOf([1, 28, 28])).toEqual([1, 14, 14]);
    expect(shapeOf([3, 7, 9])).toEqual([3, 3, 4]);
    expect(shapeOf([3, 7, 9], { poolSize: 3, stride: 2 })).toEqual([3, 3, 4]);
    expect(shapeOf([3, 7, 9], { poolSize: 3, stride: 2, padding: 1 })).toEqual([3, 4, 5]);
    expect(shapeOf([2, 7, 9], { poolSize: [3, 2], stride: [1, 2], padding: [1, 0] })).toEqual([2, 7, 4]);
    expect(shapeOf([5, 7, 9], { poolSize: 2, padding: 'same' })).toEqual([5, 4, 5]);
    expect(shapeOf([5, 7, 8], { poolSize: 3, stride: 1, padding: 'same' })).toEqual([5, 7, 8]);
    expect(shapeOf([1, 5, 5], { poolSize: 5 })).toEqual([1, 1, 1]);
    // stride defaults to poolSize, not to 1
    expect(shapeOf([1, 9, 9], { poolSize: 3 })).toEqual([1, 3, 3]);
  });

  it('rejects a non-image input, a window that does not fit and padding that reaches a whole window with ShapeErrors', () => {
    expect(() => shapeOf([784])).toThrow(ShapeError);
    expect(() => shapeOf([784])).toThrow(
      'layer (max-pool2d): expected input [channels, height, width] (3-D), got [784]. A max-pool2d layer needs images: use ' +
        'model.input [1, 28, 28] or add { type: reshape, shape: [1, 28, 28] } before it (after a flatten, move the flatten ' +
        'after the last conv or pooling layer).',
    );
    for (const shape of [[], [3, 4], [1, 2, 3, 4], [3, 0, 5], [3, 4.5, 4]]) expect(() => shapeOf(shape)).toThrow(ShapeError);
    expect(() => shapeOf([8, 1, 5])).toThrow(
      'layer (max-pool2d): expected input at least [8, 2, 2] for poolSize [2, 2] and padding [0, 0, 0, 0] (top, left, bottom, ' +
        "right), got [8, 1, 5]. The pool window does not fit (the output would be [8, 0, 2]): use a smaller poolSize, padding: 'same', " +
        'or fewer pooling or strided layers before this one.',
    );
    expect(() => shapeOf([1, 4, 4], { poolSize: 2, padding: 2 })).toThrow(
      'layer (max-pool2d): expected input [channels, height, width] with every padding side smaller than poolSize [2, 2], got ' +
        "[1, 4, 4] with padding [2, 2, 2, 2] (top, left, bottom, right). A window of padding alone has nothing to pool: use less " +
        "padding, or padding: 'same'.",
    );
    expect(() => shapeOf([1, 4, 4], { poolSize: [3, 1], padding: 1 })).toThrow(/every padding side smaller than poolSize \[3, 1\]/);
    expect(() => maxPool2d.create(full({}), createTestContext({ inputShape: [4, 1, 1], seed: 1 }))).toThrow(ShapeError);
    try {
      shapeOf([2, 1, 1]);
      expect.fail('no ShapeError');
    } catch (error) {
      expect((error as ShapeError).atLayer(3).message).toMatch(/^model\.layers\[3\] \(max-pool2d\): expected input at least \[2, 2, 2\]/);
    }
  });

  it('passes the gradient check over 3 seeds: 2×2, stride 2 with odd sizes, overlapping windows, padding', () => {
    const cases: ReadonlyArray<readonly [Partial<Pool2dOptions>, readonly number[]]> = [
      [{}, [2, 4, 4]],
      [{ poolSize: 2 }, [3, 5, 7]],
      [{ poolSize: 3, stride: 2, padding: 1 }, [2, 5, 6]],
      [{ poolSize: [2, 3], stride: 1, padding: 'same' }, [1, 4, 5]],
    ];
    for (const [options, inputShape] of cases) {
      const report = checkGradients(maxPool2d, options, { inputShape, batch: 2, seeds: [1, 2, 3] });
      expect(Object.keys(report.tensors)).toEqual(['input']);
      expect(report.maxRelativeError).toBeLessThan(1e-6);
    }
  });

  it('treats every sample of a batch independently', () => {
    expect(checkBatchInvariance(maxPool2d, { poolSize: 3, stride: 2, padding: 'same' }, { inputShape: [3, 5, 5], seed: 2 }).maxDifference).toBe(0);
  });

  it('writes into the buffers it is given, allocates nothing on a same-shape step, and skips dx without inputGradient', () => {
    for (const mode of ['train', 'eval'] as const) {
      expectBuffersMatchAllocating(maxPool2d, {}, { inputShape: [3, 4, 6], mode });
      expectBuffersMatchAllocating(maxPool2d, { poolSize: 3, stride: 1, padding: 1 }, { inputShape: [2, 5, 5], mode });
    }
    expectInputGradientSkipped(maxPool2d, {}, [2, 4, 4]);
  });

  it('gives identical float32 results on the wasm backend and the JS backend', () => {
    const options = full({ poolSize: 3, stride: 2, padding: 'same' });
    const rng = createRng(3);
    const x = Tensor.from([4, 3, 9, 11], Array.from({ length: 4 * 3 * 9 * 11 }, () => rng.uniform(-1, 1)));
    const dy = Tensor.from([4, 3, 5, 6], Array.from({ length: 4 * 3 * 5 * 6 }, () => rng.uniform(-1, 1)));
    const run = (backend: ReturnType<typeof createJsBackend>) => {
      const layer = maxPool2d.create(options, createTestContext({ inputShape: [3, 9, 11], seed: 1, dtype: 'float32', backend }));
      const result = layer.forward(x, 'train');
      return [[...result.output.data], [...result.backward(dy, {})!.data]];
    };
    expect(run(createWasmBackend())).toEqual(run(createJsBackend()));
  });
});

describe('max-pool2d options schema', () => {
  const registry = createRegistry();
  registry.register(maxPool2d, 'test');
  const validate = (options: Record<string, unknown>) => registry.validateOptions('layer', { type: 'max-pool2d', ...options });
  const messages = (options: Record<string, unknown>) => validate(options).issues.map((issue) => issue.message);

  it('passes lintPlugin; { type } alone gives poolSize 2, padding valid and no stride (= poolSize)', () => {
    expect(lintPlugin(maxPool2d).problems).toEqual([]);
    expect(lintPlugin(maxPool2d, { example: { poolSize: [3, 2], stride: [2, 1], padding: [1, 0] } }).problems).toEqual([]);
    expect(validate({}).value).toEqual({ type: 'max-pool2d', poolSize: 2, padding: 'valid' });
    expect(validate({ poolSize: 3, stride: 1, padding: 'same' }).issues).toEqual([]);
  });

  it('rejects poolSize or stride 0, negative padding and unknown keys', () => {
    expect(messages({ poolSize: 0 })).toEqual(['poolSize must be an integer >= 1 or a list of exactly 2 items (found 0)']);
    expect(messages({ poolSize: [2, 0] })).toEqual(['poolSize[1] must be an integer >= 1 (found 0)']);
    expect(messages({ stride: 0 })).toEqual(['stride must be an integer >= 1 or a list of exactly 2 items (found 0)']);
    expect(messages({ padding: -1 })[0]).toMatch(/^padding must be one of "valid", "same" or an integer >= 0 or a list/);
    expect(messages({ padding: [0, -1] })).toHaveLength(1);
    expect(messages({ padding: 'full' })).toHaveLength(1);
    expect(messages({ pool_size: 2 })[0]).toMatch(/^unknown option "pool_size"/);
  });
});
