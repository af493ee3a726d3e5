import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCheckpoint, decodeSafetensors, encodeCheckpoint, encodeSafetensors } from '@scratchnet/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsConfig, parseNdjson, removeTempDirs, requireBuiltCli, runCli, tempDir, writeDigits } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

const EVAL_DATA = 'sklearn-digits-json:digits.json,skip=150';

/** A finished tiny run of `epochs` epochs in CWD/run. */
async function trainedRun(epochs: number): Promise<string> {
  const cwd = await tempDir();
  await writeDigits(cwd, 200);
  await writeFile(join(cwd, 'x.yaml'), digitsConfig({ train: 150, test: 50, epochs }));
  const result = await runCli(['x.yaml', '--out', 'run'], { cwd });
  expect(result.code).toBe(0);
  return cwd;
}

const dataStart = (bytes: Uint8Array): number => 8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Flips one low mantissa bit in the data section: the value stays finite, only the digest can tell. */
async function flipByte(file: string): Promise<{ expected: string; actual: string }> {
  const bytes = new Uint8Array(await readFile(file));
  const start = dataStart(bytes);
  const expected = sha256(bytes.subarray(start));
  bytes[start + 40]! ^= 0x01;
  await writeFile(file, bytes);
  return { expected, actual: sha256(bytes.subarray(start)) };
}

function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toContain('internal error');
}

describe('a damaged model file', () => {
  let cwd = '';
  beforeAll(async () => {
    cwd = await trainedRun(1);
  });

  it('with a flipped byte in weights.safetensors: eval exits 3 naming the file and both digests', async () => {
    const file = join(cwd, 'run', 'model', 'weights.safetensors');
    const original = await readFile(file);
    const { expected, actual } = await flipByte(file);
    try {
      const result = await runCli(['eval', 'run/model', '--data', EVAL_DATA], { cwd });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`${file}: the tensor data does not match its SHA-256 digest`);
      expect(result.stderr).toContain(`expected ${expected}`);
      expect(result.stderr).toContain(`found ${actual}`);
      expectNoStackTrace(result.stderr);
      expect(result.stdout).toBe('');
    } finally {
      await writeFile(file, original);
    }
    expect((await runCli(['eval', 'run/model', '--data', EVAL_DATA], { cwd })).code).toBe(0);
  });

  it('with a NaN weight (and a valid digest): eval and predict exit 3 naming the tensor', async () => {
    const file = join(cwd, 'run', 'model', 'weights.safetensors');
    const original = await readFile(file);
    const { tensors, metadata } = decodeSafetensors(new Uint8Array(original));
    const bias = tensors.get('layers.2.bias')!;
    bias.data[3] = Number.NaN;
    await writeFile(file, encodeSafetensors(Object.fromEntries(tensors), metadata));
    try {
      const evaluation = await runCli(['eval', 'run/model', '--data', EVAL_DATA, '--json'], { cwd });
      expect(evaluation.code).toBe(3);
      expect(evaluation.stderr).toContain(`${file}: tensor layers.2.bias (shape [10]): value 3 is NaN, expected a finite number.`);
      expectNoStackTrace(evaluation.stderr);
      // The model is loaded (and refused) before any input file is read.
      const prediction = await runCli(['predict', 'run/model', 'one.png'], { cwd });
      expect(prediction.code).toBe(3);
      expect(prediction.stderr).toContain('tensor layers.2.bias (shape [10]): value 3 is NaN');
    } finally {
      await writeFile(file, original);
    }
  });
});

describe('damaged checkpoints and --resume', () => {
  it('keeps latest and previous; a damaged latest makes --resume warn, fall back to previous and finish', async () => {
    const cwd = await trainedRun(3);
    const dir = join(cwd, 'run', 'checkpoints');
    const modelWeights = await readFile(join(cwd, 'run', 'model', 'weights.safetensors'));
    const previousBytes = await readFile(join(dir, 'previous.safetensors'));
    expect(decodeCheckpoint(new Uint8Array(await readFile(join(dir, 'latest.safetensors')))).epoch).toBe(3);
    expect(decodeCheckpoint(new Uint8Array(previousBytes)).epoch).toBe(2);

    const { expected, actual } = await flipByte(join(dir, 'latest.safetensors'));
    const resumed = await runCli(['--resume', 'run', '--json'], { cwd });
    expect(resumed.code).toBe(0);
    const events = parseNdjson(resumed.stdout);
    const warning = events.find((e) => e['event'] === 'warning');
    expect(warning).toBeDefined();
    const message = warning!['message'] as string;
    expect(message).toContain('run/checkpoints/latest.safetensors: the tensor data does not match its SHA-256 digest');
    expect(message).toContain(`expected ${expected}`);
    expect(message).toContain(`found ${actual}`);
    expect(message).toContain('Resuming from run/checkpoints/previous.safetensors (epoch 2) instead of run/checkpoints/latest.safetensors');
    expect(resumed.stderr).toContain(`warning: ${message}`);
    expect(events.find((e) => e['event'] === 'start')).toMatchObject({ firstEpoch: 3, epochs: 3 });
    expect(events.filter((e) => e['event'] === 'epoch').map((e) => e['epoch'])).toEqual([3]);
    expect(events.at(-1)).toMatchObject({ event: 'summary', epochs: 3 });

    // Epoch 3 again from the epoch-2 checkpoint gives the same weights, bit for bit.
    expect(Buffer.compare(await readFile(join(cwd, 'run', 'model', 'weights.safetensors')), modelWeights)).toBe(0);
    // The damaged file was set aside, so rotation kept the good epoch-2 checkpoint as previous.
    expect(existsSync(join(dir, 'latest.damaged.safetensors'))).toBe(true);
    expect(Buffer.compare(await readFile(join(dir, 'previous.safetensors')), previousBytes)).toBe(0);
    expect(decodeCheckpoint(new Uint8Array(await readFile(join(dir, 'latest.safetensors')))).epoch).toBe(3);
  });

  it('exits 3 naming both files when latest and previous are both damaged', async () => {
    const cwd = await trainedRun(2);
    const dir = join(cwd, 'run', 'checkpoints');
    await flipByte(join(dir, 'latest.safetensors'));
    await flipByte(join(dir, 'previous.safetensors'));
    const resumed = await runCli(['--resume', 'run'], { cwd });
    expect(resumed.code).toBe(3);
    expect(resumed.stderr).toContain('cannot resume run: neither checkpoint can be used.');
    expect(resumed.stderr).toContain('run/checkpoints/latest.safetensors: the tensor data does not match its SHA-256 digest');
    expect(resumed.stderr).toContain('run/checkpoints/previous.safetensors: the tensor data does not match its SHA-256 digest');
    expectNoStackTrace(resumed.stderr);
  });

  /** A finished 2-epoch run whose checkpoints lost their optimiser state, and whose config now asks for 3 epochs. */
  async function weightsOnlyRun(): Promise<string> {
    const cwd = await trainedRun(2);
    const dir = join(cwd, 'run', 'checkpoints');
    for (const name of ['latest.safetensors', 'previous.safetensors']) {
      const checkpoint = decodeCheckpoint(new Uint8Array(await readFile(join(dir, name))));
      await writeFile(join(dir, name), encodeCheckpoint({ ...checkpoint, optimiser: { step: checkpoint.optimiser.step, buffers: {} } }));
    }
    const config = join(cwd, 'run', 'config.resolved.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('epochs: 2', 'epochs: 3'));
    return cwd;
  }

  it('exits 3 (not an internal error) for checkpoints without optimiser state, offering --weights-only-ok', async () => {
    const cwd = await weightsOnlyRun();
    const resumed = await runCli(['--resume', 'run'], { cwd });
    expect(resumed.code).toBe(3);
    for (const name of ['latest', 'previous']) {
      expect(resumed.stderr).toContain(
        `run/checkpoints/${name}.safetensors: the optimiser state is missing (the file holds weights only), so the run cannot continue exactly. ` +
          'Pass --weights-only-ok to go on from its weights with a fresh optimiser state.',
      );
    }
    expectNoStackTrace(resumed.stderr);
  });

  it('--weights-only-ok resumes from the weights with a fresh optimiser state, and says so', async () => {
    const cwd = await weightsOnlyRun();
    const resumed = await runCli(['--resume', 'run', '--weights-only-ok', '--json'], { cwd });
    expect(resumed.code).toBe(0);
    const events = parseNdjson(resumed.stdout);
    expect(events[0]).toMatchObject({ event: 'warning' });
    expect(String(events[0]!['message'])).toContain(
      'run/checkpoints/latest.safetensors holds weights only: training goes on from them with a fresh optimiser state (--weights-only-ok)',
    );
    expect(events.filter((e) => e['event'] === 'epoch').map((e) => e['epoch'])).toEqual([3]);
    expect(events.at(-1)).toMatchObject({ event: 'summary', epochs: 3 });
  });

  it('exits 3 naming the tensor for a checkpoint with a NaN weight', async () => {
    const cwd = await trainedRun(1);
    const dir = join(cwd, 'run', 'checkpoints');
    const checkpoint = decodeCheckpoint(new Uint8Array(await readFile(join(dir, 'latest.safetensors'))));
    checkpoint.weights['layers.0.weight']!.data[7] = Number.POSITIVE_INFINITY;
    await writeFile(join(dir, 'latest.safetensors'), encodeCheckpoint(checkpoint));
    await writeFile(join(dir, 'previous.safetensors'), encodeCheckpoint(checkpoint));
    const resumed = await runCli(['--resume', 'run'], { cwd });
    expect(resumed.code).toBe(3);
    expect(resumed.stderr).toContain('run/checkpoints/latest.safetensors: tensor weights/layers.0.weight (shape [64, 16]): value 7 is Infinity');
    expectNoStackTrace(resumed.stderr);
  });
});
