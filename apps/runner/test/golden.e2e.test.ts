import { cp, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeCheckpoint } from '@scratchnet/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNdjson, removeTempDirs, requireBuiltCli, runCli, tempDir, writeDigits } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

/** Files written by an earlier runner and kept unchanged (see golden/README.md). */
const FORMAT_1 = resolve(dirname(fileURLToPath(import.meta.url)), 'golden/format-1');

interface Expected {
  /** How many synthetic digits (helpers.ts writeDigits) the files were trained and evaluated on. */
  readonly digits: number;
  readonly data: string;
  readonly count: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly confusion: number[][];
}

describe('golden files of model format 1', () => {
  it.each(['model', 'checkpoints'])('%s/ still loads and evaluates as it did when it was written', async (folder) => {
    const expected = JSON.parse(await readFile(join(FORMAT_1, 'expected.json'), 'utf8')) as Expected;
    // The data is regenerated, bit for bit, by the seeded generator that made it.
    const cwd = await tempDir();
    await writeDigits(cwd, expected.digits);
    const result = await runCli(['eval', join(FORMAT_1, folder), '--data', expected.data, '--json'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [evaluation] = parseNdjson(result.stdout) as unknown as Expected[];
    expect(evaluation!.count).toBe(expected.count);
    expect(evaluation!.accuracy).toBe(expected.accuracy);
    expect(evaluation!.confusion).toEqual(expected.confusion);
    // The kernels may differ in the last bits between backends and Node versions; the loss may not drift more.
    expect(evaluation!.loss).toBeCloseTo(expected.loss, 6);
  });

  it('keeps a checkpoint that decodes with its position and optimiser state', async () => {
    const bytes = new Uint8Array(await readFile(join(FORMAT_1, 'checkpoints', 'latest.safetensors')));
    const checkpoint = decodeCheckpoint(bytes, 'latest.safetensors');
    expect(checkpoint).toMatchObject({ formatVersion: 1, epoch: 2, batchInEpoch: 0 });
    expect(checkpoint.optimiser.step).toBeGreaterThan(0);
    expect(Object.keys(checkpoint.optimiser.buffers).length).toBeGreaterThan(0);
  });

  it('names an unknown layer type in a model file with the registered ones (exit 3)', async () => {
    const cwd = await tempDir();
    await cp(join(FORMAT_1, 'model'), join(cwd, 'model'), { recursive: true });
    const modelJson = JSON.parse(await readFile(join(cwd, 'model', 'model.json'), 'utf8')) as { model: { layers: { type: string }[] } };
    modelJson.model.layers[3] = { type: 'rleu' };
    await writeFile(join(cwd, 'model', 'model.json'), JSON.stringify(modelJson));
    const result = await runCli(['eval', 'model', '--data', 'sklearn-digits-json:skip=1500'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/model\.json: model\.layers\[3\]\.type: unknown layer type "rleu"\. Did you mean "relu"\? Known layer types: .*dense/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a model from a newer format version, stating both versions (exit 3)', async () => {
    const cwd = await tempDir();
    await cp(join(FORMAT_1, 'model'), join(cwd, 'model'), { recursive: true });
    const modelJson = JSON.parse(await readFile(join(cwd, 'model', 'model.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(cwd, 'model', 'model.json'), JSON.stringify({ ...modelJson, formatVersion: 2 }));
    const result = await runCli(['eval', 'model', '--data', 'sklearn-digits-json:skip=1500'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('formatVersion: expected 1, found 2');
    expect(result.stderr).toContain('reads formatVersion 1 only');
  });
});
