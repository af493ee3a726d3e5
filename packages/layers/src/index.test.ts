import { createRegistry } from '@scratchnet/registry';
import { type InitialiserPlugin, type Plugin, SPEC_VERSION } from '@scratchnet/spec';
import { lintPlugin } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

/** Stand-ins for the initialisers the layers refer to (the real ones live in another package). */
const initialiser = (type: string): InitialiserPlugin => ({
  kind: 'initialiser',
  type,
  specVersion: SPEC_VERSION,
  description: `stub ${type}`,
  optionsSchema: { type: 'object', properties: type === 'constant' ? { value: { type: 'number' } } : {}, additionalProperties: false },
  create: () => ({ fill: () => undefined }),
});

function registryWithLayers() {
  const registry = createRegistry();
  const plugins: readonly Plugin[] = [...api.layers, initialiser('xavier-uniform'), initialiser('zeros'), initialiser('he-normal'), initialiser('he-uniform'), initialiser('constant')];
  for (const plugin of plugins) registry.register(plugin, '@scratchnet/layers');
  return registry;
}

/** Options that satisfy the layers with required options. */
const EXAMPLES: Readonly<Record<string, Record<string, unknown>>> = {
  dense: { units: 3 },
  reshape: { shape: [4] },
  conv2d: { filters: 2, kernelSize: 3 },
};

describe('@scratchnet/layers', () => {
  it('lists every built-in layer once, with a kebab-case id and spec version 1', () => {
    expect(api.layers.map((plugin) => plugin.type)).toEqual([
      'dense',
      'sigmoid',
      'tanh',
      'relu',
      'leaky-relu',
      'softmax',
      'dropout',
      'flatten',
      'reshape',
      'conv2d',
      'max-pool2d',
      'avg-pool2d',
      'global-avg-pool',
      'batch-norm',
    ]);
    for (const plugin of api.layers) {
      expect(plugin.kind).toBe('layer');
      expect(plugin.specVersion).toBe(1);
      expect(plugin.type).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    }
  });

  it('passes lintPlugin', () => {
    for (const plugin of api.layers) {
      expect(lintPlugin(plugin, { example: EXAMPLES[plugin.type] }).problems).toEqual([]);
    }
  });

  it('has schemas the registry compiles, with defaults filled and unknown keys rejected', () => {
    const registry = registryWithLayers();
    for (const plugin of api.layers) {
      const example = EXAMPLES[plugin.type];
      if (example === undefined) expect(registry.validateOptions('layer', plugin.type).issues).toEqual([]);
      else expect(registry.validateOptions('layer', plugin.type).issues).not.toEqual([]); // required options
      expect(registry.validateOptions('layer', { ...example, type: plugin.type }).issues).toEqual([]);
      expect(registry.validateOptions('layer', { ...example, type: plugin.type, colour: 'red' }).issues).not.toEqual([]);
    }
    const denseOptions = registry.validateOptions('layer', { type: 'dense', units: 10 });
    expect(denseOptions.issues).toEqual([]);
    expect(denseOptions.value).toMatchObject({ type: 'dense', units: 10, useBias: true });
    // The registry may expand "zeros" to { type: "zeros" }; either names the same initialiser.
    const refType = (ref: unknown) => (typeof ref === 'string' ? ref : (ref as { type: string }).type);
    expect(refType(denseOptions.value?.['weightInit'])).toBe('xavier-uniform');
    expect(refType(denseOptions.value?.['biasInit'])).toBe('zeros');
    expect(registry.validateOptions('layer', 'dropout').value).toEqual({ type: 'dropout', rate: 0.5 });
    expect(registry.validateOptions('layer', 'leaky-relu').value).toEqual({ type: 'leaky-relu', slope: 0.01 });
  });

  it('rejects bad option values through the schema', () => {
    const registry = registryWithLayers();
    expect(registry.validateOptions('layer', 'dense').issues).not.toEqual([]); // units is required
    expect(registry.validateOptions('layer', { type: 'dense', units: 0 }).issues).not.toEqual([]);
    expect(registry.validateOptions('layer', { type: 'dense', units: 2.5 }).issues).not.toEqual([]);
    expect(registry.validateOptions('layer', { type: 'dense', units: 3, weightInit: 'no-such-init' }).issues).not.toEqual([]);
    expect(registry.validateOptions('layer', { type: 'dense', units: 3, weightInit: 'he-normal' }).issues).toEqual([]);
    expect(registry.validateOptions('layer', { type: 'dropout', rate: 1 }).issues).not.toEqual([]);
    expect(registry.validateOptions('layer', { type: 'dropout', rate: -0.1 }).issues).not.toEqual([]);
  });
});
