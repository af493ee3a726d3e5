import { describe, expect, it } from 'vitest';
import { describeSchema } from './describe-schema.js';

describe('describeSchema', () => {
  it('says numbers with their bounds', () => {
    expect(describeSchema({ type: 'integer', minimum: 1 })).toBe('an integer >= 1');
    expect(describeSchema({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 })).toBe('a number > 0 and < 1');
    expect(describeSchema({ type: 'number', maximum: 5, multipleOf: 0.5 })).toBe('a number <= 5 and a multiple of 0.5');
  });

  it('says enums, consts and unions', () => {
    expect(describeSchema({ enum: ['keep', 'drop'] })).toBe('one of "keep", "drop"');
    expect(describeSchema({ const: 'fixed' })).toBe('"fixed"');
    expect(describeSchema({ type: ['string', 'object'] })).toBe('a string or an object');
    expect(describeSchema({ anyOf: [{ type: 'string' }, { type: 'integer', minimum: 3 }] })).toBe('a string or an integer >= 3');
  });

  it('says strings and lists with their lengths', () => {
    expect(describeSchema({ type: 'string', minLength: 1 })).toBe('a non-empty string');
    expect(describeSchema({ type: 'string', minLength: 2, maxLength: 4 })).toBe('a string of 2 to 4 characters');
    expect(describeSchema({ type: 'string', pattern: '^a+$' })).toBe('a string matching /^a+$/');
    expect(describeSchema({ type: 'array', minItems: 1 })).toBe('a non-empty list');
    expect(describeSchema({ type: 'array', maxItems: 3, uniqueItems: true })).toBe('a list of at most 3 items without repeated items');
    expect(describeSchema({ type: 'boolean' })).toBe('true or false');
  });

  it('returns undefined when the schema states nothing it can say', () => {
    expect(describeSchema({})).toBeUndefined();
    expect(describeSchema({ anyOf: [{ type: 'string' }, { not: { type: 'string' } }] })).toBeUndefined();
    expect(describeSchema(true)).toBeUndefined();
  });
});
