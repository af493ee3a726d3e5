import { PLUGIN_KINDS, type JsonSchema, type PluginKind } from '@scratchnet/spec';
import { envelopeSchema } from './envelope.js';
import { withArticle } from './messages.js';
import { isPlainObject } from './plain-data.js';
import type { PluginEntry } from './plugin-entry.js';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** `$defs` key of a kind's slot: `layerRef`. */
const slotName = (kind: PluginKind): string => `${kind}Ref`;
/** `$defs` key of one plugin: `layer.dense`, `layer.acme.swish` (ids never contain dots). */
const pluginDefName = (entry: PluginEntry): string => `${entry.kind}.${entry.id.replace(/\//g, '.')}`;
const slotRef = (kind: PluginKind): JsonSchema => ({ $ref: `#/$defs/${slotName(kind)}` });

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Re-roots the plugin schema's local `$ref`s (`#/$defs/x`) at its place in the composed schema. */
function rerootRefs(node: unknown, base: string): unknown {
  if (Array.isArray(node)) return node.map((item) => rerootRefs(item, base));
  if (!isPlainObject(node)) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    copy[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `${base}${value.slice(1)}` : rerootRefs(value, base);
  }
  return copy;
}

function pluginDef(entry: PluginEntry): JsonSchema {
  const schema = rerootRefs(entry.schema, `#/$defs/${pluginDefName(entry)}`) as Record<string, unknown>;
  const properties = { ...(schema.properties as Record<string, Record<string, unknown>>) };
  // A reference option completes like the slot of its kind, keeping its own description and default.
  for (const [option, kind] of Object.entries(entry.references)) {
    const { description, default: fallback } = properties[option] ?? {};
    properties[option] = {
      ...slotRef(kind),
      ...(description === undefined ? {} : { description }),
      ...(fallback === undefined ? {} : { default: fallback }),
    };
  }
  return { ...schema, properties };
}

function slotDef(kind: PluginKind, entries: readonly PluginEntry[]): JsonSchema {
  if (entries.length === 0) {
    return { type: ['string', 'object'], description: `No ${kind} plugins are registered.` };
  }
  return {
    description: `${capitalise(withArticle(kind))}: its id, or an object with "type" and options.`,
    anyOf: [
      { type: 'string', enum: entries.map((entry) => entry.id), description: `${kind} id (shorthand for { type: id })` },
      ...entries.map((entry) => ({ $ref: `#/$defs/${pluginDefName(entry)}` })),
    ],
  };
}

/**
 * The JSON Schema (draft 2020-12) of an experiment file with every registered plugin, for
 * editor completion: each slot is an anyOf of the ids (string shorthand) and each plugin's
 * object schema with `type: { const: id }`, descriptions and defaults. `entriesOf` returns a
 * kind's entries sorted by id, which keeps the output stable for snapshots.
 */
export function composeExperimentSchema(entriesOf: (kind: PluginKind) => readonly PluginEntry[]): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  for (const kind of PLUGIN_KINDS) defs[slotName(kind)] = slotDef(kind, entriesOf(kind));
  for (const kind of PLUGIN_KINDS) for (const entry of entriesOf(kind)) defs[pluginDefName(entry)] = pluginDef(entry);
  return {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'scratchnet experiment',
    description: 'An experiment config for the scratchnet runner.',
    ...envelopeSchema(slotRef),
    $defs: defs,
  };
}
