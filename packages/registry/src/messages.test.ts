import { describe, expect, it } from 'vitest';
import { stringChoices, unknownKeyMessage } from './messages.js';

describe('stringChoices', () => {
  it('collects enum and const strings through anyOf and oneOf, once each', () => {
    expect(stringChoices({ enum: ['keep', 'drop'] })).toEqual(['keep', 'drop']);
    expect(stringChoices({ anyOf: [{ enum: ['same', 'valid'] }, { type: 'integer' }, { oneOf: [{ const: 'full' }, { const: 'same' }] }] })).toEqual([
      'same',
      'valid',
      'full',
    ]);
  });

  it('leaves out values that are not strings, and schemas without names', () => {
    expect(stringChoices({ enum: [1, 'a', null, true] })).toEqual(['a']);
    expect(stringChoices({ type: 'string' })).toEqual([]);
    expect(stringChoices(undefined)).toEqual([]);
  });
});

describe('unknownKeyMessage', () => {
  it('suggests the nearest key, or ends the sentence when none is close', () => {
    expect(unknownKeyMessage('option', 'unit', ['units', 'useBias'], 'Options of dense', '')).toBe(
      'unknown option "unit"; did you mean "units"? Options of dense: units, useBias',
    );
    expect(unknownKeyMessage('option', 'zzz', ['units'], 'Options of dense', '')).toBe('unknown option "zzz". Options of dense: units');
    expect(unknownKeyMessage('option', 'x', [], 'Options of relu', 'relu takes no options')).toBe('unknown option "x": relu takes no options');
  });
});
