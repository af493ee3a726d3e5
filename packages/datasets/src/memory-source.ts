import type { DataSource } from '@scratchnet/spec';
import { DataFormatError } from '@scratchnet/spec';
import { listNames } from './describe.js';

/**
 * A DataSource over files held in memory: for browsers (fill it from fetch() or a file picker)
 * and for tests. Keys are '/'-separated paths; a key ending in '/' declares a folder, which is
 * how an empty folder is represented. `packageFile(pkg, file)` maps to the key `pkg/file`.
 */
export function createMemoryDataSource(files: Readonly<Record<string, Uint8Array | string>>): DataSource {
  const encoder = new TextEncoder();
  const normalise = (path: string): string => path.replace(/\\/g, '/').replace(/\/{2,}/g, '/').replace(/^(\.\/)+/, '').replace(/\/$/, '');
  const contents = new Map<string, Uint8Array | string>();
  const folders = new Set<string>();
  const addParents = (path: string): void => {
    for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) folders.add(path.slice(0, slash));
  };
  for (const [key, value] of Object.entries(files)) {
    const path = normalise(key);
    if (key.endsWith('/')) folders.add(path);
    else contents.set(path, value);
    addParents(path);
  }
  const notFound = (path: string, what: string): DataFormatError =>
    new DataFormatError({ file: path }, `an existing ${what}`, `nothing (not found: ${path})`, `In-memory files: ${listNames([...contents.keys()])}.`);

  return {
    resolve(path) {
      const normal = normalise(path);
      if (!contents.has(normal) && !folders.has(normal)) throw notFound(path, 'file or folder');
      return normal;
    },
    async readFile(path) {
      const value = contents.get(normalise(path));
      if (value === undefined) throw notFound(path, 'file');
      return typeof value === 'string' ? encoder.encode(value) : value;
    },
    async readDir(path) {
      const prefix = `${normalise(path)}/`;
      if (!folders.has(normalise(path))) throw notFound(path, 'folder');
      const names = new Set<string>();
      for (const key of [...contents.keys(), ...folders]) {
        if (key.startsWith(prefix)) names.add(key.slice(prefix.length).split('/')[0]!);
      }
      return [...names].sort();
    },
    packageFile(packageName, file) {
      return `${packageName}/${file}`;
    },
  };
}
