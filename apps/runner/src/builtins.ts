import { augmentations, datasets, preprocessors } from '@scratchnet/datasets';
import type { Plugin, PluginRegistry } from '@scratchnet/spec';
import { DEFAULT_PLUGINS, createDefaultRegistry } from '@scratchnet/train';

/** Data plugins the runner adds to train's default registry. */
const DATA_PLUGINS: readonly (readonly [source: string, plugins: readonly Plugin[]])[] = [
  ['@scratchnet/datasets', datasets],
  ['@scratchnet/datasets', preprocessors],
  ['@scratchnet/datasets', augmentations],
];

/** Every built-in plugin, by the package it comes from. */
export const BUILTIN_PLUGINS = [...DEFAULT_PLUGINS, ...DATA_PLUGINS] as const;

/** A registry holding every built-in plugin, still open for third-party registrations. */
export function createBuiltinRegistry(): PluginRegistry {
  const registry = createDefaultRegistry();
  for (const [source, plugins] of DATA_PLUGINS) {
    for (const plugin of plugins) registry.register(plugin, source);
  }
  return registry;
}
