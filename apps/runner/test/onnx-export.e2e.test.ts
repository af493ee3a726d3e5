// `runner export --format onnx`: tiny models trained on MNIST subsets, exported, run in ONNX
// Runtime (onnxruntime-web's Node entry: its wasm backend, no network) on 100 MNIST test images,
// and compared with what `runner predict --json` says for the same images: the same class and
// probabilities within 1e-5.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModel } from '@scratchnet/onnx';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOUBLE_PLUGIN_MODULE, mnistTestSet, parseNdjson, removeTempDirs, requireBuiltCli, runCli, tempDir } from './helpers.js';

const EXTRAS_PLUGIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../../examples/plugin-extras/dist/index.js');
const COUNT = 100;

beforeAll(() => {
  requireBuiltCli();
  ort.env.wasm.numThreads = 1;
});
afterAll(removeTempDirs);

/** A config training `layers` for one quick epoch on the first `take` MNIST training images. */
function mnistConfig(options: { layers: string; input: string; preprocess: string; take?: number; batchSize?: number; plugins?: string; loss?: string }): string {
  return `name: onnx-export-test
seed: 3
${options.plugins === undefined ? '' : `plugins: [${options.plugins}]\n`}data:
  train: { type: mnist, split: train, take: ${options.take ?? 1000} }
  test: { type: mnist, split: test, take: 100 }
  preprocess: ${options.preprocess}
model:
  input: ${options.input}
  layers:
${options.layers}
loss: ${options.loss ?? 'softmax-cross-entropy'}
optimiser: { type: sgd, momentum: 0.9 }
schedule: { type: fixed, learningRate: 0.05 }
training: { epochs: 1, batchSize: ${options.batchSize ?? 50} }
`;
}

/** The first COUNT MNIST test images as an idx file (what `runner predict` reads) and as float32, as predict feeds them. */
function testImages(): { idx: Uint8Array; floats: Float32Array } {
  const { images } = mnistTestSet();
  const pixels = images.subarray(0, COUNT * 784);
  const idx = new Uint8Array(16 + pixels.length);
  const view = new DataView(idx.buffer);
  view.setUint32(0, 0x0803);
  view.setUint32(4, COUNT);
  view.setUint32(8, 28);
  view.setUint32(12, 28);
  idx.set(pixels, 16);
  return { idx, floats: Float32Array.from(pixels) };
}

/** Trains `config` into cwd/run (and writes the test images as images.idx); exit code checked. */
async function train(config: string): Promise<string> {
  const cwd = await tempDir('onnx-export-');
  await writeFile(join(cwd, 'x.yaml'), config);
  await writeFile(join(cwd, 'images.idx'), testImages().idx);
  await writeFile(join(cwd, 'double.mjs'), DOUBLE_PLUGIN_MODULE);
  const result = await runCli(['x.yaml', '--out', 'run'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return cwd;
}

/** `runner predict --json` on the test images: per image, the values of every class, in class order. */
async function scratchnetOutputs(cwd: string): Promise<number[][]> {
  const result = await runCli(['predict', 'run', 'images.idx', '--json'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  const classNames = JSON.parse(await readFile(join(cwd, 'run/model/model.json'), 'utf8')).classNames as string[];
  const predictions = parseNdjson(result.stdout).filter((event) => event['event'] === 'prediction');
  expect(predictions).toHaveLength(COUNT);
  return predictions.map((event) => {
    const values = (event['probabilities'] ?? event['scores']) as Record<string, number>;
    return classNames.map((name) => values[name]!);
  });
}

/** Runs an exported file in ONNX Runtime on `input` (fed to its only input); the only output, row by row. */
async function onnxOutputs(file: string, input: Float32Array, sampleShape: readonly number[]): Promise<{ name: string; rows: number[][] }> {
  const session = await ort.InferenceSession.create(new Uint8Array(await readFile(file)));
  try {
    expect(session.inputNames).toEqual(['input']);
    const result = await session.run({ input: new ort.Tensor('float32', input, [COUNT, ...sampleShape]) });
    const name = session.outputNames[0]!;
    const output = result[name]!;
    const classes = output.dims[1]!;
    expect(output.dims).toEqual([COUNT, classes]);
    const data = output.data as Float32Array;
    return { name, rows: Array.from({ length: COUNT }, (_, i) => Array.from(data.subarray(i * classes, (i + 1) * classes))) };
  } finally {
    await session.release();
  }
}

const argmax = (row: readonly number[]): number => row.indexOf(Math.max(...row));

function expectSameOutputs(onnx: readonly number[][], scratchnet: readonly number[][]): void {
  let worst = 0;
  onnx.forEach((row, i) => {
    expect(argmax(row), `image ${i}`).toBe(argmax(scratchnet[i]!));
    row.forEach((value, c) => (worst = Math.max(worst, Math.abs(value - scratchnet[i]![c]!))));
  });
  expect(worst).toBeLessThan(1e-5);
}

/** Trains, exports (extra flags), runs both ways on the raw test images, compares. */
async function roundTrip(config: string, exportFlags: readonly string[] = []): Promise<{ cwd: string; file: string }> {
  const cwd = await train(config);
  const result = await runCli(['export', 'run', '--format', 'onnx', ...exportFlags, '--json'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  const [event] = parseNdjson(result.stdout).filter((e) => e['event'] === 'exported');
  expect(event!['input']).toEqual({ name: 'input', shape: ['N', 1, 28, 28] });
  expect(event!['output']).toEqual({ name: 'probabilities', shape: ['N', 10] });
  const file = join(cwd, event!['file'] as string);
  const onnx = await onnxOutputs(file, testImages().floats, [1, 28, 28]);
  expect(onnx.name).toBe('probabilities');
  expectSameOutputs(onnx.rows, await scratchnetOutputs(cwd));
  return { cwd, file };
}

describe('runner export --format onnx: ONNX Runtime gives the probabilities runner predict gives', () => {
  it('the tutorial MLP with sigmoid, standardised input; metadata, producer and opset in the file', async () => {
    const { file } = await roundTrip(
      mnistConfig({ input: '[784]', preprocess: '[{ type: standardise }]', layers: '    - { type: dense, units: 30 }\n    - sigmoid\n    - { type: dense, units: 10 }' }),
    );
    expect(file.endsWith(join('run', 'model', 'model.onnx'))).toBe(true);
    const model = decodeModel(new Uint8Array(await readFile(file)));
    expect(model.producerName).toBe('scratchnet');
    expect(model.opsetImport).toEqual([{ domain: '', version: 17 }]);
    const metadata = Object.fromEntries(model.metadataProps.map(({ key, value }) => [key, value]));
    expect(JSON.parse(metadata['classNames']!)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(metadata['modelName']).toBe('onnx-export-test');
    expect(metadata['scratchnetVersion']).toMatch(/^\d+\.\d+\.\d+/);
    expect(model.graph.node.map((node) => node.opType)).toEqual(['Sub', 'Div', 'Flatten', 'Gemm', 'Sigmoid', 'Gemm', 'Softmax']);
  }, 60_000);

  it('the tutorial MLP with relu, scaled input; --no-preprocess takes the preprocessed input instead', async () => {
    const { cwd } = await roundTrip(
      mnistConfig({ input: '[784]', preprocess: '[{ type: scale, divisor: 255 }]', layers: '    - { type: dense, units: 30 }\n    - relu\n    - { type: dense, units: 60 }\n    - relu\n    - { type: dense, units: 10 }' }),
      ['--opset', '13'],
    );
    const result = await runCli(['export', 'run', '--format', 'onnx', '--no-preprocess', '--out', 'raw.onnx'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/input input \[N, 784\] -> output probabilities \[N, 10\]/);
    const scaled = testImages().floats.map((v) => v / 255);
    expectSameOutputs((await onnxOutputs(join(cwd, 'raw.onnx'), scaled, [784])).rows, await scratchnetOutputs(cwd));
  }, 60_000);

  it('the tutorial MLP with tanh, per-pixel standardised then flattened input, at opset 21', async () => {
    await roundTrip(
      mnistConfig({
        input: '[784]',
        preprocess: '[{ type: standardise, perPixel: true }, flatten]',
        layers: '    - { type: dense, units: 50 }\n    - tanh\n    - { type: dense, units: 50 }\n    - tanh\n    - { type: dense, units: 10 }',
      }),
      ['--opset', '21'],
    );
  }, 60_000);

  it('a LeNet-5 style CNN', async () => {
    await roundTrip(
      mnistConfig({
        input: '[1, 28, 28]',
        preprocess: '[{ type: scale, divisor: 255 }]',
        take: 300,
        layers: [
          '{ type: conv2d, filters: 6, kernelSize: 5, padding: 2 }',
          'relu',
          '{ type: max-pool2d, poolSize: 2 }',
          '{ type: conv2d, filters: 16, kernelSize: 5 }',
          'relu',
          '{ type: max-pool2d, poolSize: 2 }',
          'flatten',
          '{ type: dense, units: 120 }',
          'relu',
          '{ type: dense, units: 84 }',
          'relu',
          '{ type: dense, units: 10 }',
        ]
          .map((layer) => `    - ${layer}`)
          .join('\n'),
      }),
    );
  }, 60_000);

  it('a CNN with batch norm (on images and on features), avg and global-avg pooling, leaky relu and dropout', async () => {
    const { file } = await roundTrip(
      mnistConfig({
        input: '[1, 28, 28]',
        preprocess: '[{ type: scale, divisor: 255 }]',
        take: 300,
        batchSize: 20,
        layers: [
          "{ type: conv2d, filters: 4, kernelSize: 3, padding: same, useBias: false }",
          'batch-norm',
          '{ type: leaky-relu, slope: 0.1 }',
          "{ type: avg-pool2d, poolSize: 3, stride: 2, padding: same }",
          '{ type: conv2d, filters: 8, kernelSize: 3, stride: 2 }',
          'batch-norm',
          'relu',
          '{ type: dropout, rate: 0.25 }',
          'global-avg-pool',
          '{ type: dense, units: 16 }',
          'batch-norm',
          'relu',
          '{ type: dropout, rate: 0.25 }',
          '{ type: dense, units: 10 }',
        ]
          .map((layer) => `    - ${layer}`)
          .join('\n'),
      }),
    );
    const ops = decodeModel(new Uint8Array(await readFile(file))).graph.node.map((node) => node.opType);
    expect(ops).toEqual([
      'Div', 'Conv', 'BatchNormalization', 'LeakyRelu', 'AveragePool', 'Conv', 'BatchNormalization', 'Relu',
      'GlobalAveragePool', 'Flatten', 'Gemm', 'BatchNormalization', 'Relu', 'Gemm', 'Softmax',
    ]);
  }, 60_000);

  it("the example plugin's swish layer exports through its toOnnx hook; a plugin loss gives the network outputs and a warning", async () => {
    const cwd = await train(
      mnistConfig({
        plugins: JSON.stringify(EXTRAS_PLUGIN),
        input: '[784]',
        preprocess: '[{ type: scale, divisor: 255 }, flatten]',
        layers: '    - { type: dense, units: 32 }\n    - { type: extras/swish, beta: 1.5 }\n    - { type: dense, units: 10 }',
        loss: '{ type: extras/focal, gamma: 1 }',
      }),
    );
    const result = await runCli(['export', 'run', '--format', 'onnx'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/the loss extras\/focal is not built in/);
    expect(result.stdout).toMatch(/-> output outputs \[N, 10\]/);
    const onnx = await onnxOutputs(join(cwd, 'run/model/model.onnx'), testImages().floats, [1, 28, 28]);
    expect(onnx.name).toBe('outputs');
    // focal's probabilities are softmax(outputs), as its docs say.
    const softmax = (row: number[]): number[] => {
      const top = Math.max(...row);
      const exps = row.map((v) => Math.exp(v - top));
      const sum = exps.reduce((a, b) => a + b, 0);
      return exps.map((e) => e / sum);
    };
    expectSameOutputs(onnx.rows.map(softmax), await scratchnetOutputs(cwd));
    const ops = decodeModel(new Uint8Array(await readFile(join(cwd, 'run/model/model.onnx')))).graph.node.map((node) => node.opType);
    expect(ops).toEqual(['Div', 'Flatten', 'Gemm', 'Mul', 'Sigmoid', 'Mul', 'Gemm']);
  }, 60_000);
});

describe('runner export: what it refuses', () => {
  it('a plugin layer without toOnnx: exit 2 naming the layer and how a plugin provides a mapping; nothing written', async () => {
    const cwd = await train(
      mnistConfig({ plugins: './double.mjs', input: '[784]', preprocess: '[{ type: scale, divisor: 255 }]', take: 200, layers: '    - { type: dense, units: 10 }\n    - acme/double' }),
    );
    const result = await runCli(['export', 'run', '--format', 'onnx'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/model\.layers\[1\] \(acme\/double\): layer 1 \(acme\/double\) has no ONNX mapping/);
    expect(result.stderr).toMatch(/toOnnx/);
    expect(result.stderr).toMatch(/docs\/plugins\.md/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    await expect(readFile(join(cwd, 'run/model/model.onnx'))).rejects.toThrow(/ENOENT/);
  }, 60_000);

  it('an existing output file: exit 5 unless --overwrite', async () => {
    const cwd = await train(
      mnistConfig({ input: '[784]', preprocess: '[{ type: scale, divisor: 255 }]', take: 200, layers: '    - { type: dense, units: 10 }' }),
    );
    await writeFile(join(cwd, 'taken.onnx'), 'keep me');
    const refused = await runCli(['export', 'run', '--format', 'onnx', '--out', 'taken.onnx'], { cwd });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/taken\.onnx already exists; pass --overwrite/);
    expect(await readFile(join(cwd, 'taken.onnx'), 'utf8')).toBe('keep me');
    const replaced = await runCli(['export', 'run', '--format', 'onnx', '--out', 'taken.onnx', '--overwrite'], { cwd });
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(decodeModel(new Uint8Array(await readFile(join(cwd, 'taken.onnx')))).graph.output[0]!.name).toBe('probabilities');
  }, 60_000);

  it.each([
    [['--format', 'tflite'], /--format tflite is not supported; the formats are: onnx/],
    [[], /runner export needs --format onnx/],
    [['--format', 'onnx', '--opset', '5'], /--opset must be an integer from 13 to 21, got 5/],
    [['--format', 'onnx', '--opset', '17.5'], /--opset must be an integer from 13 to 21, got 17\.5/],
  ])('flags %j: usage error, exit 2', async (flags, message) => {
    const cwd = await tempDir('onnx-export-');
    const result = await runCli(['export', 'run', ...flags], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
