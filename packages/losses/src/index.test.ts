import { createRegistry } from '@scratchnet/registry';
import type { Plugin } from '@scratchnet/spec';
import { lintPlugin } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('@scratchnet/losses', () => {
  it('lists every built-in loss once, with a kebab-case id and spec version 1', () => {
    expect(api.losses.map((plugin) => plugin.type)).toEqual(['quadratic', 'sum-squared-error', 'softmax-cross-entropy']);
    for (const plugin of api.losses) {
      expect(plugin.kind).toBe('loss');
      expect(plugin.specVersion).toBe(1);
    }
  });

  it('passes lintPlugin', () => {
    for (const plugin of api.losses) expect(lintPlugin(plugin).problems).toEqual([]);
  });

  it('has schemas the registry compiles, with defaults filled and bad values rejected', () => {
    const registry = createRegistry();
    const plugins: readonly Plugin[] = api.losses;
    for (const plugin of plugins) registry.register(plugin, '@scratchnet/losses');
    expect(registry.validateOptions('loss', 'quadratic')).toEqual({ value: { type: 'quadratic' }, issues: [] });
    expect(registry.validateOptions('loss', 'softmax-cross-entropy').value).toEqual({
      type: 'softmax-cross-entropy',
      labelSmoothing: 0,
    });
    expect(registry.validateOptions('loss', { type: 'sum-squared-error', average: true }).issues).not.toEqual([]);
    expect(registry.validateOptions('loss', { type: 'softmax-cross-entropy', labelSmoothing: 1 }).issues).not.toEqual([]);
  });
});
