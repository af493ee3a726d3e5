import { describe, expect, it } from 'vitest';
import { constant } from './constant.js';
import { filled, schemaDefaults } from './test-support.js';

describe('constant', () => {
  it('defaults value to 0', () => {
    expect(schemaDefaults(constant.optionsSchema)).toEqual({ value: 0 });
    const t = filled(constant, { value: 0 }, [4], { fanIn: 1, fanOut: 4 }, 1);
    expect(Array.from(t.data)).toEqual([0, 0, 0, 0]);
  });

  it('writes the value everywhere; float64 keeps it unrounded', () => {
    const fan = { fanIn: 2, fanOut: 3 };
    expect(Array.from(filled(constant, { value: 0.1 }, [2, 3], fan, 1, 'float64').data)).toEqual(new Array(6).fill(0.1));
    // float32 stores the nearest float32, 0.100000001490116...
    expect(Array.from(filled(constant, { value: 0.1 }, [2, 3], fan, 1).data)).toEqual(new Array(6).fill(Math.fround(0.1)));
  });
});
