import { Tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { checkGradients } from './check-gradients.js';
import { relativeError } from './gradient-report.js';
import { linear, noisy } from './test-plugins.js';

describe('relativeError', () => {
  it('is |a - n| / max(|a| + |n|, 1e-8)', () => {
    expect(relativeError(1, 1)).toBe(0);
    expect(relativeError(1, 3)).toBeCloseTo(0.5, 15); // 2 / 4
    expect(relativeError(0, 2)).toBe(1);
    expect(relativeError(1e-12, 0)).toBeCloseTo(1e-4, 15); // 1e-12 / 1e-8: tiny values compare absolutely
    expect(relativeError(Number.NaN, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('checkGradients', () => {
  it('passes a correct layer and reports every checked element', () => {
    const report = checkGradients(linear, { units: 3 }, { inputShape: [4], batch: 2, seeds: [1, 2] });
    // per seed: input 2*4 + weight 4*3 = 20 elements
    expect(report.checked).toBe(40);
    expect(report.tensors['weight']).toMatchObject({ size: 12, checked: 24 });
    expect(report.maxRelativeError).toBeLessThan(1e-8);
    expect(report.seeds).toEqual([1, 2]);
  });

  it('throws naming the tensor, index and both values when a gradient is wrong', () => {
    expect(() => checkGradients(linear, { units: 2, bug: 'double-input-grad' }, { inputShape: [3], seeds: [5] })).toThrow(
      /checkGradients\(test-linear\): analytic and numeric gradients differ[\s\S]*seed 5 {2}input\[\d, \d\] {2}analytic -?\d[\s\S]*Check the backward pass for: input\./,
    );
  });

  it('catches a backward that accumulates into or skips a parameter gradient', () => {
    expect(() => checkGradients(linear, { units: 2, bug: 'accumulate' }, { inputShape: [3], seeds: [1] })).toThrow(/for: weight/);
    expect(() => checkGradients(linear, { units: 2, bug: 'skip-weight' }, { inputShape: [3], seeds: [1] })).toThrow(
      /analytic NaN/,
    );
  });

  it('catches forward changing its input and backward changing its outputGrad', () => {
    expect(() => checkGradients(linear, { units: 2, bug: 'mutate-input' }, { inputShape: [3] })).toThrow(
      'checkGradients(test-linear): forward changed its input tensor',
    );
    expect(() => checkGradients(linear, { units: 2, bug: 'mutate-grad' }, { inputShape: [3] })).toThrow(
      'backward changed its outputGrad tensor',
    );
  });

  it('replays the same train-time randomness on every forward', () => {
    const report = checkGradients(noisy, {}, { inputShape: [2, 3], seeds: [1, 2, 3] });
    expect(report.checked).toBe(3 * 3 * 6);
    expect(report.maxRelativeError).toBeLessThan(1e-6);
  });

  it('samples at most maxElementsPerTensor elements of a large tensor, reproducibly', () => {
    const options = { inputShape: [30], batch: 2, seeds: [7], maxElementsPerTensor: 25 };
    const report = checkGradients(linear, { units: 20 }, options);
    expect(report.tensors['weight']).toMatchObject({ size: 600, checked: 25 });
    expect(report.tensors['input']).toMatchObject({ size: 60, checked: 25 });
    expect(checkGradients(linear, { units: 20 }, options)).toEqual(report);
  });

  it('uses caller inputs and checks their shape', () => {
    const inputs = Tensor.from([2, 2], [0, 1, -1, 0.5], 'float32');
    const report = checkGradients(linear, { units: 1 }, { inputShape: [2], seeds: [1], inputs });
    expect(report.tensors['input']).toMatchObject({ size: 4, checked: 4 });
    expect(inputs.data[1]).toBe(1); // the caller's tensor is left alone
    expect(() => checkGradients(linear, { units: 1 }, { inputShape: [3], inputs })).toThrow(
      'checkGradients: inputs have shape [2, 2], expected [batch, ...[3]].',
    );
  });

  it('checks the buffers path: stale values and writes into outputGrad fail, naming the layer and the pass', () => {
    expect(() => checkGradients(linear, { units: 2, bug: 'stale-buffer' }, { inputShape: [3], seeds: [4] })).toThrow(
      /^checkGradients\(test-linear\): the second of two passes given one createLayerBuffers \(seed 4\): with buffers and without differ in 6 values[\s\S]*output\[0, 0\]: with buffers -?\d[\s\S]*must overwrite every value it reads back/,
    );
    expect(() => checkGradients(linear, { units: 2, bug: 'mutate-grad-with-buffers' }, { inputShape: [3], seeds: [1] })).toThrow(
      'checkGradients(test-linear): backward given buffers changed its outputGrad tensor.',
    );
    // Only the buffers check can see these bugs: switched off, the layer passes.
    expect(checkGradients(linear, { units: 2, bug: 'stale-buffer' }, { inputShape: [3], seeds: [4], buffers: false }).checked).toBe(3 * 3 + 6);
  });

  it('checks the inputGradient: false build against the normal one', () => {
    expect(() => checkGradients(linear, { units: 2, bug: 'skip-all-without-input-gradient' }, { inputShape: [3], seeds: [2] })).toThrow(
      /^checkGradients\(test-linear\): the layer built with inputGradient: false \(seed 2\): with inputGradient: false and without differ in 6 values[\s\S]*weight\[0, 0\]: with inputGradient: false NaN/,
    );
    const off = { inputShape: [3], seeds: [2], inputGradientFalse: false };
    expect(checkGradients(linear, { units: 2, bug: 'skip-all-without-input-gradient' }, off).maxRelativeError).toBeLessThan(1e-6);
  });

  it('fails a backward that returns undefined although the layer needs dLoss/dInput', () => {
    expect(() => checkGradients(linear, { units: 2, bug: 'no-input-grad' }, { inputShape: [3] })).toThrow(
      'checkGradients(test-linear): backward returned undefined, but the layer was not built with inputGradient: false.',
    );
  });

  it('checks buffers with caller inputs too (their rows reversed for the second pass)', () => {
    const inputs = Tensor.from([2, 2], [0, 1, -1, 0.5], 'float64');
    expect(() => checkGradients(linear, { units: 1, bug: 'stale-buffer' }, { inputShape: [2], seeds: [1], inputs })).toThrow(/the second of two passes/);
  });
});
