import { existsSync } from 'node:fs';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import process from 'node:process';
import type { DataSource } from '@scratchnet/spec';
import { DataFormatError } from '@scratchnet/spec';

export interface NodeDataSourceOptions {
  /** Folder relative data paths are looked up in first: the config file's folder. */
  readonly baseDir: string;
  /**
   * Folder looked in second (`--data-dir`). When omitted, the SCRATCHNET_DATA environment
   * variable is used if set; pass null for no data folder at all. Relative values resolve
   * against the current working directory.
   */
  readonly dataDir?: string | null;
}

const DATA_DIR_HINT = 'Relative data paths are looked up next to the config file, then in the data folder: set SCRATCHNET_DATA=DIR or pass --data-dir DIR.';

/** The file access of the dataset plugins, on Node's file system. */
export function createNodeDataSource(options: NodeDataSourceOptions): DataSource {
  const baseDir = resolve(options.baseDir);
  const rawDataDir = options.dataDir === undefined ? process.env.SCRATCHNET_DATA : options.dataDir;
  const dataDir = rawDataDir === null || rawDataDir === undefined || rawDataDir === '' ? undefined : resolve(rawDataDir);
  const require = createRequire(import.meta.url);

  return {
    resolve(path) {
      if (isAbsolute(path)) return path;
      const tried = [join(baseDir, path), ...(dataDir === undefined ? [] : [join(dataDir, path)])];
      const found = tried.find((candidate) => existsSync(candidate));
      if (found !== undefined) return found;
      throw new DataFormatError(
        { file: path },
        'an existing file or folder',
        `nothing (not found: ${tried.join(' or ')})${dataDir === undefined ? '; no data folder is set' : ''}`,
        DATA_DIR_HINT,
      );
    },
    async readFile(path) {
      try {
        const buffer = await readFile(path);
        // A plain Uint8Array view: Buffer's slice() shares memory, unlike Uint8Array's.
        return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      } catch (error) {
        throw fileError(path, error, 'file');
      }
    },
    async readFileHead(path, bytes) {
      try {
        const handle = await open(path, 'r');
        try {
          const buffer = new Uint8Array(Math.max(0, bytes));
          let filled = 0;
          // read() may return fewer bytes than asked for; stop at the end of the file.
          while (filled < buffer.length) {
            const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
            if (bytesRead === 0) break;
            filled += bytesRead;
          }
          return buffer.subarray(0, filled);
        } finally {
          await handle.close();
        }
      } catch (error) {
        throw fileError(path, error, 'file');
      }
    },
    async fileSize(path) {
      try {
        return (await stat(path)).size;
      } catch (error) {
        throw fileError(path, error, 'file');
      }
    },
    async readDir(path) {
      try {
        return await readdir(path);
      } catch (error) {
        throw fileError(path, error, 'folder');
      }
    },
    packageFile(packageName, file) {
      let packageDir: string;
      try {
        packageDir = dirname(require.resolve(`${packageName}/package.json`));
      } catch (error) {
        throw new DataFormatError(
          { file: `${packageName}/${file}` },
          `the npm package ${packageName} to be installed`,
          `it cannot be resolved (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
          `Install it (pnpm add ${packageName}) or point the data set at a folder of files instead.`,
        );
      }
      return join(packageDir, file);
    },
  };
}

/** Node's ENOENT / EISDIR / ... as a DataFormatError naming the path. */
function fileError(path: string, error: unknown, what: 'file' | 'folder'): DataFormatError {
  const code = (error as { code?: unknown } | null)?.code;
  const found =
    code === 'ENOENT' ? `nothing (not found: ${path})`
    : code === 'EISDIR' ? 'a folder'
    : code === 'ENOTDIR' ? (what === 'folder' ? 'a file' : 'a path through a file')
    : code === 'EACCES' || code === 'EPERM' ? 'a path this process may not read'
    : `an unreadable path (${error instanceof Error ? error.message : String(error)})`;
  return new DataFormatError({ file: path }, `a readable ${what}`, found, code === 'ENOENT' ? 'Check the path and the data folder (SCRATCHNET_DATA or --data-dir).' : undefined);
}
