// Bad data files through the built CLI: each must end in one clear message naming the file and
// what was wrong, the right exit code, no stack trace, and nothing written (no run folder, so no
// model, checkpoint or report).
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsConfig, removeTempDirs, requireBuiltCli, runCli, tempDir, writeDigits, type CliResult } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

/** An idx file: unsigned-byte magic for its rank, big-endian dims, then the values. */
function idxBytes(dims: readonly number[], values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + values.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x800 + dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  bytes.set(Array.from(values), 4 + 4 * dims.length);
  return bytes;
}

/** `count` images of rows x cols (pixel k of image i is (i * 7 + k) % 256) and labels i % 10. */
function idxPair(count: number, rows: number, cols: number): { images: Uint8Array; labels: Uint8Array } {
  const size = rows * cols;
  return {
    images: idxBytes([count, rows, cols], Array.from({ length: count * size }, (_, k) => (Math.floor(k / size) * 7 + (k % size)) % 256)),
    labels: idxBytes([count], Array.from({ length: count }, (_, i) => i % 10)),
  };
}

/** A one-epoch experiment on an idx pair; model.input is on line 7. */
function idxConfig(options: { images?: string; labels?: string; input?: string; layers?: string } = {}): string {
  return `name: idx-errors
seed: 7
data:
  train: { type: idx, images: ${options.images ?? 'img.idx'}, labels: ${options.labels ?? 'lab.idx'} }
  preprocess: [{ type: scale, divisor: 255 }]
model:
  input: ${options.input ?? '[64]'}
  layers:
${options.layers ?? '    - { type: dense, units: 10 }'}
loss: softmax-cross-entropy
optimiser: sgd
schedule: { type: fixed, learningRate: 0.1 }
training: { epochs: 1, batchSize: 8 }
`;
}

/** Writes `files` into a fresh folder; returns it. */
async function folderWith(files: Record<string, string | Uint8Array>): Promise<string> {
  const cwd = await tempDir();
  for (const [name, content] of Object.entries(files)) await writeFile(join(cwd, name), content);
  return cwd;
}

/** One error message, no stack trace, and the folder holds exactly what the test wrote. */
async function expectCleanFailure(result: CliResult, cwd: string, files: readonly string[], code: number): Promise<void> {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toContain('internal error');
  expect(result.stdout).toBe('');
  expect((await readdir(cwd)).sort()).toEqual([...files].sort());
}

describe('truncated and mismatched idx files exit 3, naming the file, and write nothing', () => {
  const pair = idxPair(40, 8, 8);
  const expectedBytes = 16 + 40 * 8 * 8;

  it('an images file cut by exactly 1 byte', async () => {
    const files = { 'img.idx': pair.images.subarray(0, expectedBytes - 1), 'lab.idx': pair.labels, 'x.yaml': idxConfig() };
    const cwd = await folderWith(files);
    const result = await runCli(['x.yaml'], { cwd });
    await expectCleanFailure(result, cwd, Object.keys(files), 3);
    expect(result.stderr).toContain(`img.idx (byte ${expectedBytes - 1}): expected ${expectedBytes} bytes (16-byte header + 40 images of 8x8), found ${expectedBytes - 1} bytes.`);
    expect(result.stderr).toContain('truncated after 39 complete images');
  });

  it('an images file cut by exactly 1 record (one 8x8 image)', async () => {
    const files = { 'img.idx': pair.images.subarray(0, expectedBytes - 64), 'lab.idx': pair.labels, 'x.yaml': idxConfig() };
    const cwd = await folderWith(files);
    const result = await runCli(['x.yaml', '--out', 'run'], { cwd });
    await expectCleanFailure(result, cwd, Object.keys(files), 3);
    expect(result.stderr).toContain(`img.idx (byte ${expectedBytes - 64}): expected ${expectedBytes} bytes (16-byte header + 40 images of 8x8), found ${expectedBytes - 64} bytes.`);
  });

  it('a labels file given as the images file: expected magic 0x00000803, found 0x00000801', async () => {
    // Only the images slot is wrong, so the message cannot depend on which file is read first.
    const files = { 'lab.idx': pair.labels, 'x.yaml': idxConfig({ images: 'lab.idx', labels: 'lab.idx' }) };
    const cwd = await folderWith(files);
    const result = await runCli(['x.yaml'], { cwd });
    await expectCleanFailure(result, cwd, Object.keys(files), 3);
    expect(result.stderr).toMatch(/lab\.idx \(byte 0\): expected magic 0x00000803 \(idx3 unsigned-byte images\), found 0x00000801\. .*swap the images and labels files/);
  });

  it('an images file gzip-compressed twice: the gzip hint and the magic expected inside', async () => {
    const files = { 'img.idx.gz': gzipSync(gzipSync(pair.images)), 'lab.idx': pair.labels, 'x.yaml': idxConfig({ images: 'img.idx.gz' }) };
    const cwd = await folderWith(files);
    const result = await runCli(['x.yaml'], { cwd });
    await expectCleanFailure(result, cwd, Object.keys(files), 3);
    expect(result.stderr).toMatch(/img\.idx\.gz \(byte 0\): expected magic 0x00000803 .* after decompressing the gzip data, found 0x1f8b08[0-9a-f]{2} \(the gzip signature 1f 8b\)/);
    expect(result.stderr).toContain('looks gzip-compressed twice');
  });
});

describe('data whose samples do not fit model.input exits 2 at model.input, quoting both shapes', () => {
  it('32x32 images for model.input [784]', async () => {
    const pair = idxPair(20, 32, 32);
    const files = { 'img.idx': pair.images, 'lab.idx': pair.labels, 'x.yaml': idxConfig({ input: '[784]' }) };
    const cwd = await folderWith(files);
    const result = await runCli(['x.yaml'], { cwd });
    await expectCleanFailure(result, cwd, Object.keys(files), 2);
    expect(result.stderr).toMatch(
      /x\.yaml:7:\d+ model\.input: is \[784\] \(784 values per sample\) but the training data \(idx .*img\.idx \+ .*lab\.idx\) has samples of \[1, 32, 32\] \(1024 values\) after preprocessing\. Set model\.input to \[1, 32, 32\] or \[1024\]\./,
    );
  });

  it('28x32 images for model.input [1, 32, 28]: same size, different layout', async () => {
    const pair = idxPair(20, 28, 32);
    const layers = '    - flatten\n    - { type: dense, units: 10 }';
    const files = { 'img.idx': pair.images, 'lab.idx': pair.labels, 'x.yaml': idxConfig({ input: '[1, 32, 28]', layers }) };
    const cwd = await folderWith(files);
    const result = await runCli(['x.yaml'], { cwd });
    await expectCleanFailure(result, cwd, Object.keys(files), 2);
    expect(result.stderr).toMatch(
      /x\.yaml:7:\d+ model\.input: is \[1, 32, 28\] but the training data \(idx .*\) has samples of \[1, 28, 32\] after preprocessing: the same 896 values, laid out as 28x32 instead of 32x28\. Set model\.input to \[1, 28, 32\] or \[896\]\./,
    );
  });
});

describe('empty and missing data files exit 3 with a plain message', () => {
  it('a 0-byte JSON or idx file is reported as empty, by name', async () => {
    const json = { 'digits.json': '', 'x.yaml': digitsConfig() };
    const cwd = await folderWith(json);
    const result = await runCli(['x.yaml'], { cwd });
    await expectCleanFailure(result, cwd, Object.keys(json), 3);
    expect(result.stderr).toMatch(/digits\.json:1:1: expected a JSON object in the layout of load_digits\(\), found 0 bytes \(the file is empty\)/);

    const pair = idxPair(10, 8, 8);
    const idx = { 'img.idx': new Uint8Array(0), 'lab.idx': pair.labels, 'x.yaml': idxConfig() };
    const idxDir = await folderWith(idx);
    const idxResult = await runCli(['x.yaml'], { cwd: idxDir });
    await expectCleanFailure(idxResult, idxDir, Object.keys(idx), 3);
    expect(idxResult.stderr).toMatch(/img\.idx \(byte 0\): expected an idx3 unsigned-byte images file, found 0 bytes \(the file is empty\)/);
  });

  it('a missing file is "not found" with the full path it looked at', async () => {
    const files = { 'x.yaml': digitsConfig({ file: 'nowhere/digits.json' }) };
    const cwd = await folderWith(files);
    const result = await runCli(['x.yaml'], { cwd });
    await expectCleanFailure(result, cwd, Object.keys(files), 3);
    expect(result.stderr).toContain(`nowhere/digits.json: expected an existing file or folder, found nothing (not found: ${join(cwd, 'nowhere/digits.json')})`);
  });

  it('a missing file a plugin reads by itself (Node ENOENT) is "not found" too', async () => {
    const config = digitsConfig()
      .replace(/ {2}train: .*\n/, '  train: { type: acme/own-files }\n')
      .replace(/ {2}test: .*\n/, '');
    const files = { 'acme.mjs': ACME_PLUGIN, 'x.yaml': `plugins: [./acme.mjs]\n${config}` };
    const cwd = await folderWith(files);
    const result = await runCli(['x.yaml'], { cwd });
    await expectCleanFailure(result, cwd, Object.keys(files), 3);
    expect(result.stderr).toContain(`data.train (acme/own-files): not found: ${join(cwd, 'no-such-file.bin')}.`);
  });
});

/** A plugin package with a dataset that holds one NaN pixel and a preprocessing step that takes logs. */
const ACME_PLUGIN = `import { readFile } from 'node:fs/promises';
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const noOptions = { type: 'object', properties: {}, additionalProperties: false };
export default {
  meta: { name: 'acme-data', version: '1.0.0', namespace: 'acme' },
  datasets: [{
    kind: 'dataset', type: 'own-files', specVersion: 1, description: 'reads a file itself, without the data source', optionsSchema: noOptions,
    async load() {
      await readFile(new URL('./no-such-file.bin', import.meta.url));
      throw new Error('unreachable');
    },
  }, {
    kind: 'dataset', type: 'nan', specVersion: 1, description: '40 samples of 8x8, one NaN pixel', optionsSchema: noOptions,
    async load() {
      const images = new Float32Array(40 * 64).fill(1);
      images[17 * 64 + 9] = NaN;
      return { images, labels: Uint8Array.from({ length: 40 }, (_, i) => i % 10), sampleShape: [1, 8, 8], count: 40, classNames: DIGITS, source: 'the acme generator' };
    },
  }],
  preprocessors: [{
    kind: 'preprocess', type: 'log', specVersion: 1, description: 'natural logarithm of every pixel', optionsSchema: noOptions,
    create() {
      return {
        outputShape: (shape) => shape,
        fit: () => ({}),
        apply(images) { for (let i = 0; i < images.length; i++) images[i] = Math.log(images[i]); return images; },
      };
    },
  }],
};
`;

describe('non-finite values in the data are refused at load time (exit 3), naming the sample', () => {
  it('a dataset plugin that returns a NaN pixel', async () => {
    const config = digitsConfig()
      .replace(/ {2}train: .*\n/, '  train: { type: acme/nan }\n')
      .replace(/ {2}test: .*\n/, '');
    const files = { 'acme.mjs': ACME_PLUGIN, 'x.yaml': `plugins: [./acme.mjs]\n${config}` };
    const cwd = await folderWith(files);
    const result = await runCli(['x.yaml'], { cwd });
    await expectCleanFailure(result, cwd, Object.keys(files), 3);
    expect(result.stderr).toContain(
      'data.train (type acme/nan, from the acme generator): expected finite pixel values, found NaN at sample 17, pixel 9 of [1, 8, 8] (channel 0, row 1, col 1, counting from 0)',
    );
  });

  it('a preprocessing step that turns finite pixels into -Infinity', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 400);
    const config = digitsConfig().replace(/ {2}preprocess: .*\n/, '  preprocess: [{ type: acme/log }]\n');
    await writeFile(join(cwd, 'acme.mjs'), ACME_PLUGIN);
    await writeFile(join(cwd, 'x.yaml'), `plugins: [./acme.mjs]\n${config}`);
    const result = await runCli(['x.yaml'], { cwd });
    await expectCleanFailure(result, cwd, ['acme.mjs', 'digits.json', 'x.yaml'], 3);
    expect(result.stderr).toMatch(/data\.preprocess\[0\] \(acme\/log\) turned finite training data into -Infinity at sample \d+, pixel \d+ of \[1, 8, 8\]/);
  });
});
