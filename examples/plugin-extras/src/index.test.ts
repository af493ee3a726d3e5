import { createRegistry } from '@scratchnet/registry';
import { type InitialiserPlugin, SPEC_VERSION } from '@scratchnet/spec';
import { lintPlugin } from '@scratchnet/testkit';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import plugin, { focal, maxout, swish } from './index.js';

/** Stand-ins for the built-in initialisers maxout names by default (they live in @scratchnet/initialisers). */
const initialiser = (type: string): InitialiserPlugin => ({
  kind: 'initialiser',
  type,
  specVersion: SPEC_VERSION,
  description: `stand-in ${type}`,
  optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
  create: () => ({ fill: () => undefined }),
});

function registryWithPlugin() {
  const registry = createRegistry();
  for (const type of ['xavier-uniform', 'zeros', 'he-normal']) registry.register(initialiser(type), 'test');
  registry.registerPackage(plugin);
  return registry;
}

describe('scratchnet-plugin-extras', () => {
  it('default-exports its plugins with the package name and version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version, namespace: 'extras' });
    expect(plugin.layers).toEqual([swish, maxout]);
    expect(plugin.losses).toEqual([focal]);
  });

  it('passes lintPlugin', () => {
    expect(lintPlugin(swish).problems).toEqual([]);
    expect(lintPlugin(maxout, { example: { units: 8 } }).problems).toEqual([]);
    expect(lintPlugin(focal).problems).toEqual([]);
  });

  it('registers as namespace/id with defaults filled and unknown options rejected', () => {
    const registry = registryWithPlugin();
    expect(registry.list('layer').map((layer) => layer.type)).toEqual(['extras/maxout', 'extras/swish']);
    expect(registry.sourceOf('loss', 'extras/focal')).toBe('scratchnet-plugin-extras@0.1.0');
    expect(registry.validateOptions('layer', 'extras/swish').value).toEqual({ type: 'extras/swish', beta: 1 });
    expect(registry.validateOptions('layer', { type: 'extras/maxout', units: 4, weightInit: 'he-normal' }).value).toMatchObject({
      type: 'extras/maxout',
      units: 4,
      pieces: 2,
    });
    expect(registry.validateOptions('loss', { type: 'extras/focal', gama: 1 }).issues.map((issue) => issue.message).join('\n')).toMatch(/gama/);
    expect(registry.validateOptions('layer', { type: 'extras/maxout', units: 4, pieces: 1 }).issues).not.toEqual([]);
  });

  it('does not register bare ids, so built-in names stay free', () => {
    const registry = registryWithPlugin();
    expect(registry.has('layer', 'swish')).toBe(false);
    expect(() => registry.get('layer', 'swish')).toThrow(/extras\/swish/);
  });
});
