import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, requireBuiltCli, runCli, tempDir } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), '..');

describe('the experiment schema shipped in the package', () => {
  it('is exported as @scratchnet/runner/experiment.schema.json and is what runner schema prints', async () => {
    const manifest = JSON.parse(await readFile(join(PACKAGE, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const target = manifest.exports['./experiment.schema.json'];
    expect(target).toBe('./dist/experiment.schema.json');
    const shipped = JSON.parse(await readFile(join(PACKAGE, target as string), 'utf8')) as Record<string, unknown>;
    const printed = await runCli(['schema', '--json'], { cwd: await tempDir() });
    expect(printed.code).toBe(0);
    expect(shipped).toEqual(JSON.parse(printed.stdout));
    expect(Object.keys(shipped['properties'] as object)).toEqual(
      expect.arrayContaining(['name', 'seed', 'plugins', 'data', 'model', 'loss', 'optimiser', 'schedule', 'training']),
    );
  });
});
