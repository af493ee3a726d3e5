import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOUBLE_PLUGIN_MODULE, digitsConfig, parseNdjson, removeTempDirs, requireBuiltCli, runCli, tempDir, writeDigits } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

/** An idx3 file of `count` 8x8 images with a bright column, so predict has something to read. */
function idxImages(count: number): Buffer {
  const bytes = Buffer.alloc(16 + count * 64);
  bytes.writeUInt32BE(0x00000803, 0);
  bytes.writeUInt32BE(count, 4);
  bytes.writeUInt32BE(8, 8);
  bytes.writeUInt32BE(8, 12);
  for (let i = 0; i < count; i++) for (let row = 0; row < 8; row++) bytes[16 + i * 64 + row * 8 + 3] = 16;
  return bytes;
}

/** Trains a one-epoch model whose network uses acme/double from ./plugins/double.mjs. */
async function trainWithPlugin(): Promise<string> {
  const cwd = await tempDir();
  await writeDigits(cwd, 100);
  await mkdir(join(cwd, 'plugins'));
  await writeFile(join(cwd, 'plugins', 'double.mjs'), DOUBLE_PLUGIN_MODULE);
  await writeFile(join(cwd, 'images.idx3-ubyte'), idxImages(2));
  const config = digitsConfig({ train: 80, test: 20, epochs: 1 }).replace('    - relu\n', '    - relu\n    - acme/double\n');
  await writeFile(join(cwd, 'x.yaml'), `plugins: [./plugins/double.mjs]\n${config}`);
  const trained = await runCli(['x.yaml', '--json', '--out', 'run'], { cwd });
  expect(trained.stderr).toBe('');
  expect(trained.code).toBe(0);
  return cwd;
}

const evalArgs = (dir: string, ...extra: string[]) => ['eval', dir, '--data', 'sklearn-digits-json:digits.json', '--json', ...extra];

describe('models trained with a plugin', () => {
  it('record the plugin in model.json (path relative to the model folder) and eval, predict load it from there', async () => {
    const cwd = await trainWithPlugin();
    for (const dir of ['model', 'checkpoints']) {
      const model = JSON.parse(await readFile(join(cwd, 'run', dir, 'model.json'), 'utf8')) as { plugins: unknown };
      expect(model.plugins).toEqual([{ name: 'double', version: '1.0.0', namespace: 'acme', from: '../../plugins/double.mjs' }]);
    }
    for (const dir of ['run/model', 'run/checkpoints', 'run']) {
      const result = await runCli(evalArgs(dir), { cwd });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(parseNdjson(result.stdout)[0]).toMatchObject({ event: 'evaluation', count: 100 });
    }
    const predicted = await runCli(['predict', 'run/model', 'images.idx3-ubyte', '--json'], { cwd });
    expect(predicted.stderr).toBe('');
    expect(predicted.code).toBe(0);
    expect(parseNdjson(predicted.stdout)).toHaveLength(2);
  });

  it('name the plugin, its version and the layer type when the module is gone (exit 3); --plugins loads it from elsewhere', async () => {
    const cwd = await trainWithPlugin();
    await mkdir(join(cwd, 'moved'));
    await rename(join(cwd, 'plugins', 'double.mjs'), join(cwd, 'moved', 'double.mjs'));

    const missing = await runCli(evalArgs('run/model'), { cwd });
    expect(missing.code).toBe(3);
    const [error] = parseNdjson(missing.stdout);
    expect(error).toMatchObject({ event: 'error', exitCode: 3 });
    expect(String(error!['message'])).toContain(
      'model.json: this model needs plugin double (version 1.0.0) for layer type "acme/double": install it or pass --plugins NAME|PATH.',
    );
    expect(String(error!['message'])).toContain('cannot find the plugin module ../../plugins/double.mjs');
    expect(missing.stderr).not.toMatch(/\n\s+at /);

    const given = await runCli(evalArgs('run/model', '--plugins', './moved/double.mjs'), { cwd });
    expect(given.stderr).toBe('');
    expect(given.code).toBe(0);
    const predicted = await runCli(['predict', 'run/model', 'images.idx3-ubyte', '--plugins', 'moved/double.mjs'], { cwd });
    expect(predicted.code).toBe(0);

    const wrong = await runCli(evalArgs('run/model', '--plugins', './nowhere.mjs'), { cwd });
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toContain('--plugins ./nowhere.mjs: cannot find the plugin module ./nowhere.mjs');
  });

  it('--resume imports the plugin from --plugins when the config\'s path no longer resolves', async () => {
    const cwd = await trainWithPlugin();
    await mkdir(join(cwd, 'moved'));
    await rename(join(cwd, 'plugins', 'double.mjs'), join(cwd, 'moved', 'double.mjs'));
    const lost = await runCli(['train', '--resume', 'run'], { cwd });
    expect(lost.code).toBe(2);
    expect(lost.stderr).toContain('cannot find the plugin module ./plugins/double.mjs');
    expect(lost.stderr).toContain('resume with --plugins NAME|PATH');
    const found = await runCli(['train', '--resume', 'run', '--plugins', './moved/double.mjs'], { cwd });
    expect(found.code).toBe(0);
    expect(found.stderr + found.stdout).toContain('already finished all 1 epochs');
  });

  it('refuses --plugins on a new run: its plugins come from the config', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 40);
    await writeFile(join(cwd, 'x.yaml'), digitsConfig({ train: 30, test: 10, epochs: 1 }));
    const result = await runCli(['x.yaml', '--plugins', './p.mjs'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--plugins goes with --resume');
  });
});
