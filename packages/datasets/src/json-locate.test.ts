import { describe, expect, it } from 'vitest';
import { locateJsonValue, parseJsonPath } from './json-locate.js';

/** Up to 12 characters of the text from where the value at `path` starts. */
const valueAt = (text: string, path: (string | number)[]): string | undefined => {
  const index = locateJsonValue(text, path);
  return index === undefined ? undefined : text.slice(index, index + 12);
};

describe('parseJsonPath', () => {
  it('splits keys and indices', () => {
    expect(parseJsonPath('data[3][9]')).toEqual(['data', 3, 9]);
    expect(parseJsonPath('target_names')).toEqual(['target_names']);
    expect(parseJsonPath('(root)')).toEqual([]);
    expect(parseJsonPath('a.b')).toBeUndefined();
  });
});

describe('locateJsonValue', () => {
  const text = '{ "name": "x,]}\\"[", "data": [[1, 2], [3, [4, {"k": "]"}], 5e-1], true],\n  "data2": {"a": null} }';

  it('finds values through objects and arrays, skipping strings with brackets and escapes', () => {
    expect(valueAt(text, [])).toMatch(/^\{ "name"/);
    expect(valueAt(text, ['name'])).toMatch(/^"x,\]\}/);
    expect(valueAt(text, ['data', 0, 1])).toMatch(/^2\]/);
    expect(valueAt(text, ['data', 1, 1, 1, 'k'])).toMatch(/^"\]"/);
    expect(valueAt(text, ['data', 1, 2])).toMatch(/^5e-1\]/);
    expect(valueAt(text, ['data', 2])).toMatch(/^true\]/);
    expect(valueAt(text, ['data2', 'a'])).toMatch(/^null\}/);
  });

  it('returns undefined for paths that do not exist', () => {
    expect(locateJsonValue(text, ['missing'])).toBeUndefined();
    expect(locateJsonValue(text, ['data', 3])).toBeUndefined();
    expect(locateJsonValue(text, ['data', 0, 0, 0])).toBeUndefined();
    expect(locateJsonValue(text, ['data', 'key'])).toBeUndefined();
    expect(locateJsonValue('[]', [0])).toBeUndefined();
  });

  it('resolves a repeated key to its last occurrence, as JSON.parse does', () => {
    const repeated = '{"a": 1, "a": 2}';
    expect(JSON.parse(repeated).a).toBe(2);
    expect(valueAt(repeated, ['a'])).toBe('2}');
  });
});
