import { describe, expect, it } from 'vitest';
import { normal } from './normal.js';
import { LARGE, expectDeterministic, expectFloat64Draws, expectNormal, filled, schemaDefaults } from './test-support.js';

const fan = { fanIn: 400, fanOut: 250 };

describe('normal', () => {
  it('defaults to N(0, 0.01^2)', () => {
    expect(schemaDefaults(normal.optionsSchema)).toEqual({ mean: 0, std: 0.01 });
    expectNormal(filled(normal, { mean: 0, std: 0.01 }, LARGE, fan, 11).data, 0, 0.01);
  });

  it('honours mean and std and ignores the fan', () => {
    const a = filled(normal, { mean: 2, std: 0.5 }, LARGE, fan, 12);
    expectNormal(a.data, 2, 0.5);
    const b = filled(normal, { mean: 2, std: 0.5 }, LARGE, { fanIn: 3, fanOut: 9 }, 12);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('std 0 gives exactly the mean', () => {
    expect(Array.from(filled(normal, { mean: 0.25, std: 0 }, [5], fan, 1).data)).toEqual(new Array(5).fill(0.25));
  });

  it('is deterministic and fills float64 with unrounded draws', () => {
    expectDeterministic(normal, { mean: 0, std: 0.01 }, fan);
    expectFloat64Draws(normal, { mean: 0, std: 0.01 }, fan);
  });
});
