import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import { createJsBackend } from '../js-backend.js';
import type { PoolWindow } from '../ops/pool.js';
import { randomTensor } from '../ops/test-helpers.js';
import { type Rng, createRng } from '../rng.js';
import { type Shape, Tensor, formatShape } from '../tensor.js';
import { createWasmBackend } from '../wasm-backend.js';
import { testedFlavours } from './test-flavours.js';
import { type ThreadedWasmBackend, createThreadedWasmBackend } from './threads.node.js';

/**
 * Conformance of the wasm pool and norm kernels against the JS reference, on random shapes (odd
 * sizes, strides 1 to 3, padding, channels not a multiple of 4), with operands copied in or
 * living in wasm memory at an odd (unaligned) offset.
 *
 * Tolerances:
 * - pooling: none. The wasm kernels do the reference's operations in its order (f32 max, f64
 *   sums rounded once, gradients added into dx output by output), so every value must be
 *   identical (Object.is, which ignores NaN payloads), including ties, NaN, ±0 and ±Infinity.
 * - batch norm on [n, features] (s = 1): none, for the same reason.
 * - batch norm on images (s > 1): the wasm kernels add each channel's sums in four partial sums
 *   per plane (f64) where the reference adds one value at a time, so statistics and gradients
 *   may differ in the last float32 bit: |wasm − js| <= 1e-6·(1 + |js|) on data of magnitude ~1.
 *   y given the same statistics uses the reference's operations, so it must be identical.
 */
const js = createJsBackend();

type Place = 'plain' | 'unaligned';

/** A copy of `t` in `backend`'s memory at an odd float offset (resident where memory is shared). */
function put(backend: Backend, t: Tensor, place: Place): Tensor {
  if (place === 'plain') return t.clone();
  const data = backend.zeros([t.size + 4]).data.subarray(3, 3 + t.size);
  data.set(t.data);
  return new Tensor(t.shape, data);
}

function expectIdentical(got: Tensor, expected: Tensor, label: string): void {
  expect(got.size, label).toBe(expected.size);
  for (let i = 0; i < expected.size; i++) {
    if (!Object.is(got.data[i], expected.data[i])) {
      expect.fail(`${label} index ${i}: got ${got.data[i]}, reference ${expected.data[i]}`);
    }
  }
}

function expectWithin(got: Tensor, expected: Tensor, label: string): void {
  expect(got.size, label).toBe(expected.size);
  for (let i = 0; i < expected.size; i++) {
    const a = got.data[i]!;
    const b = expected.data[i]!;
    if (!(Math.abs(a - b) <= 1e-6 * (1 + Math.abs(b)))) expect.fail(`${label} index ${i}: got ${a}, reference ${b} (tolerance 1e-6·(1 + |js|))`);
  }
}

/** Values with ties (a small set of integers), specials, or uniform ones. */
function poolValues(rng: Rng, shape: Shape, flavour: number): Tensor {
  const t = randomTensor(rng, shape);
  if (flavour === 1) for (let i = 0; i < t.size; i++) t.data[i] = rng.int(5) - 2;
  if (flavour === 2) {
    const specials = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3e38, -1e-40];
    for (let i = 0; i < t.size; i += 7) t.data[i] = specials[rng.int(specials.length)]!;
  }
  return t;
}

interface PoolCase {
  readonly shape: readonly [number, number, number, number];
  readonly window: PoolWindow;
}

const poolCase = (
  shape: readonly [number, number, number, number],
  kernel: readonly [number, number],
  stride: readonly [number, number] = kernel,
  padding: readonly [number, number, number, number] = [0, 0, 0, 0],
): PoolCase => ({ shape, window: { kernel, stride, padding } });

/** Shapes every build must get right: the layers' usual windows, vector/scalar boundaries, global pooling. */
const fixedPoolCases: readonly PoolCase[] = [
  poolCase([2, 3, 28, 28], [2, 2]),
  poolCase([1, 5, 13, 17], [3, 3], [1, 1], [1, 1, 1, 1]),
  poolCase([2, 4, 15, 15], [3, 3], [2, 2]),
  poolCase([2, 3, 16, 19], [2, 2], [2, 2], [0, 0, 1, 1]),
  poolCase([1, 2, 9, 33], [2, 3], [1, 2], [1, 2, 1, 0]),
  poolCase([3, 7, 7, 7], [7, 7]),
  poolCase([1, 1, 1, 40], [1, 2], [1, 2]),
  poolCase([1, 2, 6, 12], [2, 2], [1, 1], [1, 1, 0, 0]),
  poolCase([2, 1, 4, 11], [3, 1], [3, 1]),
];

/** A random valid pooling: odd sizes, kernels 1-4, strides 1-3, padding below the kernel. */
function randomPoolCase(rng: Rng): PoolCase {
  for (;;) {
    const kh = 1 + rng.int(4);
    const kw = 1 + rng.int(4);
    const shape = [1 + rng.int(3), 1 + rng.int(6), 1 + rng.int(12), 1 + rng.int(24)] as const;
    const padding = [rng.int(kh), rng.int(kw), rng.int(kh), rng.int(kw)] as const;
    const c = poolCase(shape, [kh, kw], [1 + rng.int(3), 1 + rng.int(3)], padding);
    if (shape[2] + padding[0] + padding[2] >= kh && shape[3] + padding[1] + padding[3] >= kw) return c;
  }
}

/** Runs all four pool kernels on `wasm` and the reference and expects identical results. */
function poolConforms(wasm: Backend, { shape, window }: PoolCase, rng: Rng, place: Place): void {
  const label = `${formatShape(shape)} ${JSON.stringify(window)} ${place}`;
  const x = poolValues(rng, shape, rng.int(3));
  const y = js.maxPool2d(x, window);
  expectIdentical(wasm.maxPool2d(put(wasm, x, place), window), y, `maxPool2d ${label}`);
  const dy = poolValues(rng, y.shape, rng.int(2) * 2);
  expectIdentical(wasm.maxPool2dBackward(put(wasm, x, place), put(wasm, dy, place), window), js.maxPool2dBackward(x, dy, window), `maxPool2dBackward ${label}`);
  expectIdentical(wasm.avgPool2d(put(wasm, x, place), window), js.avgPool2d(x, window), `avgPool2d ${label}`);
  const perSample = shape.slice(1);
  expectIdentical(
    wasm.avgPool2dBackward(put(wasm, dy, place), perSample, window),
    js.avgPool2dBackward(dy, perSample, window),
    `avgPool2dBackward ${label}`,
  );
}

/** [n, c, ...] shapes for batch norm: s = 1 with c around the 4-lane blocks, and images with s around 4. */
const normShapes: readonly Shape[] = [
  [5, 1], [3, 3], [4, 4], [7, 5], [2, 9], [64, 30], [1, 13],
  [2, 3, 2, 2], [4, 5, 1, 3], [3, 2, 3, 3], [2, 7, 5, 5], [8, 16, 7, 7], [1, 4, 17], [3, 6, 1, 1],
];

function normConforms(wasm: Backend, shape: Shape, rng: Rng, place: Place): void {
  const label = `${formatShape(shape)} ${place}`;
  const c = shape[1]!;
  const exact = shape.slice(2).every((d) => d === 1);
  const compare = exact ? expectIdentical : expectWithin;
  const x = randomTensor(rng, shape);
  // Channel offsets and scales, so each channel has its own statistics.
  for (let i = 0; i < x.size; i++) x.data[i] = x.data[i]! * (1 + (i % 5)) + (i % c) - 2;
  const dy = randomTensor(rng, shape);
  const gamma = randomTensor(rng, [c]);
  const beta = randomTensor(rng, [c]);
  const at = (t: Tensor) => put(wasm, t, place);

  const stats = js.batchNormStatistics(x);
  const got = wasm.batchNormStatistics(at(x));
  compare(got.mean, stats.mean, `batchNormStatistics mean ${label}`);
  compare(got.variance, stats.variance, `batchNormStatistics variance ${label}`);
  // From here on both sides get the reference's statistics, so each kernel is compared alone.
  const wasmStats = { mean: at(stats.mean), variance: at(stats.variance) };
  for (const epsilon of [1e-5, 0.1]) {
    expectIdentical(wasm.batchNorm(at(x), wasmStats, at(gamma), at(beta), epsilon), js.batchNorm(x, stats, gamma, beta, epsilon), `batchNorm ${label}`);
    for (const batchStatistics of [true, false]) {
      const what = `batchNormBackward ${label} batchStatistics ${batchStatistics} epsilon ${epsilon}`;
      const grads = () => [Tensor.zeros([c]), Tensor.zeros([c])] as const;
      const [jsGamma, jsBeta] = grads();
      const [wasmGamma, wasmBeta] = grads();
      const expected = js.batchNormBackward(x, dy, stats, gamma, epsilon, jsGamma, jsBeta, { batchStatistics })!;
      const dx = wasm.batchNormBackward(at(x), at(dy), wasmStats, at(gamma), epsilon, wasmGamma, wasmBeta, { batchStatistics })!;
      compare(dx, expected, `${what}: dx`);
      compare(wasmGamma, jsGamma, `${what}: dgamma`);
      compare(wasmBeta, jsBeta, `${what}: dbeta`);
      const [onlyGamma, onlyBeta] = grads();
      const skipped = wasm.batchNormBackward(at(x), at(dy), wasmStats, at(gamma), epsilon, onlyGamma, onlyBeta, { batchStatistics, inputGradient: false });
      expect(skipped).toBeUndefined();
      expectIdentical(onlyGamma, wasmGamma, `${what}: dgamma without dx`);
      expectIdentical(onlyBeta, wasmBeta, `${what}: dbeta without dx`);
    }
  }
}

describe.each(testedFlavours())('wasm pool and norm kernels (%s) vs the JS reference', (flavour) => {
  const wasm = createWasmBackend({ flavour });

  it('pooling: fixed shapes, copied and unaligned in wasm memory, identical results', () => {
    const rng = createRng(1);
    for (const place of ['plain', 'unaligned'] as const) for (const c of fixedPoolCases) poolConforms(wasm, c, rng, place);
  });

  it('pooling: 150 random shapes, windows, strides and paddings, identical results', () => {
    const rng = createRng(2);
    for (let i = 0; i < 150; i++) poolConforms(wasm, randomPoolCase(rng), rng, i % 2 === 0 ? 'plain' : 'unaligned');
  });

  it('batch norm: statistics, normalisation and both backward modes on features and images', () => {
    const rng = createRng(3);
    for (const place of ['plain', 'unaligned'] as const) for (const shape of normShapes) normConforms(wasm, shape, rng, place);
  });

  it('batch norm: dx may be dy itself, and y may be x', () => {
    const rng = createRng(4);
    for (const shape of [[6, 5], [3, 5, 3, 3]] as const) {
      const x = randomTensor(rng, shape);
      const dy = randomTensor(rng, shape);
      const gamma = randomTensor(rng, [5]);
      const beta = randomTensor(rng, [5]);
      const stats = js.batchNormStatistics(x);
      const y = x.clone();
      expectIdentical(wasm.batchNorm(y, stats, gamma, beta, 1e-5, y), js.batchNorm(x, stats, gamma, beta, 1e-5), 'batchNorm in place');
      const inPlace = dy.clone();
      const grads = [Tensor.zeros([5]), Tensor.zeros([5])] as const;
      const expected = wasm.batchNormBackward(x, dy, stats, gamma, 1e-5, Tensor.zeros([5]), Tensor.zeros([5]), { batchStatistics: true })!;
      wasm.batchNormBackward(x, inPlace, stats, gamma, 1e-5, ...grads, { batchStatistics: true }, inPlace);
      expectIdentical(inPlace, expected, 'batchNormBackward into dy');
    }
  });

  it('uses the reference kernels for float64 tensors, with identical results', () => {
    const rng = createRng(5);
    const x = randomTensor(rng, [2, 3, 9, 9], 'float64');
    const win: PoolWindow = { kernel: [3, 3], stride: [2, 2], padding: [1, 1, 1, 1] };
    expectIdentical(wasm.maxPool2d(x, win), js.maxPool2d(x, win), 'maxPool2d float64');
    expectIdentical(wasm.avgPool2d(x, win), js.avgPool2d(x, win), 'avgPool2d float64');
    const dy = randomTensor(rng, [2, 3, 5, 5], 'float64');
    expectIdentical(wasm.maxPool2dBackward(x, dy, win), js.maxPool2dBackward(x, dy, win), 'maxPool2dBackward float64');
    expectIdentical(wasm.avgPool2dBackward(dy, [3, 9, 9], win), js.avgPool2dBackward(dy, [3, 9, 9], win), 'avgPool2dBackward float64');
    const stats = wasm.batchNormStatistics(x);
    expectIdentical(stats.variance, js.batchNormStatistics(x).variance, 'batchNormStatistics float64');
    const gamma = randomTensor(rng, [3], 'float64');
    expectIdentical(wasm.batchNorm(x, stats, gamma, gamma, 1e-5), js.batchNorm(x, stats, gamma, gamma, 1e-5), 'batchNorm float64');
  });
});

describe('wasm pool kernels split across threads', () => {
  const backends: ThreadedWasmBackend[] = [];
  afterAll(async () => {
    await Promise.all(backends.map((b) => b.dispose()));
  });

  it('give results identical to the reference when large inputs are split by planes', () => {
    const threaded = createThreadedWasmBackend({ threads: 2, flavour: 'simd' });
    backends.push(threaded);
    const rng = createRng(6);
    // 4·17·64·64 = 278528 input cells: above the split threshold (2^18), an odd number of planes.
    for (const c of [poolCase([4, 17, 64, 64], [2, 2]), poolCase([4, 17, 64, 64], [3, 3], [2, 2], [1, 1, 1, 1])]) {
      poolConforms(threaded, c, rng, 'plain');
      poolConforms(threaded, c, rng, 'unaligned');
    }
  });
});
