import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNdjson, removeTempDirs, requireBuiltCli, runCli, tempDir, writeDigits } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

/** A small conv net on the synthetic 8x8 digits: `layers` and `training` lines replace the defaults. */
function convConfig(layers: string, training = '{ epochs: 2, batchSize: 20 }', train = 300): string {
  return `name: tiny-conv
seed: 5
data:
  train: { type: sklearn-digits-json, path: digits.json, take: ${train} }
  test: { type: sklearn-digits-json, path: digits.json, skip: 300, take: 100 }
  preprocess: [{ type: scale, divisor: 16 }]
model:
  input: [1, 8, 8]
  layers:
${layers}
loss: softmax-cross-entropy
optimiser: { type: sgd, momentum: 0.9 }
schedule: { type: fixed, learningRate: 0.05 }
training: ${training}
`;
}

const CONV_NET = `    - { type: conv2d, filters: 4, kernelSize: 3, padding: same }
    - { type: batch-norm }
    - relu
    - { type: max-pool2d, poolSize: 2 }
    - flatten
    - { type: dense, units: 10 }`;

describe('conv networks in the runner', () => {
  it('validate prints the layer shapes; train and eval agree, batch-norm statistics included', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 400);
    await writeFile(join(cwd, 'x.yaml'), convConfig(CONV_NET));
    const validate = await runCli(['validate', 'x.yaml'], { cwd });
    expect(validate.code).toBe(0);
    expect(validate.stdout).toMatch(/0\s+conv2d\s+\[4, 8, 8\]\n1\s+batch-norm\s+\[4, 8, 8\]\n2\s+relu\s+\[4, 8, 8\]\n3\s+max-pool2d\s+\[4, 4, 4\]\n4\s+flatten\s+\[64\]/);

    const result = await runCli(['x.yaml', '--out', 'run', '--json'], { cwd });
    expect(result.code).toBe(0);
    const summary = parseNdjson(result.stdout).at(-1)!;
    const test = summary['test'] as { loss: number; accuracy: number };
    expect(test.accuracy).toBeGreaterThan(0.5);
    const evaluation = await runCli(['eval', 'run/model', '--data', 'sklearn-digits-json:digits.json,skip=300,take=100', '--json'], { cwd });
    expect(evaluation.code).toBe(0);
    const [report] = parseNdjson(evaluation.stdout);
    expect(report!['accuracy']).toBe(test.accuracy);
    expect(report!['loss']).toBeCloseTo(test.loss, 5);
  });

  it.each([
    [
      'a conv after a flatten',
      '    - flatten\n    - { type: conv2d, filters: 2, kernelSize: 3 }\n    - flatten\n    - { type: dense, units: 10 }',
      /^x\.yaml:11:7 model\.layers\[1\] \(conv2d\): .*expected input \[channels, height, width\] \(3-D\), got \[64\]/m,
    ],
    [
      'a conv stack that shrinks below 1x1',
      '    - { type: conv2d, filters: 2, kernelSize: 5 }\n    - { type: conv2d, filters: 2, kernelSize: 5 }\n    - flatten\n    - { type: dense, units: 10 }',
      /^x\.yaml:11:7 model\.layers\[1\] \(conv2d\): .*\[2, 4, 4\]/m,
    ],
    [
      'a pool that shrinks a side to 0',
      '    - { type: max-pool2d, poolSize: [16, 2] }\n    - flatten\n    - { type: dense, units: 10 }',
      /^x\.yaml:10:7 model\.layers\[0\] \(max-pool2d\): /m,
    ],
    ['stride 0', '    - { type: conv2d, filters: 2, kernelSize: 3, stride: 0 }\n    - flatten\n    - { type: dense, units: 10 }', /^x\.yaml:10:\d+ model\.layers\[0\]\.stride/m],
    ['a negative padding', '    - { type: avg-pool2d, padding: -1 }\n    - flatten\n    - { type: dense, units: 10 }', /^x\.yaml:10:\d+ model\.layers\[0\]\.padding/m],
  ])('%s is a config error at file:line:col before anything is written', async (_label, layers, message) => {
    const cwd = await tempDir();
    await writeDigits(cwd, 400);
    await writeFile(join(cwd, 'x.yaml'), convConfig(layers));
    const result = await runCli(['x.yaml', '--out', 'run'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('    at ');
    expect((await readdir(cwd)).sort()).toEqual(['digits.json', 'x.yaml']);
  });

  it('batch norm with a last training batch of 1 sample is refused at training.batchSize before any step', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 400);
    await writeFile(join(cwd, 'x.yaml'), convConfig(CONV_NET, '{ epochs: 1, batchSize: 20 }', 281));
    const result = await runCli(['x.yaml', '--out', 'run'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^x\.yaml:\d+:\d+ training\.batchSize: model\.layers\[1\] \(batch-norm\) trains on batches of at least 2 samples, but 281 training samples in batches of 20 leave a last batch of 1/m);
    expect((await readdir(cwd)).sort()).toEqual(['digits.json', 'x.yaml']);
  });
});
