import { ConfigError } from '@scratchnet/spec';
import { checkLossGradients } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import { quadratic } from './quadratic.js';
import { evaluate, round } from './test-helpers.js';

describe('quadratic', () => {
  it('is (1/(2n)) * sum (p - onehot)^2 with gradient (p - onehot)/n', () => {
    // p = [[0.2, 0.8], [0.6, 0.4]], labels [1, 0] -> p - onehot = [[0.2, -0.2], [-0.4, 0.4]]
    // sum of squares = 0.04 + 0.04 + 0.16 + 0.16 = 0.4; loss = 0.4 / (2 * 2) = 0.1
    const { value, grad } = evaluate(quadratic, {}, [[0.2, 0.8], [0.6, 0.4]], [1, 0]);
    expect(value).toBeCloseTo(0.1, 12);
    // gradient = (p - onehot) / 2
    expect(round(grad)).toEqual([0.1, -0.1, -0.2, 0.2]);
  });

  it('is zero for perfect one-hot predictions and passes predictions through as probabilities', () => {
    const { value, grad, loss, predictions } = evaluate(quadratic, {}, [[0, 1, 0]], [1]);
    expect(value).toBe(0);
    expect(grad.every((g) => g === 0)).toBe(true);
    expect(loss.probabilities(predictions)).toBe(predictions);
  });

  it('rejects labels outside the prediction columns', () => {
    expect(() => evaluate(quadratic, {}, [[0.5, 0.5]], [2])).toThrow(ConfigError);
    expect(() => evaluate(quadratic, {}, [[0.5, 0.5]], [2])).toThrow(
      'loss (quadratic): label 2 (sample 0) is not a class index in [0, 2) of the 2-column predictions. ' +
        "Make the last layer output one unit per class.",
    );
    expect(() => evaluate(quadratic, {}, [[0.5, 0.5]], [0, 1])).toThrow('predictions have 1 rows but 2 labels');
  });

  it('passes the gradient check over 3 seeds', () => {
    const report = checkLossGradients(quadratic, {}, { classes: 4, batch: 5, seeds: [1, 2, 3], probabilities: true });
    expect(report.checked).toBe(3 * 5 * 4);
    expect(report.maxRelativeError).toBeLessThan(1e-6);
  });
});
