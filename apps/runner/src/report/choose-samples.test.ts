import { describe, expect, it } from 'vitest';
import { chooseSamples } from './choose-samples.js';

/** Rows of class probabilities, flattened; predicted = the arg-max of each row. */
function predictions(rows: number[][]): { probabilities: number[]; predicted: number[] } {
  return { probabilities: rows.flat(), predicted: rows.map((row) => row.indexOf(Math.max(...row))) };
}

describe('chooseSamples', () => {
  it('orders mistakes and correct predictions by the confidence of the predicted class, most confident first', () => {
    const { probabilities, predicted } = predictions([
      [0.6, 0.3, 0.1], // 0: label 1, wrong at 0.6
      [0.1, 0.8, 0.1], // 1: label 1, right at 0.8
      [0.05, 0.05, 0.9], // 2: label 0, wrong at 0.9
      [0.7, 0.2, 0.1], // 3: label 0, right at 0.7
      [0.2, 0.2, 0.6], // 4: label 2, right at 0.6
      [0.1, 0.5, 0.4], // 5: label 2, wrong at 0.5
    ]);
    const chosen = chooseSamples(probabilities, predicted, [1, 1, 0, 0, 2, 2]);
    expect(chosen.misclassified).toEqual([
      { index: 2, label: 0, predicted: 2, confidence: 0.9 },
      { index: 0, label: 1, predicted: 0, confidence: 0.6 },
      { index: 5, label: 2, predicted: 1, confidence: 0.5 },
    ]);
    expect(chosen.confidentCorrect.map((s) => [s.index, s.confidence])).toEqual([
      [1, 0.8],
      [3, 0.7],
      [4, 0.6],
    ]);
  });

  it('keeps at most the limits, breaks ties by index and puts NaN confidences last', () => {
    const rows = Array.from({ length: 8 }, (_, i) => (i === 1 ? [Number.NaN, 0, 0] : [0.5, 0.25, 0.25]));
    const probabilities = rows.flat();
    const predicted = rows.map(() => 0);
    const labels = [1, 1, 1, 1, 0, 0, 0, 0];
    const chosen = chooseSamples(probabilities, predicted, labels, { misclassified: 3, correct: 2 });
    expect(chosen.misclassified.map((s) => s.index)).toEqual([0, 2, 3]);
    expect(chosen.confidentCorrect.map((s) => s.index)).toEqual([4, 5]);
    const all = chooseSamples(probabilities, predicted, labels, { misclassified: 10, correct: 0 });
    expect(all.misclassified.map((s) => s.index)).toEqual([0, 2, 3, 1]);
    expect(all.confidentCorrect).toEqual([]);
  });

  it('by default keeps 100 mistakes and 20 correct predictions', () => {
    const count = 300;
    const probabilities = Array.from({ length: count * 2 }, (_, k) => (k % 2 === 0 ? 0.5 + (k / 2) / (2 * count) : 0));
    const predicted = new Array<number>(count).fill(0);
    const labels = Array.from({ length: count }, (_, i) => (i < 150 ? 1 : 0));
    const chosen = chooseSamples(probabilities, predicted, labels);
    expect(chosen.misclassified).toHaveLength(100);
    expect(chosen.misclassified[0]!.index).toBe(149);
    expect(chosen.confidentCorrect).toHaveLength(20);
    expect(chosen.confidentCorrect[0]!.index).toBe(299);
  });

  it('handles an empty set and refuses arrays that do not belong together', () => {
    expect(chooseSamples([], [], [])).toEqual({ misclassified: [], confidentCorrect: [] });
    expect(() => chooseSamples([0.5, 0.5], [0, 0], [0])).toThrow(/2 predictions for 1 labels/);
    expect(() => chooseSamples([0.5, 0.5, 1], [0, 0], [0, 1])).toThrow(/not a whole row/);
  });
});
