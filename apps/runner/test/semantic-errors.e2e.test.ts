import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsConfig, parseNdjson, removeTempDirs, requireBuiltCli, runCli, tempDir, writeDigits } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

// Checklist C4: settings that are each valid but do not fit together are config errors (exit 2)
// found before anything is written, and the message names every field involved.

/** The digits config with `layers` for an 8x8 image input. */
function imageConfig(layers: string): string {
  return digitsConfig({ train: 100, test: 20 })
    .replace('  input: [64]', '  input: [1, 8, 8]')
    .replace(/ {2}layers:\n(?: {4}- .*\n)+/, `  layers:\n${layers}\n`);
}

async function runIn(config: string, ...flags: string[]) {
  const cwd = await tempDir();
  await writeDigits(cwd, 200);
  await writeFile(join(cwd, 'x.yaml'), config);
  const result = await runCli(['x.yaml', '--out', 'run', ...flags], { cwd });
  return { ...result, files: (await readdir(cwd)).sort() };
}

describe('cross-field config errors', () => {
  it('a batchSize larger than the training set names training.batchSize and data.train, exits 2 and writes nothing', async () => {
    const result = await runIn(digitsConfig({ train: 60, test: 20, batchSize: 100 }));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^x\.yaml:16:\d+ training\.batchSize: 100 is larger than the training set: data\.train \([^)]*digits\.json[^)]*\) has 60 samples\. Use a batchSize of at most 60, or more training data in data\.train\.$/m,
    );
    expect(result.stderr).not.toContain('    at ');
    expect(result.stdout).toBe('');
    expect(result.files).toEqual(['digits.json', 'x.yaml']);
  });

  it('counts the training set after the validation split, and locates a --set batchSize at the flag', async () => {
    const config = digitsConfig({ train: 60, test: 20 }).replace('  preprocess:', '  validation: { fromTrain: 0.5 }\n  preprocess:');
    const result = await runIn(config, '--set', 'training.batchSize=40', '--json');
    expect(result.code).toBe(2);
    const [error, ...rest] = parseNdjson(result.stdout);
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ event: 'error', exitCode: 2 });
    const issues = error!['issues'] as { where: string; path: unknown[]; message: string }[];
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ where: '--set training.batchSize=40', path: ['training', 'batchSize'] });
    expect(issues[0]!.message).toMatch(/^40 is larger than the training set: data\.train \(.*held out.*\) has 30 samples\./);
    expect(result.files).toEqual(['digits.json', 'x.yaml']);
  });

  it('a conv stack that shrinks the input below 1x1 names model.input and the layers that shrink it, before anything is written', async () => {
    const config = imageConfig(
      '    - { type: conv2d, filters: 2, kernelSize: 5 }\n    - relu\n    - { type: conv2d, filters: 2, kernelSize: 5 }\n    - flatten\n    - { type: dense, units: 10 }',
    );
    for (const command of [['validate', 'x.yaml'], ['x.yaml', '--out', 'run']]) {
      const cwd = await tempDir();
      await writeDigits(cwd, 200);
      await writeFile(join(cwd, 'x.yaml'), config);
      const result = await runCli(command, { cwd });
      expect(result.code, command.join(' ')).toBe(2);
      const [line] = result.stderr.split('\n');
      expect(line).toMatch(/^x\.yaml:12:7 model\.layers\[2\] \(conv2d\): expected input at least \[2, 5, 5\] .*, got \[2, 4, 4\]\. /);
      expect(line).toMatch(/ Shapes so far: model\.input \[1, 8, 8\] -> model\.layers\[0\] \(conv2d\) \[2, 4, 4\]\.$/);
      expect(result.stderr).not.toContain('    at ');
      expect((await readdir(cwd)).sort()).toEqual(['digits.json', 'x.yaml']);
    }
  });
});
