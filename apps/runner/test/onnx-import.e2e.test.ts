// runner import: the PyTorch fixture against torch's outputs, eval/predict/train --init-from on
// imported folders, export -> import giving back the same model, exit 3 for files that cannot be
// read or mapped, and 1,000 seeded mutations of the PyTorch file through the in-process import
// (decode, map, build, serialise).
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AttributeType,
  encodeModel,
  TensorDataType,
  type AttributeProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from '@scratchnet/onnx';
import { isScratchnetError } from '@scratchnet/spec';
import { Tensor } from '@scratchnet/tensor';
import { createNodeBackend } from '@scratchnet/tensor/node';
import { decodeSafetensors, loadModel, predict } from '@scratchnet/train';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../src/builtins.js';
import { importOnnxBytes } from '../src/onnx/import-onnx.js';
import { digitsConfig, parseNdjson, removeTempDirs, requireBuiltCli, runCli, tempDir, writeDigits } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

const FIXTURES = new URL('../../../packages/onnx/fixtures/', import.meta.url);
const LENET_FILE = new URL('pytorch-lenet.onnx', FIXTURES);
const lenetBytes = new Uint8Array(readFileSync(LENET_FILE));
const expected = JSON.parse(readFileSync(new URL('pytorch-lenet.expected.json', FIXTURES), 'utf8')) as {
  /** Base64 of the inputs' 7,840 bytes; each input value is its byte / 256. */
  readonly inputBytes: string;
  readonly outputs: readonly (readonly number[])[];
};

const registry = createBuiltinRegistry();
registry.freeze();
const backend = createNodeBackend('js', { threads: 1 });

// Small ONNX models built by hand.
const attr = (name: string, type: number, value: Partial<AttributeProto>): AttributeProto => ({ name, type, floats: [], ints: [], strings: [], ...value });
const node = (opType: string, input: string[], output: string, attribute: AttributeProto[] = []): NodeProto => ({ opType, input, output: [output], name: output, attribute });
const batched = (name: string, dims: readonly number[]): ValueInfoProto => ({
  name,
  type: { tensorType: { elemType: TensorDataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, ...dims.map((dimValue) => ({ dimValue }))] } } },
});
function floats(name: string, dims: readonly number[], seed: number): TensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  const floatData = Array.from({ length: count }, (_, i) => Math.fround(Math.sin(seed * 1000 + i * 12.9898) * 0.5));
  return { name, dims, dataType: TensorDataType.FLOAT, floatData, int32Data: [], int64Data: [], doubleData: [], externalData: [] };
}
/** x / 16 -> Gemm 64->16 (transB) -> Relu -> Gemm 16->10: the topology of helpers' digitsConfig, with its scale 16. */
function digitsMlp(opType = 'Relu'): ModelProto {
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'test',
    graph: {
      name: 'mlp',
      node: [
        node('Div', ['input', 'sixteen'], 'scaled'),
        node('Gemm', ['scaled', 'w0', 'b0'], 'dense0', [attr('transB', AttributeType.INT, { i: 1 })]),
        node(opType, ['dense0'], 'act'),
        node('Gemm', ['act', 'w1', 'b1'], 'logits', [attr('transB', AttributeType.INT, { i: 1 })]),
      ],
      initializer: [
        { ...floats('sixteen', [], 0), floatData: [16] },
        floats('w0', [16, 64], 1),
        floats('b0', [16], 2),
        floats('w1', [10, 16], 3),
        floats('b1', [10], 4),
      ],
      input: [batched('input', [64])],
      output: [batched('logits', [10])],
      valueInfo: [],
    },
    metadataProps: [],
  };
}

function softmax(row: readonly number[]): number[] {
  const max = Math.max(...row);
  const exps = row.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
const argmax = (row: ArrayLike<number>): number => Array.from(row).reduce((best, v, i, all) => (v > all[best]! ? i : best), 0);

describe('runner import of the PyTorch LeNet (torch.onnx.export)', () => {
  it("gives torch's logits within 1e-5, and its classes, on the fixture's 10 inputs", () => {
    const { model, input } = importOnnxBytes(lenetBytes, 'pytorch-lenet.onnx', registry, backend);
    expect(input).toEqual({ format: 'scratchnet-input', formatVersion: 1, dataset: 'onnx', sampleShape: [1, 28, 28], min: 0, max: 1, binary: false });
    const loaded = loadModel(model.modelJson, model.weights, registry, { backend });
    const images = Float32Array.from(Buffer.from(expected.inputBytes, 'base64'), (byte) => byte / 256);
    const logits = loaded.network.forward(new Tensor([10, 1, 28, 28], images), 'eval').output;
    const probabilities = predict(loaded.network, loaded.loss, images, [1, 28, 28]).probabilities;
    let worst = 0;
    expected.outputs.forEach((row, s) => {
      const p = softmax(row);
      row.forEach((v, c) => {
        worst = Math.max(worst, Math.abs(logits.data[s * 10 + c]! - v), Math.abs(probabilities.data[s * 10 + c]! - p[c]!));
      });
      expect(argmax(logits.data.subarray(s * 10, s * 10 + 10))).toBe(argmax(row));
    });
    expect(worst).toBeLessThan(1e-5);
  });

  it('writes a model folder that predict accepts, and refuses to overwrite it without --overwrite', async () => {
    const cwd = await tempDir();
    const result = await runCli(['import', LENET_FILE.pathname, '--out', 'lenet', '--json'], { cwd });
    expect(result.code).toBe(0);
    const [event] = parseNdjson(result.stdout);
    expect(event).toMatchObject({ event: 'imported', modelDir: 'lenet', input: [1, 28, 28], ending: 'logits', classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] });
    expect((await readdir(join(cwd, 'lenet'))).sort()).toEqual(['input.json', 'model.json', 'weights.safetensors']);
    expect(JSON.parse(await readFile(join(cwd, 'lenet/model.json'), 'utf8'))).toMatchObject({ name: 'pytorch-lenet', loss: { type: 'softmax-cross-entropy' } });

    const png = new pngjs.PNG({ width: 40, height: 60 });
    for (let i = 0; i < 40 * 60; i++) {
      const x = i % 40;
      png.data[4 * i] = png.data[4 * i + 1] = png.data[4 * i + 2] = x >= 17 && x <= 22 ? 20 : 235;
      png.data[4 * i + 3] = 255;
    }
    await writeFile(join(cwd, 'one.png'), pngjs.PNG.sync.write(png));
    const predicted = await runCli(['predict', 'lenet', 'one.png', '--json'], { cwd });
    expect(predicted.code).toBe(0);
    expect(parseNdjson(predicted.stdout)[0]).toMatchObject({ event: 'prediction', file: 'one.png' });

    const again = await runCli(['import', LENET_FILE.pathname, '--out', 'lenet'], { cwd });
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('model folder lenet already exists. Pass --overwrite to replace it');
    expect((await runCli(['import', LENET_FILE.pathname, '--out', 'lenet', '--overwrite'], { cwd })).code).toBe(0);
  });
});

describe('runner import errors: exit 3, naming where, nothing written', () => {
  let cwd = '';
  beforeAll(async () => {
    cwd = await tempDir();
  });

  it('a truncated file', async () => {
    await writeFile(join(cwd, 'cut.onnx'), lenetBytes.subarray(0, 5000));
    const result = await runCli(['import', 'cut.onnx', '--out', 'cut'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: cut\.onnx: byte \d+ \(graph[^)]*\): expected a length of at most \d+ bytes/m);
    expect(result.stderr).not.toContain('    at ');
    expect(existsSync(join(cwd, 'cut'))).toBe(false);
  });

  it('an unsupported operator (Cos), named with its node and the supported list', async () => {
    await writeFile(join(cwd, 'cos.onnx'), encodeModel(digitsMlp('Cos')));
    const result = await runCli(['import', 'cos.onnx', '--out', 'cos'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('error: cos.onnx: node 2 "act" (Cos): expected one of the supported operators (Gemm, MatMul (+ Add: the bias), Conv,');
    expect(result.stderr).toContain('found Cos.');
    expect(existsSync(join(cwd, 'cos'))).toBe(false);
  });

  it('a missing file, and no --out', async () => {
    expect((await runCli(['import', 'none.onnx', '--out', 'x'], { cwd })).stderr).toContain('cannot read none.onnx: no such file');
    const usage = await runCli(['import', 'cos.onnx'], { cwd });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('runner import needs --out MODEL_DIR');
  });
});

describe('an imported MLP with eval and train --init-from', () => {
  let cwd = '';
  beforeAll(async () => {
    cwd = await tempDir();
    await writeDigits(cwd, 200);
    await writeFile(join(cwd, 'mlp.onnx'), encodeModel(digitsMlp()));
    const imported = await runCli(['import', 'mlp.onnx', '--out', 'mlp'], { cwd });
    expect(imported.code).toBe(0);
  });

  it('reads the leading Div as the scale preprocessing that eval applies', async () => {
    const model = JSON.parse(await readFile(join(cwd, 'mlp/model.json'), 'utf8')) as { preprocess: unknown[] };
    expect(model.preprocess).toEqual([{ options: { type: 'scale', divisor: 16 }, state: {} }]);
    expect(JSON.parse(await readFile(join(cwd, 'mlp/input.json'), 'utf8'))).toMatchObject({ sampleShape: [64], min: 0, max: 16 });
    const result = await runCli(['eval', 'mlp', '--data', 'sklearn-digits-json:digits.json', '--json'], { cwd });
    expect(result.code).toBe(0);
  });

  it('fine-tunes from the imported weights: with a learning rate of 1e-30 they come out unchanged', async () => {
    // The schedule wants a learning rate > 0; 1e-30 moves no float32 weight of this size.
    await writeFile(join(cwd, 'x.yaml'), digitsConfig({ train: 150, test: 50, epochs: 1, learningRate: 1e-30 }));
    const result = await runCli(['x.yaml', '--out', 'run', '--init-from', 'mlp'], { cwd });
    expect(result.code).toBe(0);
    const fresh = await runCli(['x.yaml', '--out', 'fresh'], { cwd });
    expect(fresh.code).toBe(0);
    const weightsOf = async (dir: string) => decodeSafetensors(new Uint8Array(await readFile(join(cwd, dir, 'weights.safetensors')))).tensors;
    const [imported, tuned, scratch] = await Promise.all([weightsOf('mlp'), weightsOf('run/model'), weightsOf('fresh/model')]);
    expect([...tuned.keys()]).toEqual([...imported.keys()]);
    for (const [name, tensor] of imported) {
      expect(tuned.get(name)!.data).toEqual(tensor.data);
      if (name.endsWith('weight')) expect(scratch.get(name)!.data).not.toEqual(tensor.data);
    }
  });

  it('refuses a config whose model does not match the folder (exit 2), and --init-from with --resume', async () => {
    await writeFile(join(cwd, 'y.yaml'), digitsConfig({ train: 150, test: 50, epochs: 1 }).replace('units: 16', 'units: 20'));
    const result = await runCli(['y.yaml', '--out', 'run2', '--init-from', 'mlp'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--init-from mlp: the config's model does not match the model folder's (layers.0.weight: the config's model has [64, 20], the model folder [64, 16]");
    expect(existsSync(join(cwd, 'run2'))).toBe(false);
    const both = await runCli(['--resume', 'run', '--init-from', 'mlp'], { cwd });
    expect(both.code).toBe(2);
  });
});

describe('round trip: runner export, then runner import', () => {
  it('gives back the same model: topology, preprocessing, weights bit for bit, the same evaluation', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 200);
    await writeFile(join(cwd, 'x.yaml'), digitsConfig({ train: 150, test: 50, epochs: 1 }));
    expect((await runCli(['x.yaml', '--out', 'run'], { cwd })).code).toBe(0);
    const exported = await runCli(['export', 'run/model', '--format', 'onnx', '--out', 'run.onnx'], { cwd });
    expect(exported.code, exported.stderr).toBe(0);
    const imported = await runCli(['import', 'run.onnx', '--out', 'back'], { cwd });
    expect(imported.code, imported.stderr).toBe(0);

    const read = async (dir: string) => ({
      json: JSON.parse(await readFile(join(cwd, dir, 'model.json'), 'utf8')) as Record<string, unknown>,
      weights: decodeSafetensors(new Uint8Array(await readFile(join(cwd, dir, 'weights.safetensors')))).tensors,
    });
    const [original, back] = await Promise.all([read('run/model'), read('back')]);
    for (const key of ['model', 'outputShape', 'classNames', 'loss', 'parameters']) expect(back.json[key], key).toEqual(original.json[key]);
    expect(back.json['preprocess']).toEqual([{ options: { type: 'scale', divisor: 16 }, state: {} }]);
    expect([...back.weights.keys()]).toEqual([...original.weights.keys()]);
    for (const [name, tensor] of original.weights) expect(back.weights.get(name)!.data, name).toEqual(tensor.data);

    const data = '--data=sklearn-digits-json:digits.json';
    const [before, after] = await Promise.all([runCli(['eval', 'run/model', data, '--json'], { cwd }), runCli(['eval', 'back', data, '--json'], { cwd })]);
    expect(after.code).toBe(0);
    const summary = (stdout: string) => ({ ...parseNdjson(stdout).at(-1), model: undefined });
    expect(summary(after.stdout)).toEqual(summary(before.stdout));
  });
});

/** mulberry32: the fuzz test's own seeded stream. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(bytes: Uint8Array, next: () => number): Uint8Array {
  const at = Math.floor(next() * bytes.length);
  const copy = new Uint8Array(bytes);
  switch (Math.floor(next() * 6)) {
    case 0: // a bit flip
      copy[at] = copy[at]! ^ (1 << Math.floor(next() * 8));
      return copy;
    case 1: // a random byte
      copy[at] = Math.floor(next() * 256);
      return copy;
    case 2: // an inserted byte
      return Uint8Array.from([...bytes.subarray(0, at), Math.floor(next() * 256), ...bytes.subarray(at)]);
    case 3: // a deleted byte
      return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1)]);
    case 4: // a varint written over as 2^32 - 1 (a huge length or dimension)
      return Uint8Array.from([...bytes.subarray(0, at), 0xff, 0xff, 0xff, 0xff, 0x0f, ...bytes.subarray(at + 5)]);
    default: // a truncation
      return bytes.subarray(0, at);
  }
}

describe('fuzz: 1,000 seeded mutations of the PyTorch file', () => {
  it('each imports or fails with a ScratchnetError, never anything else', () => {
    const next = random(16);
    const outcomes = { imported: 0, refused: 0 };
    for (let i = 0; i < 1000; i++) {
      const bytes = mutate(lenetBytes, next);
      try {
        importOnnxBytes(bytes, `mutation-${i}.onnx`, registry, backend);
        outcomes.imported++;
      } catch (error) {
        if (!isScratchnetError(error)) throw new Error(`mutation ${i}: ${(error as Error).stack}`);
        expect(error.code).toBe('MODEL_FORMAT');
        expect(error.message.startsWith(`mutation-${i}.onnx: `)).toBe(true);
        outcomes.refused++;
      }
    }
    expect(outcomes.imported + outcomes.refused).toBe(1000);
    expect(outcomes.refused).toBeGreaterThan(100);
  });
});
