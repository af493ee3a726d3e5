import { relative, sep } from 'node:path';
import { isScratchnetError, MissingPluginError, type PluginRecord, type PluginRegistry } from '@scratchnet/spec';
import type { FlagSpecs } from './args.js';
import { createBuiltinRegistry } from './builtins.js';
import { dataError, usageError, type RunnerError } from './exit-codes.js';
import { importPlugin, isPluginPath, pluginFlagEntry, type LoadedPluginPackage } from './plugins.js';

export const PLUGINS_FLAG = {
  plugins: {
    type: 'string',
    multiple: true,
    value: 'NAME|PATH',
    description: 'load this plugin package or module (a path is relative to the working folder) instead of the one the model records',
  },
} as const satisfies FlagSpecs;

/**
 * What model.json records for each loaded plugin package: its meta and where it came from, a
 * package name as written, or a local module's path relative to the model folder `dir` (so
 * the run folder and the module can move together).
 */
export function pluginRecords(packages: readonly LoadedPluginPackage[], dir: string): PluginRecord[] {
  return packages.map(({ pkg, entry, file }) => {
    const { name, version, namespace } = pkg.meta;
    if (file === undefined) return { name, version, namespace, from: entry };
    const path = relative(dir, file).split(sep).join('/');
    // Sharing nothing but the root (e.g. /tmp/run and /work/plugin.js), the two will not move together.
    const climbs = path.split('/').filter((part) => part === '..').length;
    if (climbs >= dir.split(sep).filter(Boolean).length) return { name, version, namespace, from: file };
    return { name, version, namespace, from: path.startsWith('.') ? path : `./${path}` };
  });
}

/** A frozen registry for loading a saved model: built-ins, --plugins, then the model's own records. */
export interface ModelRegistry {
  readonly registry: PluginRegistry;
  /** Recorded plugins that loaded in another version than the model was saved with. */
  readonly warnings: readonly string[];
  /** Why a recorded plugin could not be loaded, by namespace (reported only if the model needs it). */
  readonly failures: ReadonlyMap<string, string>;
}

/**
 * Imports the plugins a model needs. `--plugins` entries come first (resolved from `cwd`) and
 * take the place of any recorded package of the same namespace; a recorded one is imported from
 * where it was recorded (a path relative to `modelDir`; a package name from `modelDir`, then `cwd`,
 * then the runner). A recorded plugin that fails to import is not an error yet: a model that
 * never reaches for its types still loads, and one that does gets `missingPluginError`.
 */
export async function registryForModel(
  records: readonly PluginRecord[],
  modelDir: string,
  flagEntries: readonly string[],
  cwd: string,
): Promise<ModelRegistry> {
  const registry = createBuiltinRegistry();
  const provided = new Set<string>();
  const register = (pkg: LoadedPluginPackage['pkg'], source: string): void => {
    registry.registerPackage(pkg, source);
    provided.add(pkg.meta.namespace);
  };
  for (const entry of flagEntries) {
    const imported = await importPlugin(pluginFlagEntry(entry, cwd), cwd);
    if ('problem' in imported) throw usageError(`--plugins ${entry}: ${imported.problem}.`);
    try {
      register(imported.pkg, entry);
    } catch (error) {
      if (!isScratchnetError(error)) throw error;
      throw usageError(`--plugins ${entry}: ${error.message}`);
    }
  }
  const warnings: string[] = [];
  const failures = new Map<string, string>();
  for (const record of records) {
    if (provided.has(record.namespace)) continue;
    const from = record.from ?? record.name;
    let imported = await importPlugin(from, modelDir);
    if ('problem' in imported && !isPluginPath(from)) imported = await importPlugin(from, cwd);
    if ('problem' in imported) {
      failures.set(record.namespace, `${imported.problem}`);
      continue;
    }
    const { meta } = imported.pkg;
    if (meta.namespace !== record.namespace) {
      failures.set(record.namespace, `${from} is ${meta.name} with namespace "${meta.namespace}", not "${record.namespace}"`);
      continue;
    }
    if (meta.version !== record.version) {
      warnings.push(`the model was saved with ${record.name} ${record.version}; ${from} is version ${meta.version}. If results look wrong, install ${record.name}@${record.version}.`);
    }
    register(imported.pkg, from);
  }
  registry.freeze();
  return { registry, warnings, failures };
}

/** The runner's exit-3 message for a model whose plugin is not available. */
export function missingPluginError(error: MissingPluginError, failures: ReadonlyMap<string, string>): RunnerError {
  const { kind, type, plugin } = error;
  const namespace = type.slice(0, type.indexOf('/'));
  const why = plugin === undefined ? undefined : failures.get(plugin.namespace);
  const message =
    plugin === undefined
      ? `${error.file}: the model uses ${kind} type "${type}", but records no plugin for it (it was saved before models recorded their plugins). ` +
        `Pass --plugins NAME|PATH with the plugin package that defines namespace "${namespace}".`
      : `${error.file}: this model needs plugin ${plugin.name} (version ${plugin.version}) for ${kind} type "${type}": install it or pass --plugins NAME|PATH.` +
        (why === undefined ? '' : ` Loading it from where it was recorded failed: ${why}.`);
  return dataError(message, error);
}
