import type { JsonSchema } from '@scratchnet/spec';
import { formatValue, isPlainObject } from './plain-data.js';

/** Keywords whose failure `describeSchema` explains; other failures fall back to ajv's text. */
export const DESCRIBED_KEYWORDS: ReadonlySet<string> = new Set([
  'type',
  'enum',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'anyOf',
  'oneOf',
]);

const NOUNS: Readonly<Record<string, string>> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  null: 'null',
};

function numberBounds(schema: JsonSchema): string[] {
  const bounds: string[] = [];
  if (typeof schema.minimum === 'number') bounds.push(`>= ${schema.minimum}`);
  if (typeof schema.exclusiveMinimum === 'number') bounds.push(`> ${schema.exclusiveMinimum}`);
  if (typeof schema.maximum === 'number') bounds.push(`<= ${schema.maximum}`);
  if (typeof schema.exclusiveMaximum === 'number') bounds.push(`< ${schema.exclusiveMaximum}`);
  if (typeof schema.multipleOf === 'number') bounds.push(`a multiple of ${schema.multipleOf}`);
  return bounds;
}

function countRange(min: unknown, max: unknown, unit: string): string | undefined {
  const hasMin = typeof min === 'number';
  const hasMax = typeof max === 'number';
  if (hasMin && hasMax) return min === max ? `of exactly ${min} ${unit}` : `of ${min} to ${max} ${unit}`;
  if (hasMin) return `of at least ${min} ${unit}`;
  if (hasMax) return `of at most ${max} ${unit}`;
  return undefined;
}

function describeString(schema: JsonSchema): string {
  let text = schema.minLength === 1 && schema.maxLength === undefined ? 'a non-empty string' : 'a string';
  if (text === 'a string') {
    const range = countRange(schema.minLength, schema.maxLength, 'characters');
    if (range) text += ` ${range}`;
  }
  if (typeof schema.pattern === 'string') text += ` matching /${schema.pattern}/`;
  return text;
}

function describeArray(schema: JsonSchema): string {
  let text = schema.minItems === 1 && schema.maxItems === undefined ? 'a non-empty list' : 'a list';
  if (text === 'a list') {
    const range = countRange(schema.minItems, schema.maxItems, 'items');
    if (range) text += ` ${range}`;
  }
  if (schema.uniqueItems === true) text += ' without repeated items';
  return text;
}

function describeType(type: string, schema: JsonSchema): string {
  if (type === 'integer' || type === 'number') {
    const bounds = numberBounds(schema);
    return bounds.length === 0 ? NOUNS[type]! : `${NOUNS[type]} ${bounds.join(' and ')}`;
  }
  if (type === 'string') return describeString(schema);
  if (type === 'array') return describeArray(schema);
  return NOUNS[type] ?? type;
}

/**
 * What a value must be to satisfy `schema`, as a phrase that follows "must be":
 * `an integer >= 1`, `one of "keep", "drop"`, `a number > 0 and < 1`, `a string or an object`.
 * Undefined when the schema states nothing this function knows how to say.
 */
export function describeSchema(schema: unknown): string | undefined {
  if (!isPlainObject(schema)) return undefined;
  if ('const' in schema) return formatValue(schema.const);
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((value) => formatValue(value)).join(', ')}`;
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (branches) {
    const phrases = branches.map((branch) => describeSchema(branch));
    if (phrases.every((phrase) => phrase !== undefined)) return [...new Set(phrases)].join(' or ');
    return undefined;
  }
  const types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type : [];
  if (types.length === 0) {
    // No type, but bounds alone (a schema that allows non-numbers too) still say something.
    const bounds = numberBounds(schema);
    return bounds.length === 0 ? undefined : bounds.join(' and ');
  }
  return types.map((type) => describeType(String(type), schema)).join(' or ');
}
