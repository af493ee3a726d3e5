import { ConfigError, type DatasetOptions, type PluginRegistry } from '@scratchnet/spec';
import { parse } from 'yaml';
import { usageError } from '../exit-codes.js';

/**
 * `--data TYPE:VALUE[,VALUE...]`: values fill the dataset plugin's options in the order its
 * schema lists them (`txt32:testDigits` sets `dir`, `idx:images,labels` sets `images` then
 * `labels`, `mnist:test` sets `split`); `key=value` items set an option by name
 * (`txt32:dir=testDigits,take=100`). A YAML mapping (`{type: mnist, split: test}`) also works.
 */
export function parseDataFlag(text: string, registry: PluginRegistry): DatasetOptions {
  let raw: Record<string, unknown>;
  if (text.trim().startsWith('{')) {
    try {
      raw = parse(text) as Record<string, unknown>;
    } catch (error) {
      throw usageError(`--data ${text}: not a valid YAML mapping (${(error as Error).message.split('\n')[0]}).`);
    }
  } else {
    const colon = text.indexOf(':');
    const type = colon < 0 ? text : text.slice(0, colon);
    const items = colon < 0 || colon === text.length - 1 ? [] : text.slice(colon + 1).split(',');
    if (!registry.has('dataset', type)) {
      // Let the registry word the unknown type with its did-you-mean.
      raw = { type };
    } else {
      const names = Object.keys((registry.get('dataset', type).optionsSchema['properties'] ?? {}) as object);
      raw = { type };
      let next = 0;
      for (const item of items) {
        const eq = item.indexOf('=');
        if (eq > 0 && /^[A-Za-z][\w-]*$/.test(item.slice(0, eq))) {
          raw[item.slice(0, eq)] = parse(item.slice(eq + 1)) as unknown;
          continue;
        }
        const name = names.filter((n) => !(n in raw))[0];
        if (name === undefined || next >= names.length) {
          throw usageError(`--data ${text}: ${type} takes at most ${names.length} values (${names.join(', ')}); "${item}" is one too many.`);
        }
        raw[name] = item;
        next++;
      }
    }
  }
  const result = registry.validateOptions('dataset', raw, ['--data']);
  if (result.value === undefined) throw usageError(`--data ${text}: ${ConfigError.describe(result.issues).replaceAll('\n', '; ')}`);
  return result.value as DatasetOptions;
}
