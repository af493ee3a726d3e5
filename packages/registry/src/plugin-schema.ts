import type { JsonSchema, PluginKind } from '@scratchnet/spec';

/** Options the registry adds to every dataset slot; the dataset plugin never sees them in its schema. */
export const DATASET_COMMON_OPTIONS: Readonly<Record<string, JsonSchema>> = {
  skip: { type: 'integer', minimum: 0, description: 'Skip this many samples from the start (applied before take).' },
  take: { type: 'integer', minimum: 1, description: 'Keep at most this many samples (an empty data set cannot train or test).' },
  sha256: {
    type: 'object',
    description: 'Expected SHA-256 (64 hex digits) of files the data set reads, by file name or path; a file that differs is refused.',
    additionalProperties: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
  },
};

/**
 * Options the registry adds to every augmentation: training draws per sample whether to apply
 * it, so no augmentation plugin implements (or can get wrong) its own probability.
 */
export const AUGMENTATION_COMMON_OPTIONS: Readonly<Record<string, JsonSchema>> = {
  probability: { type: 'number', minimum: 0, maximum: 1, default: 1, description: 'Chance that a training sample is transformed.' },
};

/** The options the registry adds to a kind's plugins. */
export function commonOptions(kind: PluginKind): Readonly<Record<string, JsonSchema>> {
  return kind === 'dataset' ? DATASET_COMMON_OPTIONS : kind === 'augmentation' ? AUGMENTATION_COMMON_OPTIONS : {};
}

/** Option names a plugin may not declare because the registry owns them. */
export function reservedOptions(kind: PluginKind): readonly string[] {
  return ['type', ...Object.keys(commonOptions(kind))];
}

/**
 * The schema the registry validates a plugin reference with: the plugin's options schema plus
 * `type: { const: id }` (required), the kind's common options, and no unknown keys whatever
 * the plugin said about additionalProperties.
 */
export function pluginObjectSchema(kind: PluginKind, id: string, description: string, optionsSchema: JsonSchema): JsonSchema {
  const properties = (optionsSchema.properties ?? {}) as Record<string, JsonSchema>;
  const required = (optionsSchema.required ?? []) as readonly string[];
  return {
    ...optionsSchema,
    title: optionsSchema.title ?? id,
    description: optionsSchema.description ?? description,
    properties: {
      type: { const: id, description: `The ${kind} id.` },
      ...properties,
      ...commonOptions(kind),
    },
    required: ['type', ...required],
    additionalProperties: false,
  };
}

/** Option names in declaration order, for "Options of dense: ..." lists. */
export function optionNames(schema: JsonSchema): string[] {
  return Object.keys((schema.properties ?? {}) as object).filter((name) => name !== 'type');
}
