import { checkLossGradients } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import { createJsBackend } from '@scratchnet/tensor';
import { quadratic } from './quadratic.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';
import { sumSquaredError } from './sum-squared-error.js';
import { evaluate, round } from './test-helpers.js';

describe('sum-squared-error', () => {
  it('is (1/2) * sum (p - onehot)^2 with gradient p - onehot, not averaged over the batch', () => {
    // Same batch as the quadratic test: sum of squares 0.4 -> loss 0.4 / 2 = 0.2 (n = 2 not divided out)
    const { value, grad } = evaluate(sumSquaredError, {}, [[0.2, 0.8], [0.6, 0.4]], [1, 0]);
    expect(value).toBeCloseTo(0.2, 12);
    expect(round(grad)).toEqual([0.2, -0.2, -0.4, 0.4]);
    // Doubling the batch (same rows twice) doubles the loss: 0.4
    const twice = evaluate(sumSquaredError, {}, [[0.2, 0.8], [0.6, 0.4], [0.2, 0.8], [0.6, 0.4]], [1, 0, 1, 0]);
    expect(twice.value).toBeCloseTo(0.4, 12);
  });

  it('matches a three-class example', () => {
    // p = [0.1, 0.7, 0.2], label 2 -> p - onehot = [0.1, 0.7, -0.8]; (0.01 + 0.49 + 0.64) / 2 = 0.57
    const { value, grad } = evaluate(sumSquaredError, {}, [[0.1, 0.7, 0.2]], [2]);
    expect(value).toBeCloseTo(0.57, 12);
    expect(round(grad)).toEqual([0.1, 0.7, -0.8]);
  });

  it('declares its sum reduction, and quadratic its mean, so evaluation can report per-sample loss', () => {
    const backend = createJsBackend();
    expect(sumSquaredError.create({ type: 'sum-squared-error' }, { backend }).reduction).toBe('sum');
    expect(quadratic.create({ type: 'quadratic' }, { backend }).reduction).toBe('mean');
  });

  it('says its probabilities() are independent per-class scores, not a distribution', () => {
    const backend = createJsBackend();
    expect(sumSquaredError.create({ type: 'sum-squared-error' }, { backend }).outputs).toBe('scores');
    expect(quadratic.create({ type: 'quadratic' }, { backend }).outputs).toBe('scores');
    expect(softmaxCrossEntropy.create({ type: 'softmax-cross-entropy', labelSmoothing: 0 }, { backend }).outputs).toBeUndefined();
  });

  it('passes the gradient check over 3 seeds', () => {
    const report = checkLossGradients(sumSquaredError, {}, { classes: 3, batch: 4, seeds: [1, 2, 3], probabilities: true });
    expect(report.maxRelativeError).toBeLessThan(1e-6);
  });
});
