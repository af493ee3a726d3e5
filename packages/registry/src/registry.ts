import {
  DuplicatePluginError,
  InvalidPluginError,
  PLUGIN_KINDS,
  UnknownPluginError,
  type ConfigPath,
  type Plugin,
  type PluginKind,
  type PluginPackage,
  type PluginRegistry,
  type PluginsByKind,
} from '@scratchnet/spec';
import type { ValidateFunction } from './ajv.js';
import { composeExperimentSchema } from './compose-schema.js';
import { didYouMean } from './did-you-mean.js';
import { envelopeSchema } from './envelope.js';
import { checkNamespace } from './ids.js';
import { sortByAppearance } from './issue-order.js';
import { isPlainObject } from './plain-data.js';
import { preparePlugin, type PluginEntry } from './plugin-entry.js';
import type { SchemaCompiler } from './schema-compiler.js';
import { validateExperiment } from './validate-experiment.js';
import { validateRef, type PluginLookup } from './validate-options.js';

export const UNKNOWN_SOURCE = '(unknown source)';
/** The compile key of the experiment file's sections. */
export const ENVELOPE_KEY = 'experiment-envelope';

/** The lists of a PluginPackage and the kind each must hold. */
const PACKAGE_LISTS: readonly (readonly [keyof PluginPackage, PluginKind])[] = [
  ['layers', 'layer'],
  ['losses', 'loss'],
  ['optimisers', 'optimiser'],
  ['schedules', 'schedule'],
  ['initialisers', 'initialiser'],
  ['datasets', 'dataset'],
  ['preprocessors', 'preprocess'],
  ['augmentations', 'augmentation'],
];

function packagePlugins(pkg: PluginPackage, source: string): { kind: PluginKind; plugin: unknown }[] {
  const found: { kind: PluginKind; plugin: unknown }[] = [];
  for (const [list, kind] of PACKAGE_LISTS) {
    const plugins = pkg[list];
    if (plugins === undefined) continue;
    if (!Array.isArray(plugins)) throw new InvalidPluginError(source, `${list} must be a list of ${kind} plugins.`);
    for (const plugin of plugins as unknown[]) {
      const actual = isPlainObject(plugin) ? plugin.kind : undefined;
      if (actual !== kind) {
        const name = isPlainObject(plugin) ? String(plugin.type) : String(plugin);
        throw new InvalidPluginError(source, `plugin "${name}" in ${list} has kind ${String(actual)}; ${list} holds only ${kind} plugins.`);
      }
      found.push({ kind, plugin });
    }
  }
  return found;
}

/**
 * A new, empty plugin registry whose schemas become validators through `compile`. Nothing is
 * registered implicitly: the runner registers the built-in packages and any third-party ones,
 * then freezes it. createRegistry() (Node, bundlers) and the browser entry choose `compile`.
 */
export function registryWithCompiler(compile: SchemaCompiler): PluginRegistry {
  const entries = new Map<PluginKind, Map<string, PluginEntry>>(PLUGIN_KINDS.map((kind) => [kind, new Map()]));
  let frozen = false;
  let envelope: ValidateFunction | undefined;

  const table = (kind: PluginKind): Map<string, PluginEntry> => entries.get(kind) ?? new Map<string, PluginEntry>();
  const sorted = (kind: PluginKind): PluginEntry[] => [...table(kind).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const lookup: PluginLookup = {
    find: (kind, type) => table(kind).get(type),
    ids: (kind) => sorted(kind).map((entry) => entry.id),
  };

  const assertOpen = (source: string, what: string): void => {
    if (frozen) {
      throw new InvalidPluginError(source, `cannot register ${what}: the registry is frozen. Register every plugin before freeze().`);
    }
  };

  /** Checks a batch completely (including duplicates within it) before adding any of it. */
  const commit = (batch: readonly PluginEntry[]): void => {
    const seen = new Map<string, PluginEntry>();
    for (const entry of batch) {
      const key = `${entry.kind}:${entry.id}`;
      const existing = table(entry.kind).get(entry.id) ?? seen.get(key);
      if (existing !== undefined) throw new DuplicatePluginError(entry.kind, entry.id, existing.source, entry.source);
      seen.set(key, entry);
    }
    for (const entry of batch) table(entry.kind).set(entry.id, entry);
  };

  return {
    register(plugin: Plugin, source = UNKNOWN_SOURCE) {
      const named = plugin as { kind?: unknown; type?: unknown } | null;
      assertOpen(source, `${String(named?.kind)} "${String(named?.type)}"`);
      commit([preparePlugin(compile, plugin, source)]);
    },

    registerPackage(pkg: PluginPackage, source?: string) {
      const meta = isPlainObject(pkg) && isPlainObject(pkg.meta) ? pkg.meta : undefined;
      const from = source ?? (meta ? `${String(meta.name)}@${String(meta.version)}` : UNKNOWN_SOURCE);
      if (meta === undefined) throw new InvalidPluginError(from, 'a plugin package needs meta: { name, version, namespace }.');
      assertOpen(from, `package ${String(meta.name)}`);
      const namespaceProblem = checkNamespace(meta.namespace);
      if (namespaceProblem !== undefined) throw new InvalidPluginError(from, namespaceProblem);
      commit(packagePlugins(pkg, from).map(({ plugin }) => preparePlugin(compile, plugin, from, meta.namespace as string)));
    },

    get<K extends PluginKind>(kind: K, type: string): PluginsByKind[K] {
      const entry = table(kind).get(type);
      if (entry === undefined) {
        const known = lookup.ids(kind);
        throw new UnknownPluginError(kind, type, known, didYouMean(type, known));
      }
      return entry.plugin as PluginsByKind[K];
    },

    has: (kind, type) => table(kind).has(type),
    list: <K extends PluginKind>(kind: K) => sorted(kind).map((entry) => entry.plugin as PluginsByKind[K]),
    sourceOf: (kind, type) => table(kind).get(type)?.source,

    freeze() {
      frozen = true;
    },

    validateOptions(kind: PluginKind, ref: unknown, path: ConfigPath = []) {
      const result = validateRef(lookup, kind, ref, path);
      return result.value === undefined ? { issues: sortByAppearance(result.issues, ref, path) } : result;
    },

    validateExperiment(raw: unknown) {
      envelope ??= compile(envelopeSchema(() => ({})), ENVELOPE_KEY);
      return validateExperiment(envelope, lookup, raw);
    },

    experimentSchema: () => composeExperimentSchema(sorted),
  };
}
