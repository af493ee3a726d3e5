import { afterAll, describe, expect, it } from 'vitest';
import type { Backend, ConvWindow } from '../backend.js';
import { createJsBackend } from '../js-backend.js';
import { randomTensor } from '../ops/test-helpers.js';
import { createRng } from '../rng.js';
import type { Tensor } from '../tensor.js';
import { createWasmBackend } from '../wasm-backend.js';
import { testedFlavours } from './test-flavours.js';
import { createThreadedWasmBackend } from './threads.node.js';

/**
 * Conformance of the wasm conv kernels against the JS reference. Tolerance: |got − ref| ≤
 * 2e-5·(1 + Σ|terms|) per value, where Σ|terms| bounds the sum's magnitude: the reference adds
 * in float64 and rounds once; the wasm GEMM adds c·kh·kw products (forward), f products (input
 * gradient) or n·oh·ow products (weight gradient) in float32 in its own blocking order.
 * Across thread counts the wasm results must be identical bit for bit.
 */
const js = createJsBackend();

interface Case {
  readonly label: string;
  readonly input: readonly [number, number, number, number];
  readonly filters: number;
  readonly window: ConvWindow;
}

const window = (kernel: [number, number], stride: [number, number], padding: [number, number, number, number], dilation: [number, number]): ConvWindow =>
  ({ kernel, stride, padding, dilation });

const CASES: readonly Case[] = [
  { label: '1x1, 5 channels', input: [3, 5, 6, 7], filters: 3, window: window([1, 1], [1, 1], [0, 0, 0, 0], [1, 1]) },
  { label: '1x1 stride 2', input: [2, 3, 7, 7], filters: 4, window: window([1, 1], [2, 2], [0, 0, 0, 0], [1, 1]) },
  { label: 'lenet conv1 (pad 2)', input: [4, 1, 28, 28], filters: 6, window: window([5, 5], [1, 1], [2, 2, 2, 2], [1, 1]) },
  { label: 'lenet conv2', input: [5, 6, 14, 14], filters: 16, window: window([5, 5], [1, 1], [0, 0, 0, 0], [1, 1]) },
  { label: 'odd sizes, stride 2, asymmetric padding', input: [3, 3, 9, 8], filters: 5, window: window([3, 2], [2, 2], [1, 0, 1, 1], [1, 1]) },
  { label: 'dilation 2, 7 channels', input: [2, 7, 11, 10], filters: 9, window: window([3, 3], [1, 2], [2, 1, 2, 1], [2, 2]) },
  { label: 'kernel as large as the padded input', input: [2, 2, 4, 5], filters: 3, window: window([6, 5], [1, 1], [1, 0, 1, 0], [1, 1]) },
  { label: 'one sample, many filters', input: [1, 3, 6, 6], filters: 33, window: window([3, 3], [1, 1], [1, 1, 1, 1], [1, 1]) },
];

function outputSide(size: number, k: number, s: number, before: number, after: number, d: number): number {
  return Math.floor((size + before + after - d * (k - 1) - 1) / s) + 1;
}

function expectClose(got: Tensor, expected: Tensor, bound: number, label: string): void {
  expect(got.shape, label).toEqual(expected.shape);
  for (let i = 0; i < expected.size; i++) {
    const diff = Math.abs(got.data[i]! - expected.data[i]!);
    if (!(diff <= 2e-5 * (1 + bound))) expect.fail(`${label} index ${i}: got ${got.data[i]}, reference ${expected.data[i]}`);
  }
}

/** Forward, input gradient, weight and bias gradients of one case on one backend. */
function run(backend: Backend, c: Case, seed: number): Tensor[] {
  const rng = createRng(seed);
  const [n, ch, h, w] = c.input;
  const { kernel, stride, padding, dilation } = c.window;
  const oh = outputSide(h, kernel[0], stride[0], padding[0], padding[2], dilation[0]);
  const ow = outputSide(w, kernel[1], stride[1], padding[1], padding[3], dilation[1]);
  const x = randomTensor(rng, [n, ch, h, w]);
  const weight = randomTensor(rng, [c.filters, ch, ...kernel]);
  const bias = randomTensor(rng, [c.filters]);
  const dy = randomTensor(rng, [n, c.filters, oh, ow]);
  const y = backend.conv2d(x, weight, bias, c.window);
  const dx = backend.conv2dBackwardInput(dy, weight, [ch, h, w], c.window);
  const dw = backend.zeros(weight.shape);
  const db = backend.zeros([c.filters]);
  backend.conv2dBackwardWeight(x, dy, c.window, dw, db);
  return [y, dx, dw, db];
}

describe.each(testedFlavours())('wasm conv kernels (%s) vs the JS reference', (flavour) => {
  const wasm = createWasmBackend({ flavour });
  it.each(CASES)('$label', (c) => {
    const [n, ch] = c.input;
    const taps = ch * c.window.kernel[0] * c.window.kernel[1];
    const expected = run(js, c, 7);
    const got = run(wasm, c, 7);
    // Inputs and weights are in [-1, 1): a sum of t products is at most t in magnitude.
    const bounds = [taps + 1, c.filters * taps, n * 28 * 28, n * 28 * 28];
    ['y', 'dx', 'dw', 'db'].forEach((name, i) => expectClose(got[i]!, expected[i]!, bounds[i]!, `${c.label}: ${name}`));
  });
});

describe('wasm conv kernels on worker threads', () => {
  const threaded = [2, 3].map((threads) => createThreadedWasmBackend({ threads }));
  afterAll(async () => {
    await Promise.all(threaded.map((b) => b.dispose()));
  });

  it.each(CASES)('give the same bits on 1, 2 and 3 threads: $label', (c) => {
    const one = run(createWasmBackend({ sharedMemory: true }), c, 11);
    for (const backend of threaded) {
      const many = run(backend, c, 11);
      many.forEach((t, i) => expect(Array.from(t.data), `${backend.threads} threads, output ${i}`).toEqual(Array.from(one[i]!.data)));
    }
  });
});
