import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsConfig, parseNdjson, pausedConfig, pausePluginModule, removeTempDirs, requireBuiltCli, runCli, startCli, tempDir, trainMetrics, waitForLine, writeDigits } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

/** The synthetic digits with a validation split, augmentation, early stopping and restoreBest. */
function controlledConfig(extra: { epochs?: number; patience?: number } = {}): string {
  return digitsConfig({ epochs: extra.epochs ?? 12, train: 300 })
    .replace('  preprocess:', '  validation: { fromTrain: 0.2 }\n  augment: [{ type: shift, maxPixels: 1, probability: 0.5 }]\n  preprocess:')
    .replace(
      /training: \{ epochs: (\d+), batchSize: 16 \}/,
      `training:\n  epochs: $1\n  batchSize: 16\n  earlyStopping: { monitor: validation.accuracy, patience: ${extra.patience ?? 2}, minDelta: 0.05 }\n  restoreBest: true\n  clipNorm: 5\n  warmupEpochs: 0.5\n`,
    );
}

describe('training control from a config', () => {
  it('augments, stops early, and writes the best epoch as model/ (reproducibly)', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 500);
    await writeFile(join(cwd, 'x.yaml'), controlledConfig());
    const first = await runCli(['x.yaml', '--json', '--out', 'a'], { cwd });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const summary = parseNdjson(first.stdout).at(-1)!;
    expect(summary).toMatchObject({ event: 'summary', stoppedEarly: true });
    const epochs = summary['epochs'] as number;
    expect(epochs).toBeLessThan(12);
    const lines = (await readFile(join(cwd, 'a', 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { validation: { accuracy: number } });
    expect(lines).toHaveLength(epochs);
    // Keras' rule: an epoch is the new best when it beats the best so far by more than minDelta.
    let best = 0;
    lines.forEach((line, i) => {
      if (best === 0 || line.validation.accuracy > lines[best - 1]!.validation.accuracy + 0.05) best = i + 1;
    });
    expect(summary['bestEpoch']).toBe(best);

    const second = await runCli(['x.yaml', '--json', '--out', 'b'], { cwd });
    expect(second.code).toBe(0);
    for (const file of ['model/weights.safetensors', 'checkpoints/latest.safetensors']) {
      expect(Buffer.compare(await readFile(join(cwd, 'a', file)), await readFile(join(cwd, 'b', file))), file).toBe(0);
    }
    // model/ (the best epoch) is not the last checkpoint's weights when the best came earlier.
    if ((summary['bestEpoch'] as number) < epochs) {
      const evaluation = await runCli(['eval', 'a/model', '--data', 'sklearn-digits-json:digits.json,take=300', '--json'], { cwd });
      expect(evaluation.code).toBe(0);
    }
    const human = await runCli(['x.yaml', '--out', 'c'], { cwd });
    expect(human.stdout).toMatch(/summary after \d+ epochs \(stopped early: no validation improvement; model and test figures from epoch \d+, the best on validation\)/);
  });

  it('resumes an interrupted augmented run to the same weights as an uninterrupted one', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 500);
    // acme/pause sleeps in every training batch, so the Ctrl-C lands while it trains.
    await writeFile(join(cwd, 'pause.mjs'), pausePluginModule());
    await writeFile(join(cwd, 'x.yaml'), pausedConfig(controlledConfig({ epochs: 6, patience: 10 })));
    expect((await runCli(['x.yaml', '--out', 'whole'], { cwd })).code).toBe(0);
    const run = startCli(['x.yaml', '--json', '--out', 'cut'], { cwd });
    await waitForLine(run.output, (line) => line.includes('"event":"checkpoint"') && line.includes('"epoch":2'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(130);
    const resumed = await runCli(['train', '--resume', 'cut', '--json'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await trainMetrics(join(cwd, 'cut'))).toEqual(await trainMetrics(join(cwd, 'whole')));
    expect(Buffer.compare(await readFile(join(cwd, 'cut', 'model/weights.safetensors')), await readFile(join(cwd, 'whole', 'model/weights.safetensors')))).toBe(0);
  });

  it('refuses early stopping without a validation set, at its line, writing nothing', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 500);
    await writeFile(join(cwd, 'x.yaml'), controlledConfig().replace('  validation: { fromTrain: 0.2 }\n', ''));
    const result = await runCli(['x.yaml', '--out', 'run'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/x\.yaml:\d+:\d+ training\.earlyStopping: watches a validation metric, but there is no validation set\. Add data\.validation/);
    await expect(readFile(join(cwd, 'run', 'run.json'))).rejects.toThrow();
  });

  it('locates an augmentation whose options do not fit together', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 500);
    await writeFile(join(cwd, 'x.yaml'), controlledConfig().replace('{ type: shift, maxPixels: 1, probability: 0.5 }', '{ type: scale, min: 1.2, max: 0.8 }'));
    const result = await runCli(['x.yaml', '--out', 'run'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/data\.augment\[0\]\.min \(scale\)/);
  });
});
