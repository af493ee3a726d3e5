import { checkLossGradients } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';
import { evaluate, round } from './test-helpers.js';

describe('softmax-cross-entropy', () => {
  it('is the batch mean of -log softmax(z)[label], with gradient (softmax - onehot)/n', () => {
    // row 1: z = [0, ln 3] -> softmax [1/4, 3/4], label 1 -> -ln(3/4) = 0.287682072452
    // row 2: z = [ln 2, ln 2] -> softmax [1/2, 1/2], label 0 -> ln 2 = 0.693147180560
    // loss = (0.287682072452 + 0.693147180560) / 2 = 0.490414626506
    const { value, grad, loss, predictions } = evaluate(softmaxCrossEntropy, {}, [[0, Math.log(3)], [Math.log(2), Math.log(2)]], [1, 0]);
    expect(value).toBeCloseTo(0.490414626506, 11);
    // ([1/4, 3/4] - [0, 1]) / 2 = [0.125, -0.125]; ([1/2, 1/2] - [1, 0]) / 2 = [-0.25, 0.25]
    expect(round(grad)).toEqual([0.125, -0.125, -0.25, 0.25]);
    expect(round([...loss.probabilities(predictions).data])).toEqual([0.25, 0.75, 0.5, 0.5]);
  });

  it('smooths labels when asked: target (1 - ε) * onehot + ε / K', () => {
    // ε = 0.1, K = 2: row 1 target [0.05, 0.95] -> -(0.05 ln 1/4 + 0.95 ln 3/4) = 0.342612686885
    // row 2 target [0.95, 0.05] on [1/2, 1/2] -> ln 2 = 0.693147180560; mean 0.517879933723
    const rows = [[0, Math.log(3)], [Math.log(2), Math.log(2)]];
    const { value, grad } = evaluate(softmaxCrossEntropy, { labelSmoothing: 0.1 }, rows, [1, 0]);
    expect(value).toBeCloseTo(0.517879933723, 11);
    // ([1/4, 3/4] - [0.05, 0.95]) / 2 = [0.1, -0.1]; ([1/2, 1/2] - [0.95, 0.05]) / 2 = [-0.225, 0.225]
    expect(round(grad)).toEqual([0.1, -0.1, -0.225, 0.225]);
  });

  it('stays finite and exact for logits of +-1e4', () => {
    // log-sum-exp of [1e4, -1e4, 0] is 1e4 (the other terms underflow), so -log p[1] = 2e4
    const wrong = evaluate(softmaxCrossEntropy, {}, [[1e4, -1e4, 0]], [1]);
    expect(wrong.value).toBe(2e4);
    expect(round(wrong.grad)).toEqual([1, -1, 0]);
    const right = evaluate(softmaxCrossEntropy, {}, [[1e4, -1e4, 0]], [0]);
    expect(right.value).toBe(0);
    expect(round(right.grad)).toEqual([0, 0, 0]);
    const smoothed = evaluate(softmaxCrossEntropy, { labelSmoothing: 0.1 }, [[-1e4, 1e4]], [1]);
    expect(Number.isFinite(smoothed.value)).toBe(true);
    // target [0.05, 0.95]: loss = 0.05 * 2e4 + 0.95 * 0 = 1000
    expect(smoothed.value).toBeCloseTo(1000, 9);
  });

  it('passes the gradient check over 3 seeds, with and without label smoothing', () => {
    const plain = checkLossGradients(softmaxCrossEntropy, {}, { classes: 10, batch: 4, seeds: [1, 2, 3] });
    expect(plain.checked).toBe(3 * 4 * 10);
    expect(plain.maxRelativeError).toBeLessThan(1e-6);
    const smoothed = checkLossGradients(softmaxCrossEntropy, { labelSmoothing: 0.2 }, { classes: 5, seeds: [1, 2, 3] });
    expect(smoothed.maxRelativeError).toBeLessThan(1e-6);
  });
});
