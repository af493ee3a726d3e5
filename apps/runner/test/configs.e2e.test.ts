// configs/ is what users run first: every config there validates with the built runner, and
// configs/README.md's table lists exactly the configs present (names; the figures are measured).
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, requireBuiltCli, runCli, tempDir } from './helpers.js';

const CONFIGS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../configs');

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

const configFiles = async (): Promise<string[]> => (await readdir(CONFIGS)).filter((name) => name.endsWith('.yaml')).sort();

describe('configs/', () => {
  it('README.md has one table row per config file, and no row for a config that is gone', async () => {
    const readme = await readFile(join(CONFIGS, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| \[?`([a-z0-9-]+\.yaml)`/gm)].map((match) => match[1]!).sort();
    expect(rows).toEqual(await configFiles());
  });

  it('every config validates', async () => {
    const cwd = await tempDir();
    for (const file of await configFiles()) {
      const result = await runCli(['validate', join(CONFIGS, file)], { cwd });
      expect(result.code, `${file}: ${result.stderr}`).toBe(0);
    }
  }, 120_000);
});
