import { initialisers } from '@scratchnet/initialisers';
import { layers } from '@scratchnet/layers';
import { losses } from '@scratchnet/losses';
import { optimisers, schedules } from '@scratchnet/optimisers';
import { createRegistry } from '@scratchnet/registry';
import { ConfigError } from '@scratchnet/spec';
import type { ModelConfig, PluginKind, PluginOptions, PluginRegistry } from '@scratchnet/spec';

/**
 * Test-only (excluded from the build): the real registry with every built-in plugin, and
 * validation helpers that turn hand-written options into the validated objects the train API
 * takes (defaults filled), as the runner does with a whole experiment.
 */
export function createBuiltinRegistry(): PluginRegistry {
  const registry = createRegistry();
  for (const plugin of [...layers, ...losses, ...optimisers, ...schedules, ...initialisers]) registry.register(plugin, 'builtin');
  registry.freeze();
  return registry;
}

export function validated(registry: PluginRegistry, kind: PluginKind, ref: unknown, path: (string | number)[] = []): PluginOptions {
  const result = registry.validateOptions(kind, ref, path);
  if (result.value === undefined) throw new ConfigError(result.issues);
  return result.value;
}

export function validatedModel(registry: PluginRegistry, input: number[], layerRefs: unknown[]): ModelConfig {
  return { input, layers: layerRefs.map((ref, i) => validated(registry, 'layer', ref, ['model', 'layers', i])) };
}
