// Synthetic but plausible run data for the tests: an MNIST-sized run (28x28 digits, 30 epochs,
// 100 misclassified samples, 64 first-layer units) built from a seeded generator, so every test
// sees the same report.
import type { EpochMetrics, GreyImage, PredictedSample, RunReport, TestResults } from './report-data.js';

/** A small seeded generator (mulberry32): tests must not depend on Math.random. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Seven-segment strokes per digit: a, b, c, d, e, f, g (top, upper right, lower right, bottom,
// lower left, upper left, middle).
const SEGMENTS = ['abcdef', 'bc', 'abged', 'abgcd', 'fgbc', 'afgcd', 'afgedc', 'abc', 'abcdefg', 'abcdfg'];

/** A 28x28 digit drawn as thick, soft seven-segment strokes with a little jitter; 0 = black. */
export function digitImage(digit: number, random: () => number): GreyImage {
  const size = 28;
  const pixels = new Float32Array(size * size);
  const dx = (random() - 0.5) * 4;
  const dy = (random() - 0.5) * 4;
  const slant = (random() - 0.5) * 0.3;
  const [l, r, t, m, b] = [9 + dx, 19 + dx, 5 + dy, 14 + dy, 23 + dy];
  const lines: Record<string, [number, number, number, number]> = {
    a: [l, t, r, t],
    b: [r, t, r, m],
    c: [r, m, r, b],
    d: [l, b, r, b],
    e: [l, m, l, b],
    f: [l, t, l, m],
    g: [l, m, r, m],
  };
  for (const segment of SEGMENTS[digit % 10]!) {
    const [x0, y0, x1, y1] = lines[segment]!;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const sx = x + (y - 14) * slant;
        const d = distanceToSegment(sx, y, x0, y0, x1, y1);
        pixels[y * size + x] = Math.max(pixels[y * size + x]!, Math.max(0, Math.min(1, 2.2 - d)));
      }
    }
  }
  return { width: size, height: size, pixels, range: [0, 1] };
}

function distanceToSegment(px: number, py: number, x0: number, y0: number, x1: number, y1: number): number {
  const vx = x1 - x0;
  const vy = y1 - y0;
  const t = Math.max(0, Math.min(1, ((px - x0) * vx + (py - y0) * vy) / (vx * vx + vy * vy || 1)));
  return Math.hypot(px - (x0 + t * vx), py - (y0 + t * vy));
}

/** Smooth positive and negative blobs, like a dense layer's weights seen as an image. */
export function weightImage(random: () => number, size = 28): GreyImage {
  const pixels = new Float32Array(size * size);
  for (let blob = 0; blob < 3; blob++) {
    const cx = 6 + random() * 16;
    const cy = 6 + random() * 16;
    const sign = random() < 0.5 ? -1 : 1;
    const spread = 8 + random() * 20;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) pixels[y * size + x]! += sign * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / spread);
    }
  }
  for (let i = 0; i < pixels.length; i++) pixels[i]! += (random() - 0.5) * 0.2;
  return { width: size, height: size, pixels, range: [-1.2, 1.2] };
}

export function syntheticEpochs(count: number, options: { validation?: boolean; plannedEpochs?: number } = {}): EpochMetrics[] {
  const planned = options.plannedEpochs ?? count;
  return Array.from({ length: count }, (_, i) => {
    const epoch = i + 1;
    const trainLoss = 0.03 + 0.5 * Math.exp(-epoch / 5);
    const train = { loss: trainLoss, accuracy: 1 - trainLoss / 3 };
    // Validation stops improving after epoch 18, so the best epoch is not the last one.
    const gap = epoch <= 18 ? 0.01 : 0.01 + (epoch - 18) * 0.004;
    const validation = { loss: trainLoss + gap, accuracy: Math.min(0.99, 1 - (trainLoss + gap) / 3.2) };
    return {
      epoch,
      epochs: planned,
      train,
      ...(options.validation === false ? {} : { validation }),
      learningRate: 0.1 * 0.5 ** Math.floor(i / 4),
      samplesPerSecond: 41_000 + ((i * 37) % 900),
      seconds: 1.4 + ((i * 13) % 7) / 100,
    };
  });
}

export function syntheticTest(random: () => number, misclassifiedCount = 100): TestResults {
  const classNames = Array.from({ length: 10 }, (_, i) => String(i));
  const confusion = classNames.map((_, r) => classNames.map((__, c) => (r === c ? 950 + Math.floor(random() * 180) : random() < 0.5 ? Math.floor(random() * 14) : 0)));
  const sample = (label: number, predicted: number, index: number): PredictedSample => ({
    index,
    image: digitImage(random() < 0.5 ? label : predicted, random),
    label: String(label),
    predicted: String(predicted),
    confidence: 0.5 + random() * 0.5,
  });
  const misclassified = Array.from({ length: misclassifiedCount }, (_, i) => sample(i % 10, (i * 7 + 3) % 10, 17 + i * 97))
    .filter((s) => s.label !== s.predicted)
    .sort((a, b) => b.confidence - a.confidence);
  const confidentCorrect = Array.from({ length: 20 }, (_, i) => ({ ...sample(i % 10, i % 10, 5 + i * 131), confidence: 0.9999 - i * 0.00001 }));
  const count = confusion.flat().reduce((a, v) => a + v, 0);
  const right = confusion.reduce((sum, row, i) => sum + row[i]!, 0);
  return { loss: 0.071, accuracy: right / count, count, classNames, confusion, misclassified, confidentCorrect };
}

/** An MNIST-sized completed run; `overrides` replace whole fields. */
export function syntheticReport(overrides: Partial<RunReport> = {}): RunReport {
  const random = seeded(12);
  const epochs = syntheticEpochs(30);
  return {
    name: 'mnist-relu-softmax',
    status: 'completed',
    runDir: 'runs/mnist-relu-softmax-2024-05-01T10-00-00',
    configYaml: 'name: mnist-relu-softmax\nseed: 7\nmodel:\n  input: [784]\n  layers:\n    - { type: dense, units: 64 }\n    - relu\n    - { type: dense, units: 10 }\ntraining: { epochs: 30, batchSize: 64 }\n',
    seed: 7,
    createdAt: '2024-05-01T10:00:00Z',
    versions: { node: '20.19.0', '@scratchnet/train': '0.4.0', '@scratchnet/tensor': '0.4.0' },
    machine: { platform: 'linux', arch: 'x64', cpus: 8, cpuModel: 'Example CPU @ 3.0GHz' },
    backend: 'wasm-simd',
    threads: 4,
    epochs,
    plannedEpochs: 30,
    totalSeconds: 44.5,
    samplesPerSecond: 41_250,
    inputShape: [784],
    layers: [
      { index: 0, type: 'dense', outputShape: [64], parameters: 50_240 },
      { index: 1, type: 'relu', outputShape: [64], parameters: 0 },
      { index: 2, type: 'dense', outputShape: [10], parameters: 650 },
    ],
    test: syntheticTest(random),
    firstLayer: {
      layer: 'dense (layer 0)',
      caption: 'The first 64 of 64 units: each unit’s 784 input weights as a 28×28 image (black: negative, white: positive).',
      images: Array.from({ length: 64 }, () => weightImage(random)),
    },
    ...overrides,
  };
}
