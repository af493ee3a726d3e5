import type { ConfigPath } from '@scratchnet/spec';

/** Config data as parsed from YAML or JSON. */
export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Deep copy of arrays and plain objects (other values are shared), so validation can fill
 * defaults without touching the caller's data.
 */
export function clonePlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => clonePlain(item)) as T;
  if (isPlainObject(value)) {
    const copy: PlainObject = {};
    for (const [key, item] of Object.entries(value)) copy[key] = clonePlain(item);
    return copy as T;
  }
  return value;
}

const MAX_SHOWN = 40;

/** A value as a message shows it: `0`, `"relu"`, `[1,2]`, `{"a":1}` (long ones cut with …). */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

/**
 * Turns an ajv instancePath (`/layers/2/units`) into path parts, using the data to tell array
 * indices (numbers) from object keys that look numeric.
 */
export function pointerToPath(pointer: string, data: unknown): (string | number)[] {
  if (pointer === '') return [];
  const parts: (string | number)[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(key);
      parts.push(index);
      node = node[index];
    } else {
      parts.push(key);
      node = isPlainObject(node) ? node[key] : undefined;
    }
  }
  return parts;
}

/** The value at `path` inside `data`, or undefined. */
export function valueAt(data: unknown, path: ConfigPath): unknown {
  let node = data;
  for (const part of path) {
    if (Array.isArray(node) && typeof part === 'number') node = node[part];
    else if (isPlainObject(node) && typeof part === 'string') node = node[part];
    else return undefined;
  }
  return node;
}

/**
 * How a message names the value at `path`: the last key plus any indices after it, so
 * `['model', 'input', 1]` reads `input[1]`.
 */
export function labelOf(path: ConfigPath): string {
  let label = '';
  for (let i = path.length - 1; i >= 0; i--) {
    const part = path[i]!;
    if (typeof part === 'number') label = `[${part}]${label}`;
    else return `${part}${label}`;
  }
  return label === '' ? 'value' : `value${label}`;
}
