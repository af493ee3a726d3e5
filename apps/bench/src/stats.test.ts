import { describe, expect, it } from 'vitest';
import { summarise } from './stats.js';

describe('summarise', () => {
  it('gives the median and range of odd and even counts', () => {
    expect(summarise([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, values: [3, 1, 2] });
    expect(summarise([4, 1, 3, 2]).median).toBe(2.5);
  });

  it('refuses an empty list', () => {
    expect(() => summarise([])).toThrow('summarise: no measurements');
  });
});
