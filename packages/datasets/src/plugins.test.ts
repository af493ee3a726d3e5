import { createRegistry } from '@scratchnet/registry';
import { lintPlugin } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import { datasets, flatten, idx, mnist, preprocessors, scale, sklearnDigitsJson, standardise, txt32 } from './index.js';

// Options for plugins that have required ones (the others must validate as { type } alone).
const examples: Record<string, Record<string, unknown>> = {
  idx: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
  'sklearn-digits-json': { path: 'sklearn-digits/digits.json' },
  txt32: { dir: 'digits32/trainingDigits' },
};

describe('plugin lists', () => {
  it('export every dataset and preprocess plugin once', () => {
    expect(datasets).toEqual([idx, mnist, sklearnDigitsJson, txt32]);
    expect(preprocessors).toEqual([scale, standardise, flatten]);
  });

  it.each([...datasets, ...preprocessors].map((plugin) => [plugin.type, plugin] as const))('%s passes lintPlugin', (type, plugin) => {
    const example = examples[type];
    expect(lintPlugin(plugin, example === undefined ? {} : { example }).problems).toEqual([]);
  });

  it('register together, with defaults filled by the registry', () => {
    const registry = createRegistry();
    for (const plugin of [...datasets, ...preprocessors]) registry.register(plugin, '@scratchnet/datasets');
    expect(registry.validateOptions('dataset', 'mnist').value).toEqual({ type: 'mnist', split: 'train' });
    expect(registry.validateOptions('dataset', { type: 'sklearn-digits-json', path: 'd.json', take: 1500 }).value).toEqual({
      type: 'sklearn-digits-json',
      path: 'd.json',
      maxValue: 16,
      take: 1500,
    });
    expect(registry.validateOptions('preprocess', 'scale').value).toEqual({ type: 'scale', divisor: 255 });
    expect(registry.validateOptions('preprocess', 'standardise').value).toEqual({ type: 'standardise', perPixel: false, epsilon: 1e-8 });
    expect(registry.validateOptions('dataset', { type: 'mnist', split: 'validation' }).issues).toHaveLength(1);
  });

  it('take the embedded digits without path / dir, and refuse a txt32 split beside a dir', () => {
    const registry = createRegistry();
    for (const plugin of datasets) registry.register(plugin, '@scratchnet/datasets');
    expect(registry.validateOptions('dataset', 'sklearn-digits-json').value).toEqual({ type: 'sklearn-digits-json', maxValue: 16 });
    expect(registry.validateOptions('dataset', 'txt32').value).toEqual({ type: 'txt32' });
    expect(registry.validateOptions('dataset', { type: 'txt32', split: 'test' }).value).toEqual({ type: 'txt32', split: 'test' });
    expect(registry.validateOptions('dataset', { type: 'txt32', dir: 'digits32/testDigits' }).issues).toEqual([]);
    const both = registry.validateOptions('dataset', { type: 'txt32', dir: 'digits32/testDigits', split: 'test' });
    expect(both.issues.map((issue) => issue.message)).toEqual(['split is not allowed together with "dir"']);
    const badSplit = registry.validateOptions('dataset', { type: 'txt32', split: 'validation' });
    expect(badSplit.issues.map((issue) => issue.message)).toEqual([expect.stringMatching(/split must be .*train.*test/)]);
  });
});
