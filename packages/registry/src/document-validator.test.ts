import { describe, expect, it } from 'vitest';
import { createDocumentValidator } from './document-validator.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string' },
    method: { enum: ['grid', 'random'], default: 'grid' },
    count: { type: 'integer', minimum: 1 },
  },
};
const validate = createDocumentValidator<{ name: string; method: string }>(schema, {
  noun: 'key',
  listIntro: 'Sweep keys',
  none: 'no keys are allowed',
});

describe('createDocumentValidator', () => {
  it('fills defaults into a copy and leaves the input alone', () => {
    const raw = { name: 'a' };
    expect(validate(raw)).toEqual({ value: { name: 'a', method: 'grid' }, issues: [] });
    expect(raw).toEqual({ name: 'a' });
  });

  it('speaks like experiment validation, in reading order', () => {
    const { value, issues } = validate({ count: 0, nmae: 'x', method: 'rnadom' });
    expect(value).toBeUndefined();
    expect(issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['name', 'missing required key "name"'],
      ['count', 'count must be an integer >= 1 (found 0)'],
      ['nmae', 'unknown key "nmae"; did you mean "name"? Sweep keys: name, method, count'],
      ['method', 'method must be one of "grid", "random" (found "rnadom"); did you mean "random"?'],
    ]);
  });
});
