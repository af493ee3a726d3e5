import { describe, expect, it } from 'vitest';
import { checkLossGradients } from './check-loss-gradients.js';
import { toyLoss } from './test-plugins.js';

describe('checkLossGradients', () => {
  it('passes a correct loss, checking every prediction element for every seed', () => {
    const report = checkLossGradients(toyLoss, {}, { classes: 3, batch: 2 });
    expect(report.checked).toBe(3 * 2 * 3);
    expect(report.maxRelativeError).toBeLessThan(1e-6);
  });

  it('keeps predictions inside (0, 1) when asked for probabilities', () => {
    const seen: number[] = [];
    const spy = {
      ...toyLoss,
      create: (options: Parameters<typeof toyLoss.create>[0], context: Parameters<typeof toyLoss.create>[1]) => {
        const inner = toyLoss.create(options, context);
        return {
          ...inner,
          forward: (p: Parameters<typeof inner.forward>[0], labels: ArrayLike<number>) => {
            seen.push(...p.data);
            return inner.forward(p, labels);
          },
        };
      },
    };
    checkLossGradients(spy, {}, { classes: 4, batch: 3, seeds: [1], probabilities: true });
    expect(Math.min(...seen)).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBeLessThan(1);
    seen.length = 0;
    checkLossGradients(spy, {}, { classes: 4, batch: 3, seeds: [1], logitsScale: 10 });
    expect(Math.max(...seen.map(Math.abs))).toBeGreaterThan(1);
  });

  it('throws with the worst prediction elements when the gradient is wrong', () => {
    expect(() => checkLossGradients(toyLoss, { wrong: true }, { classes: 3, seeds: [2] })).toThrow(
      /checkLossGradients\(test-toy-loss\)[\s\S]*seed 2 {2}predictions\[\d, \d\]/,
    );
  });
});
