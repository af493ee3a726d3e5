import { describe, expect, it } from 'vitest';
import { zeros } from './zeros.js';
import { filled, schemaDefaults } from './test-support.js';

describe('zeros', () => {
  it('has no options', () => {
    expect(schemaDefaults(zeros.optionsSchema)).toEqual({});
    expect(zeros.optionsSchema['additionalProperties']).toBe(false);
  });

  it('overwrites every element with 0 in float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const t = filled(zeros, {}, [3, 5], { fanIn: 5, fanOut: 3 }, 1, dtype);
      expect(t.dtype).toBe(dtype);
      expect(Array.from(t.data)).toEqual(new Array(15).fill(0));
    }
  });
});
