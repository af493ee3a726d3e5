import { DuplicatePluginError, InvalidPluginError, UnknownPluginError, type Plugin, type PluginPackage } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { createRegistry } from './create-registry.js';
import { dense, fakeRegistry, mnist, relu, softmaxCrossEntropy } from './test-plugins.js';

/** The error `action` throws (fails the test when it does not throw). */
function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

const registerBroken = (changes: Record<string, unknown>, base: Plugin = relu): Error =>
  thrown(() => createRegistry().register({ ...base, ...changes } as unknown as Plugin, 'broken.js'));

describe('register', () => {
  it('makes a plugin available by kind and id, with its source', () => {
    const registry = createRegistry();
    registry.register(relu, '@scratchnet/layers');
    expect(registry.get('layer', 'relu')).toBe(relu);
    expect(registry.has('layer', 'relu')).toBe(true);
    expect(registry.has('loss', 'relu')).toBe(false);
    expect(registry.sourceOf('layer', 'relu')).toBe('@scratchnet/layers');
    expect(registry.sourceOf('layer', 'dense')).toBeUndefined();
  });

  it('names an unknown source when none is given', () => {
    const registry = createRegistry();
    registry.register(relu);
    expect(registry.sourceOf('layer', 'relu')).toBe('(unknown source)');
  });

  it('lists plugins of a kind sorted by id', () => {
    expect(fakeRegistry().list('layer').map((plugin) => plugin.type)).toEqual(['dense', 'dropout', 'relu']);
    expect(createRegistry().list('loss')).toEqual([]);
  });

  it('rejects a duplicate id, naming both sources', () => {
    const registry = createRegistry();
    registry.register(relu, '@scratchnet/layers');
    const error = thrown(() => registry.register(relu, 'my-plugins.js'));
    expect(error).toBeInstanceOf(DuplicatePluginError);
    expect(error.message).toBe(
      'layer "relu" from my-plugins.js is already registered by @scratchnet/layers. ' +
        'Give the new plugin another id (third-party ids are namespace/name) or register only one of them.',
    );
  });

  it('allows the same id in two kinds', () => {
    const registry = createRegistry();
    registry.register(relu);
    registry.register({ ...softmaxCrossEntropy, type: 'relu' });
    expect(registry.get('loss', 'relu').kind).toBe('loss');
  });

  it('rejects a wrong specVersion, saying which version it supports', () => {
    const error = registerBroken({ specVersion: 2 });
    expect(error).toBeInstanceOf(InvalidPluginError);
    expect(error.message).toBe(
      'broken.js: layer "relu": specVersion 2 is not supported; this registry supports specVersion 1. ' +
        "Use a plugin release built for specVersion 1, or a scratchnet release that supports the plugin's version.",
    );
  });

  it('rejects an id that is not kebab-case', () => {
    expect(registerBroken({ type: 'maxPool' }).message).toBe(
      'broken.js: layer "maxPool": id "maxPool" is not kebab-case; use lower-case letters and digits in words ' +
        'joined by single hyphens, e.g. "max-pool".',
    );
    expect(registerBroken({ type: 'max--pool' }).message).toContain('is not kebab-case');
    expect(registerBroken({ type: '2d-pool' }).message).toContain('is not kebab-case');
    expect(registerBroken({ type: 'acme/pool' }).message).toContain('built-in ids have no namespace');
    expect(registerBroken({ type: 7 }).message).toBe('broken.js: layer plugin: "type" (the plugin id) must be a string (found 7).');
  });

  it('rejects an unknown kind, a missing description and a missing factory', () => {
    expect(registerBroken({ kind: 'layers' }).message).toBe(
      'broken.js: plugin "relu": kind must be one of layer, loss, optimiser, schedule, initialiser, dataset, preprocess, augmentation (found "layers").',
    );
    expect(registerBroken({ description: '  ' }).message).toBe(
      'broken.js: layer "relu": description must be a non-empty one-line summary (found "  ").',
    );
    expect(registerBroken({ outputShape: undefined }).message).toBe(
      'broken.js: layer "relu": every layer plugin needs outputShape() and create(); outputShape is not a function (found nothing).',
    );
    expect(registerBroken({ load: undefined }, mnist).message).toContain('every dataset plugin needs load(); load is not a function');
    expect(thrown(() => createRegistry().register(null as unknown as Plugin, 'x.js')).message).toBe(
      'x.js: plugin: expected a plugin object (found null).',
    );
  });

  it('rejects an options schema that is not an object schema', () => {
    expect(registerBroken({ optionsSchema: { properties: {} } }).message).toMatch(
      /^broken\.js: layer "relu": optionsSchema must be an object schema describing the options without "type"/,
    );
    expect(registerBroken({ optionsSchema: { type: 'object', required: 'units' } }).message).toContain(
      'optionsSchema.required must be a list of option names (found "units")',
    );
  });

  it('rejects options named like the ones the registry adds', () => {
    const typed = { type: 'object', properties: { type: { type: 'string' } } };
    expect(registerBroken({ optionsSchema: typed }).message).toBe(
      'broken.js: layer "relu": option "type" is reserved: the registry adds "type" to every plugin. Rename it in optionsSchema.properties.',
    );
    const take = { type: 'object', properties: { take: { type: 'integer' } } };
    expect(registerBroken({ optionsSchema: take }, mnist).message).toContain('option "take" is reserved');
    createRegistry().register({ ...relu, optionsSchema: take } as Plugin);
  });

  it('reports a schema that does not compile with the plugin name and the ajv message', () => {
    const typo = { type: 'object', properties: { units: { type: 'integer', minimum: 1, defualt: 3 } } };
    expect(registerBroken({ optionsSchema: typo }).message).toBe(
      'broken.js: layer "relu": optionsSchema does not compile (ajv strict mode): strict mode: unknown keyword: "defualt". Fix the schema.',
    );
    const untyped = { type: 'object', properties: { rate: { minimum: 0 } } };
    expect(registerBroken({ optionsSchema: untyped }).message).toContain('missing type "number" for keyword "minimum"');
    const notRequired = { type: 'object', required: ['units'] };
    expect(registerBroken({ optionsSchema: notRequired }).message).toContain('required property "units" is not defined');
  });

  it('checks references name declared options and known kinds', () => {
    expect(registerBroken({ references: { weightInit: 'initialiser' } }).message).toContain(
      'references.weightInit names an option that optionsSchema.properties does not declare',
    );
    const withInit = { type: 'object', properties: { init: { type: 'string' } } };
    expect(registerBroken({ optionsSchema: withInit, references: { init: 'initializer' } }).message).toContain(
      'references.init must be one of layer, loss',
    );
  });

  it('registers nothing once frozen', () => {
    const registry = createRegistry();
    registry.freeze();
    const error = thrown(() => registry.register(relu, 'late.js'));
    expect(error).toBeInstanceOf(InvalidPluginError);
    expect(error.message).toBe('late.js: cannot register layer "relu": the registry is frozen. Register every plugin before freeze().');
    expect(registry.has('layer', 'relu')).toBe(false);
  });
});

describe('get', () => {
  it('throws UnknownPluginError with the sorted known ids and a suggestion', () => {
    const error = thrown(() => fakeRegistry().get('layer', 'dnese'));
    expect(error).toBeInstanceOf(UnknownPluginError);
    expect(error.message).toBe('unknown layer type "dnese". Did you mean "dense"? Known layer types: dense, dropout, relu.');
    expect(thrown(() => fakeRegistry().get('layer', 'convolution')).message).toBe(
      'unknown layer type "convolution". Known layer types: dense, dropout, relu.',
    );
    expect(thrown(() => createRegistry().get('loss', 'mse')).message).toBe('unknown loss type "mse". Known loss types: (none registered).');
  });
});

describe('registerPackage', () => {
  const pkg: PluginPackage = {
    meta: { name: 'scratchnet-plugin-acme', version: '1.2.0', namespace: 'acme' },
    layers: [relu, dense],
    losses: [softmaxCrossEntropy],
  };

  it('registers every plugin as namespace/id, sourced from the package', () => {
    const registry = createRegistry();
    registry.registerPackage(pkg);
    expect(registry.list('layer').map((plugin) => plugin.type)).toEqual(['acme/dense', 'acme/relu']);
    expect(registry.get('loss', 'acme/softmax-cross-entropy').create).toBe(softmaxCrossEntropy.create);
    expect(registry.sourceOf('layer', 'acme/relu')).toBe('scratchnet-plugin-acme@1.2.0');
    expect(relu.type).toBe('relu');
  });

  it('suggests the namespaced id when the namespace is missing', () => {
    const registry = createRegistry();
    registry.registerPackage(pkg, 'node_modules/scratchnet-plugin-acme');
    expect(thrown(() => registry.get('layer', 'relu')).message).toBe(
      'unknown layer type "relu". Did you mean "acme/relu"? Known layer types: acme/dense, acme/relu.',
    );
  });

  it('rejects a namespace that is not kebab-case', () => {
    const error = thrown(() => createRegistry().registerPackage({ ...pkg, meta: { ...pkg.meta, namespace: 'Acme' } }));
    expect(error.message).toBe(
      'scratchnet-plugin-acme@1.2.0: namespace "Acme" is not kebab-case; use lower-case letters and digits in words joined by single hyphens, e.g. "max-pool".',
    );
  });

  it('rejects a plugin in the wrong list', () => {
    const misfiled = { ...pkg, layers: [softmaxCrossEntropy] } as unknown as PluginPackage;
    expect(thrown(() => createRegistry().registerPackage(misfiled)).message).toBe(
      'scratchnet-plugin-acme@1.2.0: plugin "softmax-cross-entropy" in layers has kind loss; layers holds only layer plugins.',
    );
  });

  it('registers nothing when one plugin of the package is broken', () => {
    const registry = createRegistry();
    const broken = { ...pkg, layers: [relu, { ...dense, specVersion: 3 }] } as unknown as PluginPackage;
    expect(thrown(() => registry.registerPackage(broken))).toBeInstanceOf(InvalidPluginError);
    const twice = { ...pkg, layers: [relu, relu] };
    expect(thrown(() => registry.registerPackage(twice))).toBeInstanceOf(DuplicatePluginError);
    expect(registry.list('layer')).toEqual([]);
    expect(registry.list('loss')).toEqual([]);
  });
});
