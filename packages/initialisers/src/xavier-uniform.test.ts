import { describe, expect, it } from 'vitest';
import { xavierUniform } from './xavier-uniform.js';
import { LARGE, expectDeterministic, expectFloat64Draws, expectUniform, filled, schemaDefaults } from './test-support.js';

describe('xavier-uniform', () => {
  it('defaults gain to 1', () => {
    expect(schemaDefaults(xavierUniform.optionsSchema)).toEqual({ gain: 1 });
  });

  it('draws U(+/- gain*sqrt(6/(fanIn+fanOut)))', () => {
    // sqrt(6 / (100 + 50)) = sqrt(0.04) = 0.2
    expectUniform(filled(xavierUniform, { gain: 1 }, LARGE, { fanIn: 100, fanOut: 50 }, 31).data, -0.2, 0.2);
    // gain 2.5 -> 0.5
    expectUniform(filled(xavierUniform, { gain: 2.5 }, LARGE, { fanIn: 100, fanOut: 50 }, 32).data, -0.5, 0.5);
  });

  it('is deterministic and fills float64 with unrounded draws', () => {
    expectDeterministic(xavierUniform, { gain: 1 }, { fanIn: 10, fanOut: 5 });
    expectFloat64Draws(xavierUniform, { gain: 1 }, { fanIn: 10, fanOut: 5 });
  });
});
