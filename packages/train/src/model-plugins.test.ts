import { describe, expect, it } from 'vitest';
import { MissingPluginError, ModelFormatError } from '@scratchnet/spec';
import type { PluginRecord } from '@scratchnet/spec';
import { buildNetwork, checkModelJson, loadModel, serialiseModel, usedNamespaces } from './index.js';
import { backend, createFakeRegistry, testCrossEntropy, testDense, testPlugins, testRelu } from './test-fixtures.js';

// A third-party layer: the test relu under a namespaced id, as a plugin package registers it.
const extRelu = { ...testRelu, type: 'ext/relu' };
const withPlugin = createFakeRegistry([...testPlugins, extRelu]);
const builtinsOnly = createFakeRegistry(testPlugins);
const model = { input: [4], layers: [{ type: 't-dense', units: 3 }, { type: 'ext/relu' }] };
const ext: PluginRecord = { name: 'scratchnet-plugin-ext', version: '1.2.3', namespace: 'ext', from: '../plugins/ext.js' };
const unused: PluginRecord = { name: 'other-plugin', version: '0.1.0', namespace: 'other', from: 'other-plugin' };

function saved(plugins: readonly PluginRecord[]) {
  const network = buildNetwork(model, withPlugin, { seed: 1, backend, classes: 3 });
  return serialiseModel(network, { classNames: ['a', 'b', 'c'], loss: { type: testCrossEntropy.type }, plugins });
}

describe('plugin records in model.json', () => {
  it('records the plugin packages the model uses, and only those', () => {
    const { modelJson } = saved([unused, ext]);
    expect(JSON.parse(modelJson).plugins).toEqual([ext]);
    expect(checkModelJson(modelJson, 'model.json').plugins).toEqual([ext]);
  });

  it('writes no plugins field for a model of built-ins only', () => {
    const network = buildNetwork({ input: [4], layers: [{ type: testDense.type, units: 3 }] }, builtinsOnly, { seed: 1, backend, classes: 3 });
    const { modelJson } = serialiseModel(network, { classNames: ['a', 'b', 'c'], loss: { type: testCrossEntropy.type }, plugins: [ext] });
    expect(JSON.parse(modelJson)).not.toHaveProperty('plugins');
  });

  it('finds namespaces anywhere in the options, e.g. an initialiser id inside a layer', () => {
    const uses = { layers: [{ type: 'dense', units: 2, weightInit: { type: 'inits/lecun', gain: 1 } }], loss: { type: 'cross-entropy' }, preprocess: [] };
    expect([...usedNamespaces(uses)]).toEqual(['inits']);
  });

  it('loads the model when the registry holds the plugin, and returns the records', () => {
    const { modelJson, weights } = saved([ext]);
    const loaded = loadModel(modelJson, weights, withPlugin, { backend });
    expect(loaded.plugins).toEqual([ext]);
    expect(loaded.network.layers.map((layer) => layer.options.type)).toEqual(['t-dense', 'ext/relu']);
  });

  it('names the package and version a missing layer type needs', () => {
    const { modelJson, weights } = saved([ext]);
    const attempt = () => loadModel(modelJson, weights, builtinsOnly, { backend, fileNames: { model: 'run/model/model.json' } });
    expect(attempt).toThrow(MissingPluginError);
    expect(attempt).toThrow(ModelFormatError);
    expect(attempt).toThrow(
      'run/model/model.json: this model needs plugin scratchnet-plugin-ext (version 1.2.3) for layer type "ext/relu": install it and register it',
    );
    try {
      attempt();
    } catch (error) {
      expect((error as MissingPluginError).plugin).toEqual(ext);
      expect((error as MissingPluginError).type).toBe('ext/relu');
    }
  });

  it('says the model records no plugin for a namespaced type when model.json has none (older files)', () => {
    const { modelJson, weights } = saved([]);
    expect(() => loadModel(modelJson, weights, builtinsOnly, { backend })).toThrow(
      'layer type "ext/relu" is not registered, and the model does not record which plugin provides it',
    );
  });

  it('lists the registered types for an unknown type that names no plugin (a model file edited by hand)', () => {
    const json = JSON.parse(saved([]).modelJson);
    json.model.layers[1] = { type: 'dance' };
    const { weights } = saved([]);
    expect(() => loadModel(JSON.stringify(json), weights, withPlugin, { backend, fileNames: { model: 'm/model.json' } })).toThrow(
      /^m\/model\.json: model\.layers\[1\]: unknown layer type "dance"/,
    );
  });

  it('rejects a malformed plugins list with where, expected and found', () => {
    const json = JSON.parse(saved([ext]).modelJson);
    json.plugins = [{ name: 'x', version: 1, namespace: 'ext' }];
    expect(() => checkModelJson(JSON.stringify(json), 'm.json')).toThrow(
      'm.json: plugins[0]: expected an object with string name, version, namespace and optional from, found {"name":"x","version":1,"namespace":"ext"}.',
    );
  });
});
