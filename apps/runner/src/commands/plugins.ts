import { PLUGIN_KINDS, type JsonSchema, type PluginKind } from '@scratchnet/spec';
import { parseArgs } from '../args.js';
import { createBuiltinRegistry } from '../builtins.js';
import { createReporter, type CliIo } from '../context.js';
import { EXIT, usageError } from '../exit-codes.js';
import { renderTable } from '../output/format.js';
import { suggest } from '../suggest.js';
import { COMMON_FLAGS, type Command } from './command.js';

const flags = { ...COMMON_FLAGS } as const;

export interface OptionRow {
  readonly name: string;
  readonly type: string;
  readonly default?: unknown;
  readonly required: boolean;
  readonly description: string;
}

export interface PluginListing {
  readonly kind: PluginKind;
  readonly type: string;
  readonly description: string;
  readonly source: string | undefined;
  readonly options: readonly OptionRow[];
}

export const pluginsCommand: Command = {
  name: 'plugins',
  summary: 'list the plugins of each kind with their options',
  usage: ['plugins [KIND] [--json]'],
  flags,
  details: `KIND is one of: ${PLUGIN_KINDS.join(', ')}.`,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags: options, positionals } = parseArgs(argv, flags, 'plugins');
    const kinds = positionals.length === 0 ? PLUGIN_KINDS : positionals.map(checkKind);
    const registry = createBuiltinRegistry();
    registry.freeze();
    const listings: PluginListing[] = kinds.flatMap((kind) =>
      registry.list(kind).map((plugin) => ({
        kind,
        type: plugin.type,
        description: plugin.description,
        source: registry.sourceOf(kind, plugin.type),
        options: optionRows(plugin.optionsSchema),
      })),
    );
    const text = kinds.map((kind) => describeKind(kind, listings.filter((l) => l.kind === kind))).join('\n\n');
    createReporter(io, options.json).result(text, { event: 'plugins', plugins: listings });
    return EXIT.ok;
  },
};

function checkKind(text: string): PluginKind {
  const kind = PLUGIN_KINDS.find((k) => k === text || `${k}s` === text);
  if (kind) return kind;
  const guess = suggest(text, PLUGIN_KINDS);
  throw usageError(`unknown plugin kind "${text}".${guess ? ` Did you mean ${guess}?` : ''} Kinds: ${PLUGIN_KINDS.join(', ')}.`);
}

function describeKind(kind: PluginKind, listings: readonly PluginListing[]): string {
  const lines = [`${kind} plugins (${listings.length})`];
  for (const listing of listings) {
    lines.push('', `  ${listing.type}: ${listing.description}`);
    if (listing.options.length === 0) {
      lines.push('    (no options)');
      continue;
    }
    const rows = [
      ['option', 'type', 'default', 'description'],
      ...listing.options.map((o) => [
        o.name,
        o.type,
        o.default === undefined ? (o.required ? '(required)' : '-') : JSON.stringify(o.default),
        o.description,
      ]),
    ];
    lines.push(...renderTable(rows, { alignRight: false }).split('\n').map((line) => `    ${line}`));
  }
  return lines.join('\n');
}

/** One row per top-level option of a plugin's schema. */
export function optionRows(schema: JsonSchema): OptionRow[] {
  const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema['required'] ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    type: typeText(property),
    ...(property['default'] === undefined ? {} : { default: property['default'] }),
    required: required.has(name),
    description: typeof property['description'] === 'string' ? property['description'] : '',
  }));
}

function typeText(schema: JsonSchema): string {
  if (Array.isArray(schema['enum'])) return (schema['enum'] as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (schema['const'] !== undefined) return JSON.stringify(schema['const']);
  const alternatives = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  if (Array.isArray(alternatives)) return alternatives.map(typeText).join(' | ');
  const type = schema['type'];
  const base = Array.isArray(type) ? type.join(' | ') : typeof type === 'string' ? type : 'any';
  const bounds: string[] = [];
  if (typeof schema['minimum'] === 'number') bounds.push(`>= ${schema['minimum']}`);
  if (typeof schema['exclusiveMinimum'] === 'number') bounds.push(`> ${schema['exclusiveMinimum']}`);
  if (typeof schema['maximum'] === 'number') bounds.push(`<= ${schema['maximum']}`);
  if (typeof schema['exclusiveMaximum'] === 'number') bounds.push(`< ${schema['exclusiveMaximum']}`);
  if (base === 'array' && schema['items'] !== undefined) return `list of ${typeText(schema['items'] as JsonSchema)}`;
  return bounds.length === 0 ? base : `${base} ${bounds.join(', ')}`;
}
