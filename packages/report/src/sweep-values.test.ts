import { describe, expect, it } from 'vitest';
import type { SweepTrialSummary } from './sweep-report-data.js';
import { bestSoFar, bestTrial, describeValue, formatMetric, groupByValue, meanCurve, rankTrials, ranks, valueKey } from './sweep-values.js';
import { lossTrial } from './test-sweep.js';

const ids = (trials: readonly SweepTrialSummary[]): string[] => trials.map((t) => t.id);

describe('formatMetric', () => {
  it('shows accuracies as percentages and anything else with 4 significant digits', () => {
    expect(formatMetric('validation.accuracy', 0.97123)).toBe('97.12%');
    expect(formatMetric('test.Accuracy', 1)).toBe('100.00%');
    expect(formatMetric('validation.loss', 0.314159)).toBe('0.3142');
    expect(formatMetric('validation.loss', 12.3456)).toBe('12.35');
    expect(formatMetric('accuracy-ish', 0.5)).toBe('0.5000');
  });

  it('says "diverged" for NaN or infinity and "—" when missing', () => {
    expect(formatMetric('validation.loss', Number.NaN)).toBe('diverged');
    expect(formatMetric('validation.loss', Number.POSITIVE_INFINITY)).toBe('diverged');
    expect(formatMetric('validation.accuracy', undefined)).toBe('—');
  });
});

describe('describeValue', () => {
  it('keeps numbers as written, long random draws to 4 significant digits', () => {
    expect(describeValue(0.001)).toBe('0.001');
    expect(describeValue(128)).toBe('128');
    expect(describeValue(0.0031622776601683794)).toBe('0.003162');
    expect(describeValue(Number.NaN)).toBe('NaN');
  });

  it('describes an object with only a type by its type, others as compact JSON', () => {
    expect(describeValue({ type: 'xavier' })).toBe('xavier');
    expect(describeValue({ type: 'normal', std: 0.01 })).toBe('{"type":"normal","std":0.01}');
    expect(describeValue([1, 2])).toBe('[1,2]');
    expect(describeValue(true)).toBe('true');
    expect(describeValue('relu')).toBe('relu');
    expect(describeValue('')).toBe('""');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('not set');
  });

  it('keys values exactly: key order does not matter, a number and its string differ', () => {
    expect(valueKey({ a: 1, b: 2 })).toBe(valueKey({ b: 2, a: 1 }));
    expect(valueKey(1)).not.toBe(valueKey('1'));
  });
});

describe('ranking', () => {
  const trials = [lossTrial(0, 0.5), lossTrial(1, undefined), lossTrial(2, 0.2), lossTrial(3, Number.NaN), lossTrial(4, 0.9), lossTrial(5, 0.2)];

  it('sorts lowest first when minimising; missing and diverged values last, in sweep order; ties by index', () => {
    expect(ids(rankTrials(trials, 'minimize'))).toEqual(['t003', 't006', 't001', 't005', 't002', 't004']);
    expect(bestTrial(trials, 'minimize')?.id).toBe('t003');
  });

  it('sorts highest first when maximising', () => {
    expect(ids(rankTrials(trials, 'maximize'))).toEqual(['t005', 't001', 't003', 't006', 't002', 't004']);
    expect(bestTrial(trials, 'maximize')?.id).toBe('t005');
  });

  it('gives equal values equal ranks and none to trials without a value', () => {
    expect(ranks(rankTrials(trials, 'minimize'))).toEqual([1, 1, 3, 4, undefined, undefined]);
  });

  it('has no best trial when no value is finite', () => {
    expect(bestTrial([lossTrial(0, undefined), lossTrial(1, Number.NaN)], 'maximize')).toBeUndefined();
  });

  it('tracks the best value so far in sweep order, whatever the array order', () => {
    const shuffled = [trials[4]!, trials[0]!, trials[3]!, trials[1]!, trials[5]!, trials[2]!];
    expect(bestSoFar(shuffled, 'minimize')).toEqual([
      { trial: 1, best: 0.5 },
      { trial: 2, best: 0.5 },
      { trial: 3, best: 0.2 },
      { trial: 4, best: 0.2 },
      { trial: 5, best: 0.2 },
      { trial: 6, best: 0.2 },
    ]);
    expect(bestSoFar([lossTrial(0, undefined), lossTrial(1, 0.3)], 'maximize')).toEqual([
      { trial: 1, best: undefined },
      { trial: 2, best: 0.3 },
    ]);
  });
});

describe('groups by parameter value', () => {
  it('averages each epoch over the trials that reached it, finite values only', () => {
    expect(meanCurve([[1, 2, 3], [3, 4], [Number.NaN, 6]])).toEqual([2, 4, 3]);
    expect(meanCurve([[Number.NaN]])).toEqual([Number.NaN]);
    expect(meanCurve([])).toEqual([]);
  });

  it('groups a 5-value categorical parameter with 3 trials each, in sweep order, with the right means', () => {
    const inits = ['a', 'b', 'c', 'd', 'e'];
    const trials: SweepTrialSummary[] = Array.from({ length: 15 }, (_, k) => {
      const g = k % 5;
      const r = Math.floor(k / 5);
      const curve = [0.1 * g + 0.01 * r, 0.1 * g + 0.02 * r + 0.5];
      return { id: `t${k}`, index: k, status: 'completed', parameters: { init: { type: inits[g] } }, curve, value: Math.max(...curve), epochs: 2 };
    });
    const groups = groupByValue(trials, 'init', 'maximize');
    expect(groups.map((g) => g.label)).toEqual(inits);
    groups.forEach((group, g) => {
      expect(group.trials).toHaveLength(3);
      // r = 0, 1, 2: mean of 0.01 r is 0.01, of 0.02 r is 0.02.
      expect(group.meanCurve[0]).toBeCloseTo(0.1 * g + 0.01, 12);
      expect(group.meanCurve[1]).toBeCloseTo(0.1 * g + 0.02 + 0.5, 12);
      expect(group.meanFinal).toBeCloseTo(0.1 * g + 0.02 + 0.5, 12);
      expect(group.best).toBeCloseTo(0.1 * g + 0.04 + 0.5, 12);
    });
  });

  it('orders numeric values ascending and picks the best in the goal direction', () => {
    const trials = [lossTrial(0, 0.4, { lr: 0.1 }), lossTrial(1, 0.2, { lr: 0.01 }), lossTrial(2, 0.3, { lr: 0.1 })];
    const groups = groupByValue(trials, 'lr', 'minimize');
    expect(groups.map((g) => [g.label, g.trials.length, g.best])).toEqual([
      ['0.01', 1, 0.2],
      ['0.1', 2, 0.3],
    ]);
  });

  it('leaves the final mean and best undefined for a group with no finite figures', () => {
    const [group] = groupByValue([lossTrial(0, undefined, { x: 'a' })], 'x', 'maximize');
    expect(group!.meanFinal).toBeUndefined();
    expect(group!.best).toBeUndefined();
  });
});
