import {
  InvalidPluginError,
  PLUGIN_KINDS,
  SPEC_VERSION,
  type JsonSchema,
  type Plugin,
  type PluginKind,
} from '@scratchnet/spec';
import type { ValidateFunction } from './ajv.js';
import { checkLocalId, joinId } from './ids.js';
import { formatValue, isPlainObject } from './plain-data.js';
import { commonOptions, pluginObjectSchema, reservedOptions } from './plugin-schema.js';
import type { SchemaCompiler } from './schema-compiler.js';

/** A registered plugin with everything validation needs, compiled once. */
export interface PluginEntry {
  readonly kind: PluginKind;
  readonly id: string;
  /** The plugin as `get` returns it (its `type` is the full id, namespace included). */
  readonly plugin: Plugin;
  readonly source: string;
  /** The object schema validation uses (see pluginObjectSchema). */
  readonly schema: JsonSchema;
  readonly references: Readonly<Record<string, PluginKind>>;
  readonly validate: ValidateFunction;
}

/** Factory functions each kind must have. */
const FACTORIES: Readonly<Record<PluginKind, readonly string[]>> = {
  layer: ['outputShape', 'create'],
  loss: ['create'],
  optimiser: ['create'],
  schedule: ['create'],
  initialiser: ['create'],
  dataset: ['load'],
  preprocess: ['create'],
  augmentation: ['create'],
};

function isKind(value: unknown): value is PluginKind {
  return (PLUGIN_KINDS as readonly unknown[]).includes(value);
}

function checkOptionsSchema(kind: PluginKind, schema: unknown, invalid: (message: string) => Error): JsonSchema {
  const example = 'e.g. { type: "object", properties: { units: { type: "integer", minimum: 1 } }, required: ["units"] }';
  if (!isPlainObject(schema) || schema.type !== 'object') {
    throw invalid(`optionsSchema must be an object schema describing the options without "type", ${example} (found ${formatValue(schema)}).`);
  }
  if (schema.properties !== undefined && !isPlainObject(schema.properties)) {
    throw invalid(`optionsSchema.properties must be an object of option schemas (found ${formatValue(schema.properties)}).`);
  }
  if (schema.required !== undefined && !(Array.isArray(schema.required) && schema.required.every((key) => typeof key === 'string'))) {
    throw invalid(`optionsSchema.required must be a list of option names (found ${formatValue(schema.required)}).`);
  }
  const declared = Object.keys(schema.properties ?? {});
  const reserved = reservedOptions(kind).filter((name) => declared.includes(name));
  if (reserved.length > 0) {
    const names = reserved.map((name) => `"${name}"`).join(', ');
    throw invalid(
      `${reserved.length === 1 ? `option ${names} is` : `options ${names} are`} reserved: the registry adds "type" to every plugin` +
        `${kind === 'dataset' || kind === 'augmentation' ? ` and ${Object.keys(commonOptions(kind)).map((name) => `"${name}"`).join('/')} to every ${kind}` : ''}. Rename ${reserved.length === 1 ? 'it' : 'them'} in optionsSchema.properties.`,
    );
  }
  return schema;
}

function checkReferences(references: unknown, schema: JsonSchema, invalid: (message: string) => Error): Record<string, PluginKind> {
  if (references === undefined) return {};
  if (!isPlainObject(references)) throw invalid(`references must map option names to plugin kinds (found ${formatValue(references)}).`);
  const declared = Object.keys((schema.properties ?? {}) as object);
  for (const [option, kind] of Object.entries(references)) {
    if (!isKind(kind)) throw invalid(`references.${option} must be one of ${PLUGIN_KINDS.join(', ')} (found ${formatValue(kind)}).`);
    if (!declared.includes(option)) {
      throw invalid(`references.${option} names an option that optionsSchema.properties does not declare; declare it (e.g. with pluginRefSchema()).`);
    }
  }
  return references as Record<string, PluginKind>;
}

/**
 * Checks a plugin object against the contract and compiles its options schema with `compile`. `namespace`
 * (from registerPackage) is prefixed to the id. Throws InvalidPluginError naming the plugin,
 * what is wrong and how to fix it.
 */
export function preparePlugin(compile: SchemaCompiler, value: unknown, source: string, namespace?: string): PluginEntry {
  let what = 'plugin';
  const invalid = (message: string): Error => new InvalidPluginError(source, `${what}: ${message}`);
  if (typeof value !== 'object' || value === null) throw invalid(`expected a plugin object (found ${formatValue(value)}).`);
  const plugin = value as Record<string, unknown>;
  const kind = plugin.kind;
  if (typeof plugin.type === 'string') what = `plugin "${plugin.type}"`;
  if (!isKind(kind)) throw invalid(`kind must be one of ${PLUGIN_KINDS.join(', ')} (found ${formatValue(kind)}).`);
  what = `${kind} plugin`;
  if (typeof plugin.type !== 'string') throw invalid(`"type" (the plugin id) must be a string (found ${formatValue(plugin.type)}).`);
  const id = joinId(namespace, plugin.type);
  what = `${kind} "${id}"`;
  const idProblem = checkLocalId(plugin.type, namespace);
  if (idProblem !== undefined) throw invalid(idProblem);
  if (plugin.specVersion !== SPEC_VERSION) {
    throw invalid(
      `specVersion ${formatValue(plugin.specVersion)} is not supported; this registry supports specVersion ${SPEC_VERSION}. ` +
        `Use a plugin release built for specVersion ${SPEC_VERSION}, or a scratchnet release that supports the plugin's version.`,
    );
  }
  if (typeof plugin.description !== 'string' || plugin.description.trim() === '') {
    throw invalid(`description must be a non-empty one-line summary (found ${formatValue(plugin.description)}).`);
  }
  for (const factory of FACTORIES[kind]) {
    if (typeof plugin[factory] !== 'function') {
      const needed = FACTORIES[kind].map((name) => `${name}()`).join(' and ');
      throw invalid(`every ${kind} plugin needs ${needed}; ${factory} is not a function (found ${formatValue(plugin[factory])}).`);
    }
  }
  const optionsSchema = checkOptionsSchema(kind, plugin.optionsSchema, invalid);
  const references = checkReferences(plugin.references, optionsSchema, invalid);
  const schema = pluginObjectSchema(kind, id, plugin.description as string, optionsSchema);
  let validate: ValidateFunction;
  try {
    validate = compile(schema, `${kind}:${id}`);
  } catch (error) {
    if (error instanceof InvalidPluginError) throw error;
    throw invalid(`optionsSchema does not compile (ajv strict mode): ${(error as Error).message}. Fix the schema.`);
  }
  const stored = (id === plugin.type ? plugin : { ...plugin, type: id }) as unknown as Plugin;
  return { kind, id, plugin: stored, source, schema, references, validate };
}
