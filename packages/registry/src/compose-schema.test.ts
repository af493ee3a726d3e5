import { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema, Plugin } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { createRegistry } from './create-registry.js';
import { fakeRegistry, relu } from './test-plugins.js';

const registry = fakeRegistry();
const schema = registry.experimentSchema();
const defs = schema.$defs as Record<string, JsonSchema>;

const config = {
  name: 'run-1',
  data: { train: { type: 'mnist', take: 100 } },
  model: { input: [784], layers: ['relu', { type: 'dense', units: 10, weightInit: { type: 'normal', std: 0.1 } }] },
  loss: 'softmax-cross-entropy',
  optimiser: { type: 'sgd', momentum: 0.9 },
};

describe('experimentSchema', () => {
  it('is a draft 2020-12 schema that ajv compiles in strict mode', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(schema);
    expect(validate(config)).toBe(true);
    expect(validate({ ...config, loss: 'mse' })).toBe(false);
    expect(validate({ ...config, optimiser: { type: 'sgd', momentun: 0.9 } })).toBe(false);
    expect(validate({ ...config, model: { input: [784], layers: [{ type: 'dense', units: 10, weightInit: 'glorot' }] } })).toBe(false);
  });

  it('makes each slot a choice of id shorthand or a plugin object', () => {
    expect(defs.layerRef).toEqual({
      description: 'A layer: its id, or an object with "type" and options.',
      anyOf: [
        { type: 'string', enum: ['dense', 'dropout', 'relu'], description: 'layer id (shorthand for { type: id })' },
        { $ref: '#/$defs/layer.dense' },
        { $ref: '#/$defs/layer.dropout' },
        { $ref: '#/$defs/layer.relu' },
      ],
    });
    expect((schema.properties as Record<string, JsonSchema>).loss).toEqual({ $ref: '#/$defs/lossRef', description: 'Loss function.' });
  });

  it('gives every plugin object its type const, description, defaults and no extra keys', () => {
    expect(defs['layer.dropout']).toEqual({
      type: 'object',
      title: 'dropout',
      description: 'Zeroes a random fraction of inputs while training.',
      properties: {
        type: { const: 'dropout', description: 'The layer id.' },
        rate: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.5 },
      },
      required: ['type'],
      additionalProperties: false,
    });
    expect(Object.keys((defs['dataset.mnist']!.properties as object) ?? {})).toEqual(['type', 'split', 'skip', 'take', 'sha256']);
  });

  it('points reference options at the slot of their kind, keeping description and default', () => {
    const properties = defs['layer.dense']!.properties as Record<string, JsonSchema>;
    expect(properties.weightInit).toEqual({ $ref: '#/$defs/initialiserRef', description: 'Initialiser of the weights.', default: 'he-normal' });
  });

  it('names namespaced plugins with dots and re-roots their local refs', () => {
    const withDefs = createRegistry();
    const optionsSchema = { type: 'object', $defs: { size: { type: 'integer', minimum: 1 } }, properties: { size: { $ref: '#/$defs/size' } } };
    withDefs.registerPackage({ meta: { name: 'acme', version: '1.0.0', namespace: 'acme' }, layers: [{ ...relu, optionsSchema } as Plugin as never] });
    const composed = withDefs.experimentSchema();
    const def = (composed.$defs as Record<string, JsonSchema>)['layer.acme.relu']!;
    expect((def.properties as Record<string, JsonSchema>).size).toEqual({ $ref: '#/$defs/layer.acme.relu/$defs/size' });
    const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(composed);
    const layers = (size: number) => ({ ...config, model: { input: [1], layers: [{ type: 'acme/relu', size }] } });
    expect(validate({ ...layers(2), data: { train: { type: 'x' } }, loss: 'l', optimiser: 'o' })).toBe(true);
    expect(validate({ ...layers(0), data: { train: { type: 'x' } }, loss: 'l', optimiser: 'o' })).toBe(false);
  });

  it('leaves a slot open when no plugin of its kind is registered', () => {
    const empty = createRegistry().experimentSchema().$defs as Record<string, JsonSchema>;
    expect(empty.lossRef).toEqual({ type: ['string', 'object'], description: 'No loss plugins are registered.' });
  });
});
