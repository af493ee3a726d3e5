import { MissingPluginError } from '@scratchnet/spec';
import type { PluginKind, PluginOptions, PluginRecord, PluginRegistry } from '@scratchnet/spec';
import type { PreprocessEntry } from './model-json.js';

/** The parts of a model that name plugins: its layers, loss and preprocessing steps. */
export interface ModelPluginUses {
  readonly layers: readonly PluginOptions[];
  readonly loss: PluginOptions;
  readonly preprocess: readonly PreprocessEntry[];
}

/**
 * The namespaces of every third-party id the model names, at any depth: a layer's type, and
 * also an id inside its options such as `weightInit: extras/lecun` (third-party ids are
 * `namespace/name`; built-in ids have no slash).
 */
export function usedNamespaces(uses: ModelPluginUses): Set<string> {
  const namespaces = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      const slash = value.indexOf('/');
      if (slash > 0) namespaces.add(value.slice(0, slash));
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
  };
  [...uses.layers, uses.loss, ...uses.preprocess.map((entry) => entry.options)].forEach(visit);
  return namespaces;
}

/** The packages of `available` whose namespace the model uses, in the order given. */
export function usedPlugins(uses: ModelPluginUses, available: readonly PluginRecord[]): PluginRecord[] {
  const namespaces = usedNamespaces(uses);
  return available.filter((plugin) => namespaces.has(plugin.namespace));
}

/**
 * Throws MissingPluginError for the first layer, loss or preprocessing type the registry lacks
 * whose namespace belongs to a plugin: before validation, so the message names the package to
 * install instead of listing the built-in types.
 */
export function checkPluginsRegistered(uses: ModelPluginUses, records: readonly PluginRecord[], registry: PluginRegistry, file: string): void {
  const typed: [PluginKind, string][] = [
    ...uses.layers.map((layer): [PluginKind, string] => ['layer', layer.type]),
    ['loss', uses.loss.type],
    ...uses.preprocess.map((entry): [PluginKind, string] => ['preprocess', entry.options.type]),
  ];
  for (const [kind, type] of typed) {
    const slash = type.indexOf('/');
    if (slash <= 0 || registry.has(kind, type)) continue;
    const namespace = type.slice(0, slash);
    throw new MissingPluginError(file, kind, type, records.find((record) => record.namespace === namespace));
  }
}
