import { createHash } from 'node:crypto';
import { basename, isAbsolute, resolve } from 'node:path';
import { DataFormatError, formatPath, type ConfigPath, type DataSource } from '@scratchnet/spec';
import { usageError } from '../exit-codes.js';

/**
 * A data source that checks files against the digests a dataset slot lists in `sha256:`
 * (`{ "train-images-idx3-ubyte.gz": "<64 hex digits>" }`) before a plugin sees their bytes. A
 * key names a file by the path the plugin reads, that path resolved, or its bare file name.
 * `unread()` lists keys no read matched, so a digest that checked nothing is not silently kept.
 */
export function withDigests(source: DataSource, digests: Readonly<Record<string, string>>, slotPath: ConfigPath) {
  const pending = new Map(Object.entries(digests).map(([key, hex]) => [key, hex.toLowerCase()]));
  const keyFor = (path: string): string | undefined =>
    Object.keys(digests).find((key) => key === path || resolveKey(source, key) === resolveKey(source, path) || (!key.includes('/') && key === basename(path)));
  const checked: DataSource = {
    ...source,
    async readFile(path) {
      const bytes = await source.readFile(path);
      const key = keyFor(path);
      if (key === undefined) return bytes;
      const expected = digests[key]!.toLowerCase();
      const actual = createHash('sha256').update(bytes).digest('hex');
      pending.delete(key);
      if (actual !== expected) {
        throw new DataFormatError(
          { file: path },
          `SHA-256 ${expected} (${entryPath(slotPath, key)})`,
          `SHA-256 ${actual}`,
          'The file is not the one the config names, so it was not used: fetch it again, or put the new digest in the config if the change is intended.',
        );
      }
      return bytes;
    },
  };
  return {
    source: checked,
    /** Throws a usage error when a listed file was never read by the data set. */
    checkAllRead(): void {
      const [key] = pending.keys();
      if (key === undefined) return;
      throw usageError(
        `${entryPath(slotPath, key)}: the data set read no file called ${key}, so its digest checked nothing. ` +
          'Use the file name or the path the data set reads (see its options), or remove the entry.',
      );
    },
  };
}

/** `data.train.sha256["t10k.gz"]`: keys are file names, whose dots a dotted path would hide. */
const entryPath = (slotPath: ConfigPath, key: string): string => `${formatPath(slotPath)}.sha256[${JSON.stringify(key)}]`;

function resolveKey(source: DataSource, path: string): string | undefined {
  if (isAbsolute(path)) return resolve(path);
  try {
    return source.resolve(path);
  } catch {
    return undefined;
  }
}
