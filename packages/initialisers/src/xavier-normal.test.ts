import { describe, expect, it } from 'vitest';
import { xavierNormal } from './xavier-normal.js';
import { LARGE, expectDeterministic, expectFloat64Draws, expectNormal, filled, schemaDefaults } from './test-support.js';

describe('xavier-normal', () => {
  it('defaults gain to 1', () => {
    expect(schemaDefaults(xavierNormal.optionsSchema)).toEqual({ gain: 1 });
  });

  it('draws N(0, std^2) with std = gain*sqrt(2/(fanIn+fanOut))', () => {
    // sqrt(2 / (150 + 50)) = sqrt(0.01) = 0.1
    expectNormal(filled(xavierNormal, { gain: 1 }, LARGE, { fanIn: 150, fanOut: 50 }, 41).data, 0, 0.1);
    // gain 3 -> 0.3
    expectNormal(filled(xavierNormal, { gain: 3 }, LARGE, { fanIn: 150, fanOut: 50 }, 42).data, 0, 0.3);
  });

  it('is deterministic and fills float64 with unrounded draws', () => {
    expectDeterministic(xavierNormal, { gain: 1 }, { fanIn: 10, fanOut: 5 });
    expectFloat64Draws(xavierNormal, { gain: 1 }, { fanIn: 10, fanOut: 5 });
  });
});
