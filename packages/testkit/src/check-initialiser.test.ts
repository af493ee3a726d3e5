import { defineInitialiser } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { checkInitialiser } from './check-initialiser.js';

/** U[-limit, limit) with limit = sqrt(3 / fanIn) (std 1/sqrt(fanIn)), with one deliberate bug at a time. */
const uniform = defineInitialiser<{ bug: 'none' | 'skip-last' | 'unseeded' }>({
  kind: 'initialiser',
  type: 'test-uniform',
  specVersion: 1,
  description: 'uniform with a deliberate bug',
  optionsSchema: { type: 'object', properties: { bug: { type: 'string', default: 'none' } } },
  create: ({ bug }) => ({
    fill(target, fan, rng) {
      const limit = Math.sqrt(3 / fan.fanIn);
      const end = bug === 'skip-last' ? target.size - 1 : target.size;
      // eslint-disable-next-line no-restricted-properties -- the bug this test must catch
      for (let i = 0; i < end; i++) target.data[i] = bug === 'unseeded' ? Math.random() : rng.uniform(-limit, limit);
    },
  }),
});

describe('checkInitialiser', () => {
  it('returns the values and their statistics', () => {
    const report = checkInitialiser(uniform, {}, { shape: [100, 300], fan: { fanIn: 300, fanOut: 100 } });
    expect(report.values).toHaveLength(30_000);
    expect(report.max).toBeLessThan(0.1);
    expect(report.min).toBeGreaterThanOrEqual(-0.1);
    expect(report.std).toBeCloseTo(1 / Math.sqrt(300), 3);
    expect(Math.abs(report.mean)).toBeLessThan(0.002);
  });

  it('catches an element left unwritten and draws that do not come from the rng', () => {
    expect(() => checkInitialiser(uniform, { bug: 'skip-last' }, { shape: [2, 3], fan: { fanIn: 3, fanOut: 2 } })).toThrow(
      /float32 element \[1, 2\] of \[2, 3\] is NaN after fill/,
    );
    expect(() => checkInitialiser(uniform, { bug: 'unseeded' }, { shape: [4], fan: { fanIn: 4, fanOut: 4 } })).toThrow(
      /two fills with Rng seed 1 differ/,
    );
  });
});
