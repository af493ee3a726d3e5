import { describe, expect, it } from 'vitest';
import { macroAverages, perClassMetrics } from './class-metrics.js';

describe('perClassMetrics', () => {
  it('computes precision, recall and F1 from confusion[label][predicted]', () => {
    // Class a: 8 of 10 found; 8 of the 9 predicted a are a. Class b: 5 of 6; 5 of 7. Class c: 3 of 4; 3 of 4.
    const confusion = [
      [8, 1, 1],
      [1, 5, 0],
      [0, 1, 3],
    ];
    const [a, b, c] = perClassMetrics(confusion, ['a', 'b', 'c']);
    expect(a).toMatchObject({ className: 'a', support: 10, predicted: 9, truePositives: 8 });
    expect(a!.precision).toBeCloseTo(8 / 9, 12);
    expect(a!.recall).toBeCloseTo(0.8, 12);
    expect(a!.f1).toBeCloseTo((2 * (8 / 9) * 0.8) / (8 / 9 + 0.8), 12);
    expect(b!.precision).toBeCloseTo(5 / 7, 12);
    expect(b!.recall).toBeCloseTo(5 / 6, 12);
    expect(c).toMatchObject({ precision: 0.75, recall: 0.75, f1: 0.75 });
  });

  it('gives null, not 0, for a class never predicted or never present', () => {
    const [present, absent] = perClassMetrics([
      [4, 0],
      [0, 0],
    ]);
    expect(present).toMatchObject({ className: '0', precision: 1, recall: 1, f1: 1 });
    expect(absent).toMatchObject({ className: '1', support: 0, predicted: 0, precision: null, recall: null, f1: null });
  });

  it('gives F1 0 when a class is predicted and present but never right', () => {
    const [zero] = perClassMetrics([
      [0, 3],
      [2, 1],
    ]);
    expect(zero).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it('refuses a matrix that is not square', () => {
    expect(() => perClassMetrics([[1, 2], [3]])).toThrow('row 1 has 1 entries for 2 rows');
  });
});

describe('macroAverages', () => {
  it('averages over the classes where each figure is defined', () => {
    const metrics = perClassMetrics([
      [4, 0, 0],
      [2, 2, 0],
      [0, 0, 0],
    ]);
    const macro = macroAverages(metrics);
    expect(macro.precision).toBeCloseTo((4 / 6 + 1) / 2, 12);
    expect(macro.recall).toBeCloseTo((1 + 0.5) / 2, 12);
    expect(macroAverages([])).toEqual({ precision: null, recall: null, f1: null });
  });
});
