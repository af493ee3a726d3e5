import { ConfigError, type Plugin } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { createRegistry } from './create-registry.js';
import { fakeRegistry, relu } from './test-plugins.js';

// Registries are immutable once built, so one serves every test that only validates.
const registry = fakeRegistry();
const at = ['model', 'layers', 2];

describe('validateOptions', () => {
  it('expands string shorthand and fills defaults, including referenced plugins', () => {
    expect(registry.validateOptions('layer', 'relu', at)).toEqual({ value: { type: 'relu' }, issues: [] });
    expect(registry.validateOptions('layer', { type: 'dense', units: 30 }, at).value).toEqual({
      type: 'dense',
      units: 30,
      weightInit: { type: 'he-normal' },
      biasInit: { type: 'zeros' },
      useBias: true,
    });
  });

  it('validates referenced plugins in object form and keeps their options', () => {
    const result = registry.validateOptions('layer', { type: 'dense', units: 3, weightInit: { type: 'normal', std: 0.1 } });
    expect(result.value?.weightInit).toEqual({ type: 'normal', mean: 0, std: 0.1 });
  });

  it('does not touch the input', () => {
    const input = { type: 'dense', units: 3, weightInit: { type: 'normal' } };
    const copy = structuredClone(input);
    registry.validateOptions('layer', input, at);
    expect(input).toEqual(copy);
  });

  it('says what a bad value must be, where, and which plugin', () => {
    expect(registry.validateOptions('layer', { type: 'dense', units: 0 }, at).issues).toEqual([
      { path: ['model', 'layers', 2, 'units'], plugin: 'dense', message: 'units must be an integer >= 1 (found 0)' },
    ]);
    expect(registry.validateOptions('layer', { type: 'dense', units: '10' }, at).issues[0]?.message).toBe(
      'units must be an integer >= 1 (found "10")',
    );
  });

  it('rejects unknown options with a did-you-mean and the list of options', () => {
    const { issues } = registry.validateOptions('layer', { type: 'dense', units: 2, unit: 3 }, at);
    expect(issues).toEqual([
      {
        path: ['model', 'layers', 2, 'unit'],
        plugin: 'dense',
        message: 'unknown option "unit"; did you mean "units"? Options of dense: units, weightInit, biasInit, useBias',
      },
    ]);
    expect(registry.validateOptions('layer', { type: 'relu', units: 3 }, at).issues[0]?.message).toBe(
      'unknown option "units": relu takes no options',
    );
    expect(registry.validateOptions('layer', { type: 'dense', units: 2, momentum: 3 }, at).issues[0]?.message).toBe(
      'unknown option "momentum". Options of dense: units, weightInit, biasInit, useBias',
    );
  });

  it('rejects unknown options even when the plugin allowed additional properties', () => {
    const registry = createRegistry();
    registry.register({ ...relu, optionsSchema: { type: 'object', additionalProperties: true } } as Plugin);
    expect(registry.validateOptions('layer', { type: 'relu', extra: 1 }).issues).toHaveLength(1);
  });

  it('reports a missing required option', () => {
    expect(registry.validateOptions('layer', { type: 'dense' }, at).issues).toEqual([
      { path: ['model', 'layers', 2, 'units'], plugin: 'dense', message: 'missing required option "units"' },
    ]);
  });

  it('reports an unknown type with the known ids and a suggestion', () => {
    expect(registry.validateOptions('layer', 'dnese', at).issues).toEqual([
      { path: at, message: 'unknown layer type "dnese". Did you mean "dense"? Known layer types: dense, dropout, relu.' },
    ]);
    expect(registry.validateOptions('layer', { type: 'Relu' }, at).issues).toEqual([
      {
        path: [...at, 'type'],
        message: 'unknown layer type "Relu". Did you mean "relu"? Known layer types: dense, dropout, relu.',
      },
    ]);
  });

  it('reports refs that are neither an id nor an object with a string type', () => {
    expect(registry.validateOptions('layer', 3, at).issues[0]?.message).toBe('layers[2] must be a layer id or an object with "type" (found 3)');
    expect(registry.validateOptions('layer', { units: 3 }, at).issues).toEqual([
      { path: [...at, 'type'], message: 'missing required key "type" naming the layer (one of dense, dropout, relu)' },
    ]);
    expect(registry.validateOptions('loss', { units: 3 }).issues[0]?.message).toBe(
      'missing required key "type" naming the loss (one of softmax-cross-entropy)',
    );
    expect(registry.validateOptions('layer', { type: ['dense'] }, at).issues[0]?.message).toBe(
      'type must be the id of a layer (found ["dense"])',
    );
  });

  it('reports problems inside a referenced plugin under its own path and id', () => {
    const ref = { type: 'dense', units: 2, weightInit: { type: 'normal', std: -1 }, biasInit: 'zeroes' };
    const { issues } = registry.validateOptions('layer', ref, at);
    expect(issues).toEqual([
      { path: [...at, 'weightInit', 'std'], plugin: 'normal', message: 'std must be a number > 0 (found -1)' },
      {
        path: [...at, 'biasInit'],
        message: 'unknown initialiser type "zeroes". Did you mean "zeros"? Known initialiser types: he-normal, normal, zeros.',
      },
    ]);
    expect(registry.validateOptions('layer', { type: 'dense', units: 2, weightInit: 5 }, at).issues).toEqual([
      { path: [...at, 'weightInit'], plugin: 'dense', message: 'weightInit must be an initialiser id or an object with "type" (found 5)' },
    ]);
  });

  it('collects every issue, in the order they appear', () => {
    const ref = { unitz: 1, type: 'dense', useBias: 'yes', weightInit: 'he-normal' };
    const { issues, value } = registry.validateOptions('layer', ref, at);
    expect(value).toBeUndefined();
    expect(ConfigError.describe(issues)).toBe(
      [
        'model.layers[2].units (dense): missing required option "units"',
        'model.layers[2].unitz (dense): unknown option "unitz"; did you mean "units"? Options of dense: units, weightInit, biasInit, useBias',
        'model.layers[2].useBias (dense): useBias must be true or false (found "yes")',
      ].join('\n'),
    );
  });

  it('accepts skip and take on datasets only, keeping them in the value', () => {
    expect(registry.validateOptions('dataset', { type: 'mnist', skip: 10, take: 100 }).value).toEqual({
      type: 'mnist',
      split: 'train',
      skip: 10,
      take: 100,
    });
    expect(registry.validateOptions('dataset', { type: 'mnist', take: -1 }).issues[0]?.message).toBe('take must be an integer >= 1 (found -1)');
    // take: 0 would leave nothing to train or test on; selectRange refuses it too.
    expect(registry.validateOptions('dataset', { type: 'mnist', take: 0 }).issues[0]?.message).toBe('take must be an integer >= 1 (found 0)');
    expect(registry.validateOptions('dataset', { type: 'mnist', tak: 1 }).issues[0]?.message).toBe(
      'unknown option "tak"; did you mean "take"? Options of mnist: split, skip, take, sha256',
    );
    expect(registry.validateOptions('preprocess', { type: 'scale', take: 1 }).issues[0]?.message).toContain('unknown option "take"');
  });

  it('explains nested objects and unions in plugin options', () => {
    const registry = createRegistry();
    const optionsSchema = {
      type: 'object',
      $defs: { size: { type: 'integer', minimum: 1 } },
      properties: {
        kernel: {
          type: 'object',
          properties: { height: { $ref: '#/$defs/size' }, width: { $ref: '#/$defs/size' } },
          additionalProperties: false,
          default: {},
        },
        padding: { anyOf: [{ enum: ['same', 'valid'] }, { type: 'integer', minimum: 0 }], default: 'valid' },
      },
    };
    registry.register({ ...relu, type: 'conv', optionsSchema } as Plugin);
    expect(registry.validateOptions('layer', { type: 'conv', kernel: { height: 0, wdth: 3 }, padding: 'full' }).issues).toEqual([
      { path: ['kernel', 'height'], plugin: 'conv', message: 'height must be an integer >= 1 (found 0)' },
      { path: ['kernel', 'wdth'], plugin: 'conv', message: 'unknown key "wdth"; did you mean "width"? Keys of kernel: height, width' },
      { path: ['padding'], plugin: 'conv', message: 'padding must be one of "same", "valid" or an integer >= 0 (found "full")' },
    ]);
    // A misspelt name inside the union gets the nearest one; a wrong type gets no guess.
    expect(registry.validateOptions('layer', { type: 'conv', padding: 'vaild' }).issues[0]?.message).toBe(
      'padding must be one of "same", "valid" or an integer >= 0 (found "vaild"); did you mean "valid"?',
    );
    expect(registry.validateOptions('layer', { type: 'conv', padding: -1 }).issues[0]?.message).toBe(
      'padding must be one of "same", "valid" or an integer >= 0 (found -1)',
    );
  });

  it('names the nearest allowed value of an enum option', () => {
    expect(registry.validateOptions('dataset', { type: 'mnist', split: 'tset' }).issues).toEqual([
      { path: ['split'], plugin: 'mnist', message: 'split must be one of "train", "test" (found "tset"); did you mean "test"?' },
    ]);
    expect(registry.validateOptions('dataset', { type: 'mnist', split: 'validation' }).issues[0]?.message).toBe(
      'split must be one of "train", "test" (found "validation")',
    );
  });
});
