import { initialisers } from '@scratchnet/initialisers';
import { layers } from '@scratchnet/layers';
import { losses } from '@scratchnet/losses';
import { optimisers, schedules } from '@scratchnet/optimisers';
import { createRegistry, type RegistryOptions } from '@scratchnet/registry';
import type { Plugin, PluginRegistry } from '@scratchnet/spec';

/** The built-in model and training plugins, by the package each comes from. */
export const DEFAULT_PLUGINS: readonly (readonly [source: string, plugins: readonly Plugin[]])[] = [
  ['@scratchnet/layers', layers],
  ['@scratchnet/losses', losses],
  ['@scratchnet/optimisers', optimisers],
  ['@scratchnet/optimisers', schedules],
  ['@scratchnet/initialisers', initialisers],
];

/**
 * A new registry holding every built-in layer, loss, optimiser, schedule and initialiser, still
 * open for more (data-set plugins, third-party packages). Each call returns its own instance.
 * `options.compile` is passed to createRegistry (a browser page passes precompiled validators).
 */
export function createDefaultRegistry(options: RegistryOptions = {}): PluginRegistry {
  const registry = createRegistry(options);
  for (const [source, plugins] of DEFAULT_PLUGINS) {
    for (const plugin of plugins) registry.register(plugin, source);
  }
  return registry;
}
