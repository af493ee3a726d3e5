import { describe, expect, it } from 'vitest';
import { formatLogTick, integerTicks, linearTicks, logTicks, niceStep } from './chart-scale.js';

describe('niceStep', () => {
  it('rounds to 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(10, 5)).toEqual({ step: 2, exponent: 0 });
    expect(niceStep(0.13, 5)).toEqual({ step: 0.02, exponent: -2 });
    expect(niceStep(1000, 4)).toEqual({ step: 200, exponent: 2 });
    expect(niceStep(9, 1)).toEqual({ step: 10, exponent: 1 });
  });
});

describe('linearTicks', () => {
  it('widens the domain to round ticks with exact decimal values', () => {
    expect(linearTicks(86.3, 98.9, 5)).toEqual({ min: 86, max: 100, values: [86, 88, 90, 92, 94, 96, 98, 100], decimals: 0 });
    const small = linearTicks(0.1, 0.3, 5);
    expect(small.values).toEqual([0.1, 0.15, 0.2, 0.25, 0.3]);
    expect(small.decimals).toBe(2);
  });

  it('does not add an empty step when a bound sits on a tick', () => {
    expect(linearTicks(0.86, 0.9, 4).values).toEqual([0.86, 0.87, 0.88, 0.89, 0.9]);
  });

  it('pads a flat series and falls back to 0..1 without finite data', () => {
    expect(linearTicks(0.5, 0.5).values).toEqual([0.44, 0.46, 0.48, 0.5, 0.52, 0.54, 0.56]);
    expect(linearTicks(0, 0)).toMatchObject({ min: -1, max: 1 });
    expect(linearTicks(Infinity, -Infinity)).toMatchObject({ min: 0, max: 1 });
  });
});

describe('logTicks', () => {
  it('spans whole decades around the data', () => {
    expect(logTicks(0.00042, 0.1).values).toEqual([0.0001, 0.001, 0.01, 0.1]);
    expect(logTicks(0.001, 0.001).values).toEqual([0.001, 0.01]);
  });

  it('prints plain decimals in the usual range and powers of ten outside it', () => {
    expect([0.0001, 0.001, 0.1, 1, 10000, 1e5].map(formatLogTick)).toEqual(['1e-4', '0.001', '0.1', '1', '10000', '1e5']);
  });
});

describe('integerTicks', () => {
  it('gives whole epochs, labels the first one unless it crowds the next tick', () => {
    expect(integerTicks(1, 30).values).toEqual([1, 5, 10, 15, 20, 25, 30]);
    expect(integerTicks(1, 5).values).toEqual([1, 2, 3, 4, 5]);
    expect(integerTicks(1, 20).values).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
  });

  it('centres a single epoch', () => {
    expect(integerTicks(1, 1)).toEqual({ min: 0.5, max: 1.5, values: [1], decimals: 0 });
  });
});
