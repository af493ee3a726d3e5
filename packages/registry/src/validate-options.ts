import type { ConfigIssue, ConfigPath, PluginKind, PluginOptions } from '@scratchnet/spec';
import { translateErrors, unknownPluginMessage, withArticle } from './messages.js';
import { clonePlain, formatValue, isPlainObject, labelOf, type PlainObject } from './plain-data.js';
import type { PluginEntry } from './plugin-entry.js';

/** What validation needs from the registry. */
export interface PluginLookup {
  find(kind: PluginKind, type: string): PluginEntry | undefined;
  /** Registered ids of a kind, sorted. */
  ids(kind: PluginKind): readonly string[];
}

export interface RefResult {
  readonly value?: PluginOptions;
  readonly issues: ConfigIssue[];
}

function refPhrase(kind: PluginKind): string {
  return `${withArticle(kind)} id or an object with "type"`;
}

/** Reads the type out of a ref, or says (as an issue) why there is none. */
function readType(lookup: PluginLookup, kind: PluginKind, ref: unknown, path: ConfigPath): { options: PlainObject } | { issue: ConfigIssue } {
  const known = lookup.ids(kind);
  if (typeof ref === 'string') return { options: { type: ref } };
  if (!isPlainObject(ref)) {
    return { issue: { path, message: `${labelOf(path)} must be ${refPhrase(kind)} (found ${formatValue(ref)})` } };
  }
  if (!('type' in ref)) {
    const choices = known.length === 0 ? `no ${kind} plugins are registered` : `one of ${known.join(', ')}`;
    return { issue: { path: [...path, 'type'], message: `missing required key "type" naming the ${kind} (${choices})` } };
  }
  if (typeof ref.type !== 'string') {
    return { issue: { path: [...path, 'type'], message: `type must be the id of ${withArticle(kind)} (found ${formatValue(ref.type)})` } };
  }
  return { options: clonePlain(ref) };
}

/**
 * Validates one plugin reference (`"relu"` or `{ type: "dense", units: 30 }`) of `kind` found at
 * `path`: looks the plugin up, runs its compiled schema on a copy (filling defaults), then
 * validates the options its `references` name as plugin references in turn. Issues are in no
 * particular order; the caller sorts them.
 */
export function validateRef(lookup: PluginLookup, kind: PluginKind, ref: unknown, path: ConfigPath): RefResult {
  const read = readType(lookup, kind, ref, path);
  if ('issue' in read) return { issues: [read.issue] };
  const options = read.options;
  const type = options.type as string;
  const entry = lookup.find(kind, type);
  if (entry === undefined) {
    const typePath = typeof ref === 'string' ? path : [...path, 'type'];
    return { issues: [{ path: typePath, message: unknownPluginMessage(kind, type, lookup.ids(kind)) }] };
  }
  entry.validate(options);
  const issues = translateErrors(entry.validate.errors ?? [], options, {
    basePath: path,
    plugin: entry.id,
    top: { noun: 'option', listIntro: `Options of ${entry.id}`, none: `${entry.id} takes no options`, hidden: ['type'] },
    describeKey: (key) => {
      const referenced = entry.references[key];
      return referenced === undefined ? undefined : refPhrase(referenced);
    },
  });
  for (const [option, referencedKind] of Object.entries(entry.references)) {
    const optionPath = [...path, option];
    const alreadyWrong = issues.some((issue) => issue.path.length > path.length && issue.path[path.length] === option);
    if (alreadyWrong || options[option] === undefined) continue;
    const nested = validateRef(lookup, referencedKind, options[option], optionPath);
    issues.push(...nested.issues);
    if (nested.value !== undefined) options[option] = nested.value;
  }
  return issues.length === 0 ? { value: options as PluginOptions, issues } : { issues };
}
