import type { ErrorObject } from 'ajv/dist/2020.js';
import { UnknownPluginError, type ConfigIssue, type ConfigPath, type PluginKind } from '@scratchnet/spec';
import { DESCRIBED_KEYWORDS, describeSchema } from './describe-schema.js';
import { didYouMean, didYouMeanHint } from './did-you-mean.js';
import { formatValue, isPlainObject, labelOf, pointerToPath } from './plain-data.js';

/** How messages speak about the keys of the validated object itself (its top level). */
export interface TopLevelWords {
  /** `option` for a plugin's options, `key` for config sections. */
  readonly noun: string;
  /** Introduces the list of allowed keys: `Options of dense`, `Top-level keys`. */
  readonly listIntro: string;
  /** Said instead of the list when no key is allowed: `relu takes no options`. */
  readonly none: string;
  /** Allowed keys not worth listing (a plugin's `type`). */
  readonly hidden?: readonly string[];
}

export interface TranslateContext {
  /** Where the validated object sits in the whole config. */
  readonly basePath: ConfigPath;
  /** Plugin id for ConfigIssue.plugin. */
  readonly plugin?: string;
  readonly top: TopLevelWords;
  /** Replaces the "must be ..." phrase for a top-level key (e.g. plugin references). */
  readonly describeKey?: (key: string) => string | undefined;
}

function makeIssue(path: ConfigPath, message: string, plugin: string | undefined): ConfigIssue {
  return plugin === undefined ? { path, message } : { path, plugin, message };
}

/** `a layer`, `an initialiser` */
export function withArticle(kind: PluginKind): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

/** `unknown layer type "dnese". Did you mean "dense"? Known layer types: dense, relu.` */
export function unknownPluginMessage(kind: PluginKind, type: string, known: readonly string[]): string {
  return new UnknownPluginError(kind, type, known, didYouMean(type, known)).message;
}

/** `unknown option "unit"; did you mean "units"? Options of dense: units, useBias` */
export function unknownKeyMessage(noun: string, key: string, allowed: readonly string[], listIntro: string, none: string): string {
  if (allowed.length === 0) return `unknown ${noun} "${key}": ${none}`;
  return `unknown ${noun} "${key}"${didYouMeanHint(key, allowed) || '.'} ${listIntro}: ${allowed.join(', ')}`;
}

/**
 * The strings a schema accepts by name: its enum and const values, through anyOf/oneOf branches
 * (`padding: same | valid | integer` gives same, valid). What a misspelt value is compared with.
 */
export function stringChoices(schema: unknown): string[] {
  if (!isPlainObject(schema)) return [];
  const choices: unknown[] = [];
  if (Array.isArray(schema.enum)) choices.push(...schema.enum);
  if ('const' in schema) choices.push(schema.const);
  for (const branches of [schema.anyOf, schema.oneOf]) {
    if (Array.isArray(branches)) for (const branch of branches) choices.push(...stringChoices(branch));
  }
  return [...new Set(choices.filter((choice): choice is string => typeof choice === 'string'))];
}

/** Keywords whose failure means "not one of the named values", where a typo is the usual cause. */
const CHOICE_KEYWORDS: ReadonlySet<string> = new Set(['enum', 'const', 'anyOf', 'oneOf']);

function propertyNames(schema: unknown): string[] {
  return isPlainObject(schema) && isPlainObject(schema.properties) ? Object.keys(schema.properties) : [];
}

function wordsAt(objectPath: ConfigPath, context: TranslateContext): TopLevelWords {
  if (objectPath.length === 0) return context.top;
  const label = labelOf(objectPath);
  return { noun: 'key', listIntro: `Keys of ${label}`, none: `${label} takes no keys` };
}

/** Drops errors from inside failed anyOf/oneOf branches: the union's own error explains them. */
function withoutBranchErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  return errors.filter((e) => !unions.some((prefix) => e.schemaPath.startsWith(prefix)) && e.keyword !== 'if');
}

function valueMessage(group: readonly ErrorObject[], path: ConfigPath, context: TranslateContext): string[] {
  const label = labelOf(path);
  const found = formatValue(group[0]!.data);
  const union = group.find((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const messages = new Set<string>();
  const topKey = path.length === context.basePath.length + 1 ? path[path.length - 1] : undefined;
  const override = typeof topKey === 'string' ? context.describeKey?.(topKey) : undefined;
  for (const error of group) {
    if (error.keyword === 'false schema') {
      // dependentSchemas: { dir: { properties: { split: false } } } -> "... not allowed together with dir".
      const other = /\/dependentSchemas\/([^/]+)\//.exec(error.schemaPath)?.[1];
      messages.add(other === undefined ? `${label} is not allowed here` : `${label} is not allowed together with ${JSON.stringify(other)}`);
      continue;
    }
    const schema = (union ?? error).parentSchema;
    const phrase = DESCRIBED_KEYWORDS.has(error.keyword) ? (override ?? describeSchema(schema)) : undefined;
    // A value outside a list of names is nearly always a typo, so it gets the hint unknown keys get.
    const data: unknown = error.data;
    const named = override === undefined && typeof data === 'string' && CHOICE_KEYWORDS.has((union ?? error).keyword);
    const hint = named ? didYouMeanHint(data, stringChoices(schema)) : '';
    messages.add(phrase === undefined ? `${label} ${error.message ?? 'is not valid'} (found ${found})` : `${label} must be ${phrase} (found ${found})${hint}`);
  }
  return [...messages];
}

/**
 * Turns ajv errors (compiled with `verbose`, so each has `data` and `parentSchema`) into
 * human messages, one per problem: unknown keys with a did-you-mean, missing keys, and one
 * "must be ..." line per offending value, each with a path into the whole config.
 */
export function translateErrors(errors: readonly ErrorObject[], data: unknown, context: TranslateContext): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const valueGroups = new Map<string, ErrorObject[]>();
  for (const error of withoutBranchErrors(errors)) {
    const objectPath = [...context.basePath, ...pointerToPath(error.instancePath, data)];
    const words = wordsAt(objectPath.slice(context.basePath.length), context);
    if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
      const params = error.params as { additionalProperty?: unknown; unevaluatedProperty?: unknown };
      const key = String(params.additionalProperty ?? params.unevaluatedProperty);
      const allowed = propertyNames(error.parentSchema).filter((name) => !words.hidden?.includes(name));
      issues.push(makeIssue([...objectPath, key], unknownKeyMessage(words.noun, key, allowed, words.listIntro, words.none), context.plugin));
    } else if (error.keyword === 'required') {
      const key = String((error.params as { missingProperty: unknown }).missingProperty);
      issues.push(makeIssue([...objectPath, key], `missing required ${words.noun} "${key}"`, context.plugin));
    } else if (error.keyword === 'dependentRequired') {
      const params = error.params as { property: unknown; missingProperty: unknown };
      const key = String(params.missingProperty);
      issues.push(makeIssue([...objectPath, key], `missing "${key}", which is required when "${String(params.property)}" is set`, context.plugin));
    } else {
      const groupKey = JSON.stringify(objectPath);
      const group = valueGroups.get(groupKey) ?? [];
      if (group.length === 0) valueGroups.set(groupKey, group);
      group.push(error);
    }
  }
  for (const [groupKey, group] of valueGroups) {
    const path = JSON.parse(groupKey) as (string | number)[];
    for (const message of valueMessage(group, path, context)) issues.push(makeIssue(path, message, context.plugin));
  }
  return issues;
}
