import { describe, expect, it } from 'vitest';
import { clonePlain, formatValue, labelOf, pointerToPath } from './plain-data.js';

describe('plain data helpers', () => {
  it('formats values for messages, cutting long ones', () => {
    expect(formatValue(0)).toBe('0');
    expect(formatValue('relu')).toBe('"relu"');
    expect(formatValue(undefined)).toBe('nothing');
    expect(formatValue(null)).toBe('null');
    expect(formatValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
    const long = formatValue('x'.repeat(100));
    expect(long).toHaveLength(40);
    expect(long.endsWith('…')).toBe(true);
  });

  it('reads array indices as numbers and numeric-looking keys as strings', () => {
    const data = { layers: [{ '0': { 'a/b': 1 } }] };
    expect(pointerToPath('/layers/0/0/a~1b', data)).toEqual(['layers', 0, '0', 'a/b']);
    expect(pointerToPath('', data)).toEqual([]);
  });

  it('labels a value by its last key and the indices after it', () => {
    expect(labelOf(['model', 'input', 1])).toBe('input[1]');
    expect(labelOf(['model', 'layers', 2, 'units'])).toBe('units');
    expect(labelOf([3])).toBe('value[3]');
    expect(labelOf([])).toBe('value');
  });

  it('deep-copies arrays and plain objects only', () => {
    const shared = new Float32Array(2);
    const original = { a: [{ b: 1 }], shared };
    const copy = clonePlain(original);
    expect(copy).toEqual(original);
    expect(copy.a[0]).not.toBe(original.a[0]);
    expect(copy.shared).toBe(shared);
  });
});
