import { describe, expect, it } from 'vitest';
import { scaledNormal } from './scaled-normal.js';
import { LARGE, expectDeterministic, expectFloat64Draws, expectNormal, filled, schemaDefaults } from './test-support.js';

describe('scaled-normal', () => {
  it('has no options', () => {
    expect(schemaDefaults(scaledNormal.optionsSchema)).toEqual({});
  });

  it('draws N(0, 1/fanIn): std 1/sqrt(400) = 0.05, whatever fanOut is', () => {
    expectNormal(filled(scaledNormal, {}, LARGE, { fanIn: 400, fanOut: 250 }, 21).data, 0, 0.05);
    expectNormal(filled(scaledNormal, {}, LARGE, { fanIn: 400, fanOut: 1 }, 22).data, 0, 0.05);
  });

  it('is deterministic and fills float64 with unrounded draws', () => {
    expectDeterministic(scaledNormal, {}, { fanIn: 30, fanOut: 10 });
    expectFloat64Draws(scaledNormal, {}, { fanIn: 30, fanOut: 10 });
  });

  it('refuses a fan-in of 0 instead of writing Infinity', () => {
    expect(() => filled(scaledNormal, {}, [3], { fanIn: 0, fanOut: 3 }, 1)).toThrow(
      'initialiser scaled-normal: std must be a finite number >= 0, got Infinity (fanIn 0, fanOut 3)',
    );
  });
});
