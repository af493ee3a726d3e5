/**
 * A config as dotted paths to its leaves, in the config's own order:
 * { model: { layers: [{ weightInit: { type: 'he' } }] } } -> "model.layers[0].weightInit.type" = "he".
 * Leaves are shown as people wrote them: strings bare, everything else as JSON; an empty object
 * or list is a leaf of its own ("{}", "[]") so that adding one still shows up as a difference.
 */
export function flattenConfig(config: unknown): Map<string, string> {
  const out = new Map<string, string>();
  visit(config, '', out, new Set());
  return out;
}

function visit(value: unknown, path: string, out: Map<string, string>, ancestors: Set<object>): void {
  if (value === null || typeof value !== 'object') {
    out.set(path, leafText(value));
    return;
  }
  // YAML aliases can make a value its own descendant; show the loop instead of recursing forever.
  if (ancestors.has(value)) {
    out.set(path, '(circular)');
    return;
  }
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [`${path}[${i}]`, item])
    : Object.entries(value).map(([key, item]) => [joinKey(path, key), item]);
  if (entries.length === 0) {
    out.set(path, Array.isArray(value) ? '[]' : '{}');
    return;
  }
  ancestors.add(value);
  for (const [childPath, item] of entries) visit(item, childPath, out, ancestors);
  ancestors.delete(value);
}

function joinKey(path: string, key: string): string {
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

function leafText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return String(value);
  return JSON.stringify(value);
}

export interface DifferingSetting {
  readonly path: string;
  /** One per config, in order; undefined where that config does not have the path. */
  readonly values: readonly (string | undefined)[];
}

/** The paths whose values are not the same in every config (missing counts as a value), in first-seen order. */
export function differingSettings(configs: readonly unknown[]): DifferingSetting[] {
  const flat = configs.map(flattenConfig);
  const paths: string[] = [];
  const seen = new Set<string>();
  for (const map of flat) {
    for (const path of map.keys()) {
      if (!seen.has(path)) {
        seen.add(path);
        paths.push(path);
      }
    }
  }
  return paths
    .map((path) => ({ path, values: flat.map((map) => map.get(path)) }))
    .filter(({ values }) => values.some((v) => v !== values[0]));
}
