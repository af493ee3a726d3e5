import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ConfigPath } from '@scratchnet/spec';

export interface Position {
  readonly line: number;
  readonly col: number;
}

/**
 * Where a config path points in the YAML source: the key of a map entry, the start of a
 * sequence item, or (when the path goes further than the file, as for a missing key) the
 * deepest node that exists. 1-based line and column. Aliases and merge keys (`<<: *base`) are
 * followed to the anchored text, since that is where the value is written and must be fixed.
 */
export function locate(doc: Document, lineCounter: LineCounter, path: ConfigPath): Position {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    node = resolveAlias(doc, node);
    if (isMap(node)) {
      const pair = findPair(doc, node, String(segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? rangeStart(pair.value) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return lineCounter.linePos(offset);
}

/**
 * The entry for `key` in a map: its own, else the one a merge key brings in. Own keys win and the
 * first merged map that has the key wins, as in the value `toJS` builds.
 */
function findPair(doc: Document, map: YAMLMap, key: string, depth = 0): Pair | undefined {
  const own = map.items.find((item) => !isMergeKey(item.key) && keyText(item.key) === key);
  // A merge cycle is a YAML error the parser reports; the depth limit only keeps this loop finite.
  if (own !== undefined || depth > 32) return own;
  for (const merge of map.items.filter((item) => isMergeKey(item.key))) {
    const value = resolveAlias(doc, merge.value);
    const sources = isSeq(value) ? value.items.map((item) => resolveAlias(doc, item)) : [value];
    for (const source of sources) {
      const found = isMap(source) ? findPair(doc, source, key, depth + 1) : undefined;
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** `<<` parsed with the merge option: a scalar whose value is a symbol, not the string "<<". */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

function resolveAlias(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}
