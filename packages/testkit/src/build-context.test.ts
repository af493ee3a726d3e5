import { describe, expect, it } from 'vitest';
import { createTestContext, optionsWithDefaults } from './build-context.js';
import { linear } from './test-plugins.js';

describe('createTestContext', () => {
  it('fills parameters with a seeded normal of std 1/sqrt(fanIn), whatever the ref', () => {
    const context = createTestContext({ inputShape: [16], seed: 4 });
    expect(context.dtype).toBe('float64');
    expect(context.inputShape).toEqual([16]);
    const w = context.initialise('zeros', [100, 100], { fanIn: 16, fanOut: 100 });
    expect(w.dtype).toBe('float64');
    let sum = 0;
    let squares = 0;
    for (const v of w.data) {
      sum += v;
      squares += v * v;
    }
    const mean = sum / w.size;
    const std = Math.sqrt(squares / w.size - mean * mean);
    // 10^4 draws: the sample std is within about 1% of 0.25 (standard error 0.25/sqrt(2*10^4)).
    expect(std).toBeGreaterThan(0.24);
    expect(std).toBeLessThan(0.26);
    expect(Math.abs(mean)).toBeLessThan(0.01);
  });

  it('is deterministic per seed and honours dtype', () => {
    const fan = { fanIn: 3, fanOut: 2 };
    const a = createTestContext({ inputShape: [3], seed: 9 }).initialise('x', [3, 2], fan);
    const b = createTestContext({ inputShape: [3], seed: 9 }).initialise('y', [3, 2], fan);
    const c = createTestContext({ inputShape: [3], seed: 10 }).initialise('x', [3, 2], fan);
    expect([...a.data]).toEqual([...b.data]);
    expect([...a.data]).not.toEqual([...c.data]);
    expect(createTestContext({ inputShape: [3], seed: 9, dtype: 'float32' }).initialise('x', [2], fan).dtype).toBe('float32');
  });

  it('passes inputGradient through only when given', () => {
    expect('inputGradient' in createTestContext({ inputShape: [3], seed: 1 })).toBe(false);
    expect(createTestContext({ inputShape: [3], seed: 1, inputGradient: false }).inputGradient).toBe(false);
  });
});

describe('optionsWithDefaults', () => {
  it('sets type and fills top-level schema defaults the caller left out', () => {
    expect(optionsWithDefaults(linear, { units: 2 })).toEqual({ type: 'test-linear', units: 2, bug: 'none' });
    expect(optionsWithDefaults(linear, { units: 2, bug: 'accumulate' })).toMatchObject({ bug: 'accumulate' });
  });
});
