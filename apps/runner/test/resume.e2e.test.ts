import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCheckpoint } from '@scratchnet/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsConfig, parseNdjson, pausedConfig, pausePluginModule, removeTempDirs, requireBuiltCli, runCli, startCli, tempDir, trainMetrics, waitForLine, writeDigits } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

/** Long enough epochs (batch size 1) that a signal lands while training is still going. */
const CONFIG = digitsConfig({ train: 1500, test: 100, epochs: 3, batchSize: 1, learningRate: 0.01 });

/**
 * The same network with acme/pause, which sleeps 2 ms in every training batch after the first
 * epoch: epochs of 1,500 batches now take milliseconds, so without it a signal sent when epoch 1
 * ends could arrive after the whole run had finished.
 */
const SLOW_AFTER_EPOCH_1 = pausedConfig(CONFIG);

async function setUp(config = CONFIG): Promise<{ cwd: string; weights: Buffer; metrics: string[] }> {
  const cwd = await tempDir();
  await writeDigits(cwd, 1600);
  await writeFile(join(cwd, 'pause.mjs'), pausePluginModule('batches > 1500 ? 2 : 0'));
  await writeFile(join(cwd, 'x.yaml'), config);
  const full = await runCli(['x.yaml', '--out', 'uninterrupted', '--json'], { cwd });
  expect(full.code).toBe(0);
  return {
    cwd,
    weights: await readFile(join(cwd, 'uninterrupted', 'model', 'weights.safetensors')),
    metrics: await trainMetrics(join(cwd, 'uninterrupted')),
  };
}

describe('resume', () => {
  it('continues a killed run from its last epoch checkpoint and ends bit-identical to an uninterrupted run', async () => {
    const { cwd, weights, metrics } = await setUp(SLOW_AFTER_EPOCH_1);
    const run = startCli(['x.yaml', '--out', 'killed', '--json'], { cwd });
    await waitForLine(run.output, (line) => line.includes('"event":"checkpoint"') && line.includes('"epoch":1'));
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');

    const resumed = await runCli(['--resume', 'killed', '--json'], { cwd });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const events = parseNdjson(resumed.stdout);
    expect(events[0]).toMatchObject({ event: 'start', firstEpoch: 2, epochs: 3 });
    expect(events.filter((e) => e['event'] === 'epoch').map((e) => e['epoch'])).toEqual([2, 3]);
    expect(events.at(-1)).toMatchObject({ event: 'summary', epochs: 3 });
    expect(Buffer.compare(await readFile(join(cwd, 'killed', 'model', 'weights.safetensors')), weights)).toBe(0);
    expect(await trainMetrics(join(cwd, 'killed'))).toEqual(metrics);
  });

  it('Ctrl-C writes a checkpoint mid-epoch, exits 130 with the resume command, and the resumed run matches', async () => {
    const { cwd, weights, metrics } = await setUp(SLOW_AFTER_EPOCH_1);
    // As `pnpm runner` runs it (npm_lifecycle_event names the script): the hint says so.
    const run = startCli(['x.yaml', '--out', 'stopped', '--json'], { cwd, env: { npm_lifecycle_event: 'runner' } });
    await waitForLine(run.output, (line) => line.includes('"event":"epoch"'));
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('resume with: pnpm runner --resume stopped');
    // A requested stop is not reported as an error.
    expect(stopped.stderr).toMatch(/^stopped: interrupted in epoch/m);
    expect(stopped.stderr).not.toContain('error:');
    const last = parseNdjson(stopped.stdout).at(-1)!;
    expect(last).toMatchObject({ event: 'error', exitCode: 130, resume: 'pnpm runner --resume stopped' });
    const checkpoint = decodeCheckpoint(new Uint8Array(await readFile(join(cwd, 'stopped', 'checkpoints', 'latest.safetensors'))));
    expect(checkpoint.epoch * 1500 + checkpoint.batchInEpoch).toBeGreaterThan(1500);

    // The thread count does not change results, so a resumed run may take another one.
    const resumed = await runCli(['--resume', 'stopped', '--threads', '1'], { cwd });
    expect(resumed.code).toBe(0);
    expect(Buffer.compare(await readFile(join(cwd, 'stopped', 'model', 'weights.safetensors')), weights)).toBe(0);
    expect(await trainMetrics(join(cwd, 'stopped'))).toEqual(metrics);

    const again = await runCli(['--resume', 'stopped'], { cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('stopped already finished all 3 epochs: nothing to resume.');
    expect(Buffer.compare(await readFile(join(cwd, 'stopped', 'model', 'weights.safetensors')), weights)).toBe(0);
    expect(await trainMetrics(join(cwd, 'stopped'))).toEqual(metrics);
    const seeded = await runCli(['--resume', 'stopped', '--seed', '3'], { cwd });
    expect(seeded.code).toBe(2);
    expect(seeded.stderr).toContain('--set and --seed cannot change a resumed run');
  });

  it('refuses to resume with a config that differs from the run', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 200);
    await writeFile(join(cwd, 'x.yaml'), digitsConfig({ train: 150, test: 50, epochs: 1 }));
    expect((await runCli(['x.yaml', '--out', 'run'], { cwd })).code).toBe(0);
    const changed = await runCli(['x.yaml', '--resume', 'run', '--set', 'training.epochs=2'], { cwd });
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain("differs from the run's config.resolved.yaml (in training)");
    const notARun = await runCli(['--resume', 'nowhere'], { cwd });
    expect(notARun.code).toBe(2);
    expect(notARun.stderr).toContain('nowhere is not a run directory');
  });
});

describe('divergence', () => {
  it('stops at the batch where the loss or weights stop being finite, exits 4 and keeps a loadable last good checkpoint', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 400);
    // The rate is sane for epoch 1, then multiplied by 10^15 each epoch.
    const config = digitsConfig({ epochs: 4 }).replace(
      /schedule: .*/,
      'schedule: { type: exponential, learningRate: 0.05, gamma: 1.0e+15, unit: epoch }',
    );
    await writeFile(join(cwd, 'x.yaml'), config);
    const result = await runCli(['x.yaml', '--out', 'run', '--json'], { cwd });
    expect(result.code).toBe(4);
    const error = parseNdjson(result.stdout).at(-1)!;
    expect(error).toMatchObject({ event: 'error', exitCode: 4, code: 'DIVERGED' });
    const match = /non-finite (?:loss|weights of \S+) at epoch (\d+) batch (\d+) \(lr=([^)]+)\)/.exec(error['message'] as string);
    expect(match).not.toBeNull();
    const divergedEpoch = Number(match![1]);
    expect(divergedEpoch).toBeGreaterThanOrEqual(2);
    expect(Number(match![3]) / (0.05 * 1e15 ** (divergedEpoch - 1))).toBeCloseTo(1, 5);

    const checkpoint = decodeCheckpoint(new Uint8Array(await readFile(join(cwd, 'run', 'checkpoints', 'latest.safetensors'))));
    expect(checkpoint.epoch).toBe(divergedEpoch - 1);
    for (const tensor of Object.values(checkpoint.weights)) expect(tensor.data.every(Number.isFinite)).toBe(true);

    const evaluation = await runCli(['eval', 'run/checkpoints', '--data', 'sklearn-digits-json:digits.json,skip=300', '--json'], { cwd });
    expect(evaluation.code).toBe(0);
    expect(parseNdjson(evaluation.stdout)[0]!['accuracy']).toBeGreaterThan(0.3);
  });
});
