import { describe, expect, it } from 'vitest';
import { heNormal } from './he-normal.js';
import { LARGE, expectDeterministic, expectFloat64Draws, expectNormal, filled, schemaDefaults } from './test-support.js';

describe('he-normal', () => {
  it('has no options', () => {
    expect(schemaDefaults(heNormal.optionsSchema)).toEqual({});
  });

  it('draws N(0, 2/fanIn): std sqrt(2/200) = 0.1, whatever fanOut is', () => {
    expectNormal(filled(heNormal, {}, LARGE, { fanIn: 200, fanOut: 10 }, 51).data, 0, 0.1);
    expectNormal(filled(heNormal, {}, LARGE, { fanIn: 200, fanOut: 900 }, 52).data, 0, 0.1);
  });

  it('is deterministic and fills float64 with unrounded draws', () => {
    expectDeterministic(heNormal, {}, { fanIn: 784, fanOut: 30 });
    expectFloat64Draws(heNormal, {}, { fanIn: 784, fanOut: 30 });
  });
});
