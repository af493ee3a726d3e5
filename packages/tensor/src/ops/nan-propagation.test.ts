import { describe, expect, it } from 'vitest';
import type { Backend, ConvWindow, PoolWindow } from '../backend.js';
import { createJsBackend } from '../js-backend.js';
import { createRng } from '../rng.js';
import { type DType, Tensor } from '../tensor.js';
import { testedFlavours } from '../wasm/test-flavours.js';
import { createWasmBackend } from '../wasm-backend.js';
import { randomTensor } from './test-helpers.js';

/**
 * A NaN that reaches an op must come out of it, so a diverging run is caught at the batch where
 * it happens instead of training on quietly. The classic ways to hide one are `x > 0 ? x : 0` for
 * ReLU, a max that skips NaN (wasm f32x4.pmax, or `if (v > best)`), and a softmax that subtracts a
 * row maximum found by such a max. The conformance tests only compare the wasm kernels with the
 * JS reference, which would pass if both hid NaN; these check the values themselves, on both.
 */
const backends: ReadonlyArray<readonly [string, Backend]> = [
  ['js', createJsBackend()],
  ...testedFlavours().map((flavour) => [`wasm ${flavour}`, createWasmBackend({ flavour })] as const),
];

/** Every index of `t` holding NaN. */
function nanIndices(t: Tensor): number[] {
  const found: number[] = [];
  t.data.forEach((v, i) => Number.isNaN(v) && found.push(i));
  return found;
}

/** Uniform values in [-1, 1) with NaN at `at`; 13 values cover a 4-lane body and a tail. */
function withNaN(shape: number[], at: readonly number[], dtype: DType = 'float32', seed = 1): Tensor {
  const t = randomTensor(createRng(seed), shape, dtype);
  for (const i of at) t.data[i] = Number.NaN;
  return t;
}

const LANES = [0, 3, 6, 12];

describe.each(backends)('NaN propagation (%s)', (_name, backend) => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`relu and leaky relu give NaN exactly where the input is NaN (${dtype})`, () => {
      for (const slope of [0, 0.01, 0.25]) {
        const x = withNaN([13], LANES, dtype);
        expect(nanIndices(backend.leakyRelu(x, slope)), `slope ${slope}`).toEqual(LANES);
        // In place too: the kernel may read and write the same memory.
        expect(nanIndices(backend.leakyRelu(x, slope, x)), `slope ${slope}, in place`).toEqual(LANES);
      }
    });

    it(`sigmoid and tanh give NaN exactly where the input is NaN (${dtype})`, () => {
      const x = withNaN([13], LANES, dtype);
      expect(nanIndices(backend.sigmoid(x))).toEqual(LANES);
      expect(nanIndices(backend.tanh(x))).toEqual(LANES);
    });

    it(`softmax and log-softmax turn a row with a NaN into all NaN and leave the other rows alone (${dtype})`, () => {
      // Row 1 has NaN first (where a running maximum starts), row 3 last; rows 0 and 2 are clean.
      const x = withNaN([4, 5], [5, 19], dtype);
      for (const y of [backend.softmaxRows(x), backend.logSoftmaxRows(x)]) {
        expect(nanIndices(y)).toEqual([5, 6, 7, 8, 9, 15, 16, 17, 18, 19]);
      }
      const y = backend.softmaxRows(x);
      for (const row of [0, 2]) {
        const sum = Array.from(y.data.subarray(row * 5, row * 5 + 5)).reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(1, 6);
      }
    });
  }

  it('max and average pooling give NaN for every window that holds a NaN', () => {
    // One 4x4 plane, 2x2 windows with stride 2: NaN at the first cell of window (0, 0) and
    // the last cell of window (1, 1); windows (0, 1) and (1, 0) are clean.
    const x = withNaN([1, 1, 4, 4], [0, 15]);
    const window: PoolWindow = { kernel: [2, 2], stride: [2, 2], padding: [0, 0, 0, 0] };
    expect(nanIndices(backend.maxPool2d(x, window))).toEqual([0, 3]);
    expect(nanIndices(backend.avgPool2d(x, window))).toEqual([0, 3]);
    // A NaN beats +Infinity in a max as well.
    const infinite = Tensor.from([1, 1, 1, 2], [Number.POSITIVE_INFINITY, Number.NaN]);
    expect(nanIndices(backend.maxPool2d(infinite, { kernel: [1, 2], stride: [1, 1], padding: [0, 0, 0, 0] }))).toEqual([0]);
  });

  it('conv2d gives NaN for every output that reads a NaN pixel, even through zero weights', () => {
    // A 5x5 image, 3x3 kernel, no padding: output (i, j) reads pixels (i..i+2, j..j+2). The NaN
    // at pixel (0, 0) reaches only output (0, 0); the one at (4, 4) only output (2, 2).
    const x = withNaN([1, 1, 5, 5], [0, 24]);
    const window: ConvWindow = { kernel: [3, 3], stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1] };
    for (const weight of [randomTensor(createRng(2), [2, 1, 3, 3]), Tensor.zeros([2, 1, 3, 3])]) {
      const y = backend.conv2d(x, weight, undefined, window);
      // Two filters of 3x3 outputs each.
      expect(nanIndices(y)).toEqual([0, 8, 9, 17]);
    }
  });

  it('batch norm statistics and outputs turn a channel with a NaN into all NaN', () => {
    // [n = 2, c = 3, 2x2]: the NaN sits in channel 1 of the second sample.
    const x = withNaN([2, 3, 2, 2], [12 + 4 + 1]);
    const statistics = backend.batchNormStatistics(x);
    expect(nanIndices(statistics.mean)).toEqual([1]);
    expect(nanIndices(statistics.variance)).toEqual([1]);
    const y = backend.batchNorm(x, statistics, Tensor.from([3], [1, 1, 1]), Tensor.from([3], [0, 0, 0]), 1e-5);
    expect(nanIndices(y)).toEqual([4, 5, 6, 7, 16, 17, 18, 19]);
  });
});
