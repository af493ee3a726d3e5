import { ConfigError } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { selectRange } from './select-range.js';
import { tinyDataset } from './test-fixtures.js';

describe('selectRange', () => {
  const dataset = tinyDataset([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

  it('takes the first samples as views sharing memory', () => {
    const first = selectRange(dataset, { take: 3 });
    expect(first.count).toBe(3);
    expect(Array.from(first.labels)).toEqual([0, 1, 2]);
    expect(first.images.length).toBe(12);
    expect(first.images.buffer).toBe(dataset.images.buffer);
    expect(first.labels.buffer).toBe(dataset.labels.buffer);
    expect(first.source).toBe('tiny [samples 0..2]');
  });

  it('skips, then takes at most what remains (tutorial 1: first 1500 train, the rest test)', () => {
    const rest = selectRange(dataset, { skip: 7 });
    expect(Array.from(rest.labels)).toEqual([7, 8, 9]);
    expect(rest.images[0]).toBe(7);
    expect(selectRange(dataset, { skip: 8, take: 100 }).count).toBe(2);
    expect(selectRange(dataset, { skip: 2, take: 2 }).images).toEqual(Float32Array.of(2, 2, 2, 2, 3, 3, 3, 3));
  });

  it('returns the dataset itself when nothing is cut', () => {
    expect(selectRange(dataset, {})).toBe(dataset);
    expect(selectRange(dataset, { take: 10 })).toBe(dataset);
  });

  it('rejects a skip that leaves nothing, naming the config path', () => {
    let caught: unknown;
    try {
      selectRange(dataset, { skip: 10 }, ['data', 'test']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toBe('data.test.skip: skip 10 leaves no samples: tiny has 10. Use a skip below 10.');
  });

  it('rejects negative or fractional values', () => {
    expect(() => selectRange(dataset, { skip: -1 })).toThrow(/skip: must be an integer >= 0, got -1/);
    expect(() => selectRange(dataset, { take: 0 }, ['data', 'train'])).toThrow(/data.train.take: must be an integer >= 1, got 0/);
    expect(() => selectRange(dataset, { take: 1.5 })).toThrow(ConfigError);
  });
});
