import { datasets, preprocessors } from '@scratchnet/datasets';
import { initialisers } from '@scratchnet/initialisers';
import { layers } from '@scratchnet/layers';
import { losses } from '@scratchnet/losses';
import { optimisers, schedules } from '@scratchnet/optimisers';
import { createRegistry } from '@scratchnet/registry';
import type { Plugin, PluginRegistry } from '@scratchnet/spec';

/** Every built-in plugin, by the package it comes from. */
export const BUILTIN_PLUGINS: readonly (readonly [source: string, plugins: readonly Plugin[]])[] = [
  ['@scratchnet/layers', layers],
  ['@scratchnet/losses', losses],
  ['@scratchnet/optimisers', optimisers],
  ['@scratchnet/optimisers', schedules],
  ['@scratchnet/initialisers', initialisers],
  ['@scratchnet/datasets', datasets],
  ['@scratchnet/datasets', preprocessors],
];

/** A registry holding every built-in plugin, still open for third-party registrations. */
export function createBuiltinRegistry(): PluginRegistry {
  const registry = createRegistry();
  for (const [source, plugins] of BUILTIN_PLUGINS) {
    for (const plugin of plugins) registry.register(plugin, source);
  }
  return registry;
}
