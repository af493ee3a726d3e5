import { describe, expect, it } from 'vitest';
import { lecunNormal } from './lecun-normal.js';
import { LARGE, expectDeterministic, expectFloat64Draws, expectNormal, filled, schemaDefaults } from './test-support.js';

describe('lecun-normal', () => {
  it('has no options', () => {
    expect(schemaDefaults(lecunNormal.optionsSchema)).toEqual({});
  });

  it('draws N(0, 1/fanIn): std sqrt(1/25) = 0.2', () => {
    expectNormal(filled(lecunNormal, {}, LARGE, { fanIn: 25, fanOut: 400 }, 71).data, 0, 0.2);
  });

  it('is deterministic and fills float64 with unrounded draws', () => {
    expectDeterministic(lecunNormal, {}, { fanIn: 784, fanOut: 30 });
    expectFloat64Draws(lecunNormal, {}, { fanIn: 784, fanOut: 30 });
  });
});
