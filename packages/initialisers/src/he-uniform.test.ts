import { describe, expect, it } from 'vitest';
import { heUniform } from './he-uniform.js';
import { LARGE, expectDeterministic, expectFloat64Draws, expectUniform, filled, schemaDefaults } from './test-support.js';

describe('he-uniform', () => {
  it('has no options', () => {
    expect(schemaDefaults(heUniform.optionsSchema)).toEqual({});
  });

  it('draws U(+/- sqrt(6/fanIn))', () => {
    // sqrt(6 / 150) = sqrt(0.04) = 0.2
    expectUniform(filled(heUniform, {}, LARGE, { fanIn: 150, fanOut: 10 }, 61).data, -0.2, 0.2);
  });

  it('is deterministic and fills float64 with unrounded draws', () => {
    expectDeterministic(heUniform, {}, { fanIn: 784, fanOut: 30 });
    expectFloat64Draws(heUniform, {}, { fanIn: 784, fanOut: 30 });
  });

  it('refuses a fan-in of 0', () => {
    expect(() => filled(heUniform, {}, [3], { fanIn: 0, fanOut: 3 }, 1)).toThrow(/he-uniform: limit must be a finite number/);
  });
});
