import { describe, expect, it } from 'vitest';
import type { PluginPackage } from '@scratchnet/spec';
import { pluginRecords } from './model-plugins.js';
import type { LoadedPluginPackage } from './plugins.js';

const pkg = (name: string): PluginPackage => ({ meta: { name, version: '2.0.1', namespace: 'ns' } });
const local = (file: string): LoadedPluginPackage => ({ entry: './p.js', index: 0, pkg: pkg('local'), source: './p.js', file });

describe('pluginRecords', () => {
  it('records a package by the name the config used', () => {
    const loaded: LoadedPluginPackage = { entry: 'scratchnet-plugin-x', index: 0, pkg: pkg('scratchnet-plugin-x'), source: 'scratchnet-plugin-x' };
    expect(pluginRecords([loaded], '/work/runs/a/model')).toEqual([{ name: 'scratchnet-plugin-x', version: '2.0.1', namespace: 'ns', from: 'scratchnet-plugin-x' }]);
  });

  it('records a local module relative to the model folder, so the two can move together', () => {
    expect(pluginRecords([local('/work/plugins/p.js')], '/work/runs/a/model')[0]!.from).toBe('../../../plugins/p.js');
    expect(pluginRecords([local('/work/runs/a/model/p.js')], '/work/runs/a/model')[0]!.from).toBe('./p.js');
  });

  it('records an absolute path when the two share nothing but the root', () => {
    expect(pluginRecords([local('/work/plugins/p.js')], '/tmp/run/model')[0]!.from).toBe('/work/plugins/p.js');
  });
});
