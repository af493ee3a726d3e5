import { describe, expect, it } from 'vitest';
import { differenceError, meanAndSpread, renderAccuracy } from './accuracy.js';
import { seededAccuracyTargets } from './targets.js';

describe('meanAndSpread and differenceError', () => {
  it('give the mean, the sample standard deviation and the standard error of a difference of means', () => {
    const a = meanAndSpread([0.9, 0.92, 0.94, 0.96]);
    expect(a.mean).toBeCloseTo(0.93, 12);
    expect(a.sd).toBeCloseTo(Math.sqrt((0.03 ** 2 + 0.01 ** 2 + 0.01 ** 2 + 0.03 ** 2) / 3), 12);
    expect(meanAndSpread([0.5])).toEqual({ mean: 0.5, sd: 0, n: 1 });
    const b = meanAndSpread([0.91, 0.93]);
    expect(differenceError(a, b)).toBeCloseTo(Math.sqrt(a.sd ** 2 / 4 + b.sd ** 2 / 2), 12);
  });
});

describe('the accuracy targets over seeds', () => {
  const result = {
    recipe: 'mlp-small',
    samples: [
      { contestant: 'scratchnet wasm', accuracies: [0.931, 0.933, 0.935] },
      { contestant: 'pytorch (1 thread)', accuracies: [0.933, 0.935, 0.937] },
      { contestant: 'numpy (1 thread)', accuracies: [0.925, 0.926, 0.927] },
      { contestant: 'other', accuracies: [], unavailable: 'not installed' },
    ],
  };

  it('compare the means with 0.3 points, giving the spread and the standard error of the gap', () => {
    const [torch, numpy, other] = seededAccuracyTargets(result);
    expect(torch).toEqual({
      target: 'mlp-small: mean one-epoch accuracy within 0.3 points of pytorch (1 thread) (over seeds)',
      measured: '93.30% ± 0.20 vs 93.50% ± 0.20 over 3 and 3 seeds (0.20 points; standard error of the gap 0.16)',
      met: true,
    });
    expect(numpy).toMatchObject({ met: false });
    expect(numpy!.measured).toContain('(0.70 points;');
    expect(other).toMatchObject({ measured: 'other not run: not installed', met: 'not measured' });
  });

  it('render one row per contestant', () => {
    const lines = renderAccuracy([result]).join('\n');
    expect(lines).toContain('| mlp-small | scratchnet wasm | 3 | 93.30 | 0.20 | 93.10–93.50 |');
    expect(lines).toContain('| mlp-small | other | 0 | not run: not installed | | |');
    expect(renderAccuracy([])).toEqual([]);
  });
});
