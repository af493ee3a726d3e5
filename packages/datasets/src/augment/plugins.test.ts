import { createRegistry } from '@scratchnet/registry';
import { ConfigError, formatPath } from '@scratchnet/spec';
import { lintPlugin } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import { augmentations, elasticAugmentation, preprocessors, rotateAugmentation, scale, scaleAugmentation, shiftAugmentation } from '../index.js';

function registry() {
  const registry = createRegistry();
  for (const plugin of [...preprocessors, ...augmentations]) registry.register(plugin, '@scratchnet/datasets');
  return registry;
}

const shared = registry();
const messages = (kind: 'augmentation', ref: unknown): string[] =>
  shared.validateOptions(kind, ref, ['data', 'augment', 0]).issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);

describe('augmentation plugins', () => {
  it('are exported once each, with ids shift, rotate, scale, elastic', () => {
    expect(augmentations).toEqual([shiftAugmentation, rotateAugmentation, scaleAugmentation, elasticAugmentation]);
    expect(augmentations.map((plugin) => [plugin.kind, plugin.type])).toEqual([
      ['augmentation', 'shift'],
      ['augmentation', 'rotate'],
      ['augmentation', 'scale'],
      ['augmentation', 'elastic'],
    ]);
  });

  it.each(augmentations.map((plugin) => [plugin.type, plugin] as const))('%s passes lintPlugin', (_type, plugin) => {
    expect(lintPlugin(plugin).problems).toEqual([]);
  });

  it('register beside the preprocess scale: ids are per kind', () => {
    const plugins = registry();
    expect(plugins.get('augmentation', 'scale')).toBe(scaleAugmentation);
    expect(plugins.get('preprocess', 'scale')).toBe(scale);
  });

  it('get their defaults, and the registry-wide probability 1, filled by the registry', () => {
    const plugins = registry();
    const filled = (ref: unknown) => plugins.validateOptions('augmentation', ref).value;
    expect(filled('shift')).toEqual({ type: 'shift', maxPixels: 2, probability: 1 });
    expect(filled('rotate')).toEqual({ type: 'rotate', maxDegrees: 10, probability: 1 });
    expect(filled('scale')).toEqual({ type: 'scale', min: 0.9, max: 1.1, probability: 1 });
    expect(filled('elastic')).toEqual({ type: 'elastic', probability: 1 });
  });

  it('accept the documented config', () => {
    const plugins = registry();
    const documented = [
      { type: 'shift', maxPixels: 2, probability: 0.5 },
      { type: 'rotate', maxDegrees: 10 },
      { type: 'scale', min: 0.9, max: 1.1 },
      { type: 'elastic', sigma: 4, alpha: 34 },
    ];
    expect(documented.map((ref, i) => plugins.validateOptions('augmentation', ref, ['data', 'augment', i]))).toEqual([
      { value: { type: 'shift', maxPixels: 2, probability: 0.5 }, issues: [] },
      { value: { type: 'rotate', maxDegrees: 10, probability: 1 }, issues: [] },
      { value: { type: 'scale', min: 0.9, max: 1.1, probability: 1 }, issues: [] },
      { value: { type: 'elastic', sigma: 4, alpha: 34, probability: 1 }, issues: [] },
    ]);
  });

  it('reject bad options', () => {
    expect(messages('augmentation', { type: 'shift', maxPixels: -1 })).toEqual([expect.stringMatching(/^data\.augment\[0\]\.maxPixels: .*>= 0/)]);
    expect(messages('augmentation', { type: 'shift', maxPixels: 1.5 })).toEqual([expect.stringMatching(/^data\.augment\[0\]\.maxPixels: .*integer/)]);
    expect(messages('augmentation', { type: 'rotate', maxDegrees: 181 })).toEqual([expect.stringMatching(/^data\.augment\[0\]\.maxDegrees: .*<= 180/)]);
    expect(messages('augmentation', { type: 'rotate', maxDegrees: -5 })).toHaveLength(1);
    expect(messages('augmentation', { type: 'scale', min: 0 })).toEqual([expect.stringMatching(/^data\.augment\[0\]\.min: .*> 0/)]);
    expect(messages('augmentation', { type: 'elastic', sigma: 0 })).toEqual([expect.stringMatching(/^data\.augment\[0\]\.sigma: .*> 0/)]);
    expect(messages('augmentation', { type: 'elastic', alpha: -1 })).toEqual([expect.stringMatching(/^data\.augment\[0\]\.alpha: .*>= 0/)]);
    expect(messages('augmentation', { type: 'shift', probability: 1.5 })).toEqual([expect.stringMatching(/^data\.augment\[0\]\.probability: .*<= 1/)]);
    expect(messages('augmentation', { type: 'elastic', maxPixels: 2 })).toEqual([expect.stringMatching(/^data\.augment\[0\]\.maxPixels: /)]);
  });

  it('leave min > max in scale to create, which throws a ConfigError', () => {
    const plugins = registry();
    const { value } = plugins.validateOptions('augmentation', { type: 'scale', min: 1.2, max: 1.1 });
    expect(value).toEqual({ type: 'scale', min: 1.2, max: 1.1, probability: 1 });
    expect(() => plugins.get('augmentation', 'scale').create(value as never, { sampleShape: [1, 28, 28] })).toThrow(ConfigError);
  });
});
