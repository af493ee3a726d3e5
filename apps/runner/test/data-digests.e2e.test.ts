import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsConfig, removeTempDirs, requireBuiltCli, runCli, tempDir, writeDigits } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

/** The tiny digits config with `sha256: { key: hex }` on its training slot. */
async function setUp(key: (digest: string) => string) {
  const cwd = await tempDir();
  const file = await writeDigits(cwd, 60);
  const digest = createHash('sha256').update(await readFile(file)).digest('hex');
  const config = digitsConfig({ train: 40, test: 20, epochs: 1 }).replace(
    'take: 40 }',
    `take: 40, sha256: { ${key(digest)} } }`,
  );
  await writeFile(join(cwd, 'x.yaml'), config);
  return { cwd, digest };
}

describe('data.*.sha256: configured digests of data files', () => {
  it('trains when the file matches (by file name, upper-case hex too)', async () => {
    const { cwd } = await setUp((digest) => `digits.json: ${digest.toUpperCase()}`);
    const result = await runCli(['x.yaml', '--out', 'run'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('refuses a file that differs, naming it, both digests and the config path; nothing is written (exit 3)', async () => {
    const wrong = '0'.repeat(64);
    const { cwd, digest } = await setUp(() => `./digits.json: "${wrong}"`);
    const result = await runCli(['x.yaml', '--out', 'run'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`digits.json: expected SHA-256 ${wrong} (data.train.sha256["./digits.json"]), found SHA-256 ${digest}.`);
    expect(result.stderr).toContain('it was not used');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect((await readdir(cwd)).sort()).toEqual(['digits.json', 'x.yaml']);
  });

  it('refuses a digest for a file the data set never reads (exit 2)', async () => {
    const { cwd } = await setUp((digest) => `other.json: ${digest}`);
    const result = await runCli(['x.yaml', '--out', 'run'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('data.train.sha256["other.json"]: the data set read no file called other.json');
  });

  it('validates the digest format in the config (exit 2, with its line)', async () => {
    const { cwd } = await setUp(() => 'digits.json: abc');
    const result = await runCli(['x.yaml', '--out', 'run'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/x\.yaml:4:\d+ data\.train\.sha256/);
  });
});
