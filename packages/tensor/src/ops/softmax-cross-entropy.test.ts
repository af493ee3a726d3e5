import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../js-backend.js';
import { createRng } from '../rng.js';
import { Tensor } from '../tensor.js';
import { expectClose, randomTensor } from './test-helpers.js';

const backend = createJsBackend();

/**
 * The textbook definition, term by term in float64: p = e^z / Σ e^z with no max shift (fine for
 * the moderate logits it is used on), loss = Σ_i Σ_k -q_ik log p_ik, grad = (p - q) / n.
 */
function naive(z: ArrayLike<number>, labels: ArrayLike<number>, smoothing: number, rows: number, columns: number) {
  let loss = 0;
  const grad: number[] = [];
  for (let i = 0; i < rows; i++) {
    const exps = Array.from({ length: columns }, (_, k) => Math.exp(z[i * columns + k]!));
    const total = exps.reduce((a, b) => a + b, 0);
    for (let k = 0; k < columns; k++) {
      const p = exps[k]! / total;
      const q = (1 - smoothing) * (k === labels[i] ? 1 : 0) + smoothing / columns;
      loss -= q * Math.log(p);
      grad.push((p - q) / rows);
    }
  }
  return { loss, grad };
}

describe('softmaxCrossEntropy (JS reference)', () => {
  it('matches the naive formula in float64, with and without label smoothing', () => {
    const rng = createRng(7);
    for (const [rows, columns] of [[1, 1], [3, 2], [4, 10], [5, 7], [16, 13]] as const) {
      const logits = randomTensor(rng, [rows, columns], 'float64');
      for (let i = 0; i < logits.size; i++) logits.data[i]! *= 8;
      const labels = Int32Array.from({ length: rows }, () => rng.int(columns));
      for (const smoothing of [0, 0.1, 0.75, 1]) {
        const grad = Tensor.zeros([rows, columns], 'float64');
        const loss = backend.softmaxCrossEntropy(logits, labels, smoothing, grad);
        const expected = naive(logits.data, labels, smoothing, rows, columns);
        expectClose([loss], [expected.loss], 1e-13);
        expectClose(grad.data, expected.grad, 1e-15);
      }
    }
  });

  it('is the hand-checked sum over the batch and leaves the logits untouched', () => {
    // row 1: z = [0, ln 3] -> p = [1/4, 3/4], label 1 -> -ln(3/4); row 2: [ln 2, ln 2], label 0 -> ln 2
    const logits = Tensor.from([2, 2], [0, Math.log(3), Math.log(2), Math.log(2)], 'float64');
    const before = [...logits.data];
    const grad = Tensor.zeros([2, 2], 'float64');
    const loss = backend.softmaxCrossEntropy(logits, new Uint8Array([1, 0]), 0, grad);
    expect(loss).toBeCloseTo(-Math.log(3 / 4) + Math.log(2), 15);
    expectClose(grad.data, [0.125, -0.125, -0.25, 0.25], 1e-15);
    expect([...logits.data]).toEqual(before);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`is exact and finite at logits of +/-1e4, and +0 for a perfect prediction (${dtype})`, () => {
      const logits = Tensor.from([2, 3], [1e4, -1e4, 0, 1e4, -1e4, 0], dtype);
      const grad = Tensor.zeros([2, 3], dtype);
      // log-sum-exp of each row is 1e4: row 1 (label 0) costs +0, row 2 (label 1) costs 2e4.
      expect(backend.softmaxCrossEntropy(logits, new Int32Array([0, 1]), 0, grad)).toBe(2e4);
      expect([...grad.data]).toEqual([0, 0, 0, 0.5, -0.5, 0]);
      expect(Object.is(backend.softmaxCrossEntropy(logits, new Int32Array([0, 0]), 0, grad), 0)).toBe(true);
      // ε = 0.1, K = 3: (1 - ε)·0 + ε·(1e4 - 0) per row.
      expect(backend.softmaxCrossEntropy(logits, new Int32Array([0, 0]), 0.1, grad)).toBeCloseTo(2000, 9);
    });
  }

  it('handles an empty batch and a single class', () => {
    expect(backend.softmaxCrossEntropy(Tensor.zeros([0, 4]), new Int32Array(0), 0.1, Tensor.zeros([0, 4]))).toBe(0);
    const grad = Tensor.from([2, 1], [9, 9]);
    // One class: p = q = 1 whatever ε, so no loss and no gradient.
    expect(Object.is(backend.softmaxCrossEntropy(Tensor.from([2, 1], [3, -5]), new Int32Array(2), 0.25, grad), 0)).toBe(true);
    expect([...grad.data]).toEqual([0, 0]);
  });

  it('rejects a label out of range, naming its row, and mismatched labels, grad and smoothing', () => {
    const logits = Tensor.zeros([3, 4]);
    const grad = Tensor.zeros([3, 4]);
    expect(() => backend.softmaxCrossEntropy(logits, new Int32Array([0, 4, 1]), 0, grad)).toThrow(
      new RangeError('softmaxCrossEntropy: label 4 of row 1 is not a class index in [0, 4) of the [3, 4] logits'),
    );
    expect(() => backend.softmaxCrossEntropy(logits, new Int32Array([0, 1, -1]), 0, grad)).toThrow(/label -1 of row 2 is not a class index/);
    expect(() => backend.softmaxCrossEntropy(logits, new Uint8Array(2), 0, grad)).toThrow(
      new RangeError('softmaxCrossEntropy: logits are [3, 4] (3 rows) but 2 labels were given; pass one label per row'),
    );
    expect(() => backend.softmaxCrossEntropy(logits, new Uint8Array(3), 0, Tensor.zeros([3, 3]))).toThrow(
      /softmaxCrossEntropy: logits is \[3, 4\] but grad is \[3, 3\]/,
    );
    expect(() => backend.softmaxCrossEntropy(logits, new Uint8Array(3), 0, Tensor.zeros([3, 4], 'float64'))).toThrow(
      /softmaxCrossEntropy: logits is \[3, 4\] float32 but grad is \[3, 4\] float64/,
    );
    expect(() => backend.softmaxCrossEntropy(logits, new Uint8Array(3), 0, logits)).toThrow(/softmaxCrossEntropy: grad overlaps logits/);
    for (const smoothing of [-0.1, 1.5, Number.NaN]) {
      expect(() => backend.softmaxCrossEntropy(logits, new Uint8Array(3), smoothing, grad)).toThrow(
        new RangeError(`softmaxCrossEntropy: smoothing is ${smoothing}; expected a number in [0, 1] (0 for plain one-hot targets)`),
      );
    }
  });
});
