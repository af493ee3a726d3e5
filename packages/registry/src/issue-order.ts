import type { ConfigIssue, ConfigPath } from '@scratchnet/spec';
import { isPlainObject } from './plain-data.js';

/** Position of every node of `data` in document order (depth first, keys in insertion order). */
function appearanceIndex(data: unknown, basePath: ConfigPath): Map<string, number> {
  const index = new Map<string, number>();
  const visit = (node: unknown, path: (string | number)[]): void => {
    index.set(JSON.stringify(path), index.size);
    if (Array.isArray(node)) node.forEach((item, i) => visit(item, [...path, i]));
    else if (isPlainObject(node)) for (const [key, item] of Object.entries(node)) visit(item, [...path, key]);
  };
  visit(data, [...basePath]);
  return index;
}

/**
 * Sorts issues the way a reader meets them in the config file. An issue about a key that is
 * not there (a missing required key) sorts with the nearest enclosing node that is. Stable.
 */
export function sortByAppearance(issues: readonly ConfigIssue[], data: unknown, basePath: ConfigPath = []): ConfigIssue[] {
  const index = appearanceIndex(data, basePath);
  const position = (path: ConfigPath): number => {
    for (let length = path.length; length >= 0; length--) {
      const found = index.get(JSON.stringify(path.slice(0, length)));
      if (found !== undefined) return found;
    }
    return -1;
  };
  return issues
    .map((issue, order) => ({ issue, order, at: position(issue.path) }))
    .sort((a, b) => a.at - b.at || a.order - b.order)
    .map(({ issue }) => issue);
}
