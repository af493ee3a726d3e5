import type { DataSource } from '@scratchnet/spec';
import { maybeGunzip, type GunzipLimit } from './gzip.js';

/** Reads a resolved path through the data source, decompressing it when it is gzip data. */
export async function readDataFile(source: DataSource, path: string, limit?: GunzipLimit): Promise<Uint8Array> {
  return maybeGunzip(await source.readFile(path), path, limit);
}

/**
 * `dir` + `/` + `name` without node:path (this runs in browsers too). Forward slashes work on
 * Windows as well; a trailing separator on `dir` is not doubled.
 */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') || dir.endsWith('\\') ? `${dir}${name}` : `${dir}/${name}`;
}

/** Runs `task` over `items` with at most `limit` in flight, keeping results in order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
