import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import { createJsBackend } from '../js-backend.js';
import { createRng } from '../rng.js';
import { type DType, Tensor } from '../tensor.js';
import { createWasmBackend } from '../wasm-backend.js';
import { type ConvWindow, convOutputSize } from './conv.js';
import { expectClose, randomTensor } from './test-helpers.js';

/**
 * The conv family against the textbook sum (forward) and the adjoint identities (backward):
 *   <conv(x, w), dy> = <x, conv2dBackwardInput(dy, w)> = <w, conv2dBackwardWeight(x, dy)>
 * which hold exactly in real arithmetic, so float64 results agree to rounding. Every case runs on
 * the JS backend and on the wasm backend (its conv kernels, or the reference where it has none).
 */

interface Case {
  readonly label: string;
  /** x [n, c, h, w]. */
  readonly x: readonly [number, number, number, number];
  readonly filters: number;
  readonly window: ConvWindow;
}

function window(
  kernel: readonly [number, number],
  stride: readonly [number, number] = [1, 1],
  padding: readonly [number, number, number, number] = [0, 0, 0, 0],
  dilation: readonly [number, number] = [1, 1],
): ConvWindow {
  return { kernel, stride, padding, dilation };
}

const CASES: readonly Case[] = [
  { label: '3x3 valid', x: [2, 3, 5, 5], filters: 4, window: window([3, 3]) },
  { label: '1x1 kernel, 5 channels', x: [2, 5, 4, 6], filters: 3, window: window([1, 1]) },
  { label: 'odd sizes, stride 2, padding 1', x: [1, 3, 7, 9], filters: 2, window: window([3, 2], [2, 2], [1, 1, 1, 1]) },
  { label: 'asymmetric padding, stride [2, 1]', x: [2, 3, 6, 5], filters: 3, window: window([3, 3], [2, 1], [0, 1, 2, 1]) },
  { label: 'dilation 2', x: [2, 3, 9, 8], filters: 2, window: window([3, 3], [1, 1], [2, 2, 2, 2], [2, 2]) },
  { label: '5 channels, mixed everything', x: [1, 5, 7, 10], filters: 5, window: window([2, 3], [1, 2], [1, 0, 0, 2], [2, 1]) },
  { label: 'stride larger than the kernel', x: [2, 3, 8, 7], filters: 2, window: window([2, 2], [3, 3]) },
  { label: 'outputs that only see padding', x: [1, 2, 3, 3], filters: 2, window: window([2, 2], [1, 1], [3, 2, 3, 2]) },
  { label: 'kernel as large as the input', x: [3, 2, 4, 5], filters: 3, window: window([4, 5]) },
];

/** y[b, o, i, j] = bias[o] + Σ_{ch, p, q} x[b, ch, i·sh − pt + p·dh, j·sw − pl + q·dw] · w[o, ch, p, q], zeros outside x. */
function naiveConv(x: Tensor, w: Tensor, bias: Tensor | undefined, win: ConvWindow): { shape: number[]; values: number[] } {
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [f, , kh, kw] = w.shape as [number, number, number, number];
  const [sh, sw] = win.stride;
  const [pt, pl, pb, pr] = win.padding;
  const [dh, dw] = win.dilation;
  const oh = convOutputSize(h, kh, sh, pt, pb, dh);
  const ow = convOutputSize(wd, kw, sw, pl, pr, dw);
  const values: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < f; o++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let total = bias === undefined ? 0 : bias.data[o]!;
          for (let ch = 0; ch < c; ch++) {
            for (let p = 0; p < kh; p++) {
              for (let q = 0; q < kw; q++) {
                const r = i * sh - pt + p * dh;
                const s = j * sw - pl + q * dw;
                if (r < 0 || r >= h || s < 0 || s >= wd) continue;
                total += x.data[((b * c + ch) * h + r) * wd + s]! * w.data[((o * c + ch) * kh + p) * kw + q]!;
              }
            }
          }
          values.push(total);
        }
      }
    }
  }
  return { shape: [n, f, oh, ow], values };
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i]! * b[i]!;
  return total;
};

/** |a - b| small against the sum of the magnitudes of the terms that made them. */
function expectSameSum(a: number, b: number, scale: number, label: string): void {
  expect(Math.abs(a - b), `${label}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-12 * scale);
}

function operands(c: Case, seed: number, dtype: DType) {
  const rng = createRng(seed);
  const [n, ch] = c.x;
  const [kh, kw] = c.window.kernel;
  const x = randomTensor(rng, c.x, dtype);
  const w = randomTensor(rng, [c.filters, ch, kh, kw], dtype);
  const bias = randomTensor(rng, [c.filters], dtype);
  const reference = naiveConv(x, w, bias, c.window);
  const dy = randomTensor(rng, reference.shape, dtype);
  return { n, x, w, bias, reference, dy };
}

const BACKENDS: ReadonlyArray<readonly [string, Backend]> = [
  ['js', createJsBackend()],
  ['wasm', createWasmBackend()],
];

describe.each(BACKENDS)('conv family (%s backend)', (_name, backend) => {
  for (const c of CASES) {
    it(`conv2d matches the direct sum: ${c.label} (float64 and float32)`, () => {
      for (const seed of [1, 2]) {
        const { x, w, bias, reference } = operands(c, seed, 'float64');
        const y = backend.conv2d(x, w, bias, c.window);
        expect(y.shape).toEqual(reference.shape);
        expect(y.dtype).toBe('float64');
        expectClose(y.data, reference.values, 1e-13);
        const noBias = backend.conv2d(x, w, undefined, c.window);
        expectClose(noBias.data, naiveConv(x, w, undefined, c.window).values, 1e-13);
        // float32 operands: the float64 result of the same (float32-representable) values, rounded.
        const y32 = backend.conv2d(x.to('float32'), w.to('float32'), bias.to('float32'), c.window);
        expect(y32.dtype).toBe('float32');
        expectClose(y32.data, reference.values, 1e-5);
      }
    });

    it(`backward kernels are the adjoints of conv2d: ${c.label}`, () => {
      for (const seed of [3, 4]) {
        const { x, w, dy } = operands(c, seed, 'float64');
        const y = naiveConv(x, w, undefined, c.window).values;
        const dx = backend.conv2dBackwardInput(dy, w, x.shape.slice(1), c.window);
        expect(dx.shape).toEqual(x.shape);
        const weightGrad = Tensor.from(w.shape, new Array<number>(w.size).fill(Number.NaN), 'float64');
        const biasGrad = Tensor.from([c.filters], new Array<number>(c.filters).fill(Number.NaN), 'float64');
        backend.conv2dBackwardWeight(x, dy, c.window, weightGrad, biasGrad);
        const scale = y.reduce((t, v, i) => t + Math.abs(v * dy.data[i]!), 0) + 1;
        const forward = dot(y, dy.data);
        expectSameSum(dot(x.data, dx.data), forward, scale, '<x, dx>');
        expectSameSum(dot(w.data, weightGrad.data), forward, scale, '<w, dw>');
        const [n, f, oh, ow] = dy.shape as [number, number, number, number];
        const sums = Array.from({ length: f }, (_, o) => {
          let total = 0;
          for (let b = 0; b < n; b++) for (let k = 0; k < oh * ow; k++) total += dy.data[(b * f + o) * oh * ow + k]!;
          return total;
        });
        expectClose(biasGrad.data, sums, 1e-13);
        // float32: close to the float64 results, and dw alone (no bias gradient) is the same dw.
        const dx32 = backend.conv2dBackwardInput(dy.to('float32'), w.to('float32'), x.shape.slice(1), c.window);
        expectClose(dx32.data, dx.data, 1e-5);
        const dw32 = Tensor.zeros(w.shape, 'float32');
        backend.conv2dBackwardWeight(x.to('float32'), dy.to('float32'), c.window, dw32);
        expectClose(dw32.data, weightGrad.data, 1e-5);
      }
    });
  }

  it('gives each backward kernel the gradient a finite difference measures', () => {
    const c = CASES[4]!;
    const { x, w, dy } = operands(c, 7, 'float64');
    const loss = (xs: Tensor, ws: Tensor) => dot(backend.conv2d(xs, ws, undefined, c.window).data, dy.data);
    const dx = backend.conv2dBackwardInput(dy, w, x.shape.slice(1), c.window);
    const dw = Tensor.zeros(w.shape, 'float64');
    backend.conv2dBackwardWeight(x, dy, c.window, dw);
    const eps = 1e-6;
    for (const [t, grad] of [[x, dx], [w, dw]] as const) {
      for (const index of [0, 7, Math.floor(t.size / 2), t.size - 1]) {
        const saved = t.data[index]!;
        t.data[index] = saved + eps;
        const up = loss(x, w);
        t.data[index] = saved - eps;
        const down = loss(x, w);
        t.data[index] = saved;
        expect(grad.data[index]).toBeCloseTo((up - down) / (2 * eps), 7);
      }
    }
  });

  it('writes into out and the gradient tensors, overwriting what they held', () => {
    const c = CASES[2]!;
    const { x, w, bias, reference, dy } = operands(c, 5, 'float64');
    const out = Tensor.from([reference.values.length], new Array<number>(reference.values.length).fill(99), 'float64');
    expect(backend.conv2d(x, w, bias, c.window, out)).toBe(out); // a flat out of the right size is fine
    expectClose(out.data, reference.values, 1e-13);
    const dxOut = Tensor.from(x.shape, new Array<number>(x.size).fill(Number.NaN), 'float64');
    expect(backend.conv2dBackwardInput(dy, w, x.shape.slice(1), c.window, dxOut)).toBe(dxOut);
    expectClose(dxOut.data, backend.conv2dBackwardInput(dy, w, x.shape.slice(1), c.window).data, 0);
  });

  it('handles an empty batch', () => {
    const x = Tensor.zeros([0, 2, 4, 4]);
    const w = Tensor.zeros([3, 2, 3, 3]);
    const win = window([3, 3]);
    expect(backend.conv2d(x, w, undefined, win).shape).toEqual([0, 3, 2, 2]);
    expect(backend.conv2dBackwardInput(Tensor.zeros([0, 3, 2, 2]), w, [2, 4, 4], win).shape).toEqual([0, 2, 4, 4]);
    const dw = Tensor.from(w.shape, new Array<number>(w.size).fill(1));
    backend.conv2dBackwardWeight(x, Tensor.zeros([0, 3, 2, 2]), win, dw);
    expect([...dw.data].every((v) => v === 0)).toBe(true);
  });
});

describe('convOutputSize', () => {
  it('is floor((size + padding − dilation·(kernel − 1) − 1) / stride) + 1', () => {
    expect(convOutputSize(28, 5, 1, 0, 0, 1)).toBe(24);
    expect(convOutputSize(28, 3, 1, 1, 1, 1)).toBe(28);
    expect(convOutputSize(7, 3, 2, 1, 1, 1)).toBe(4);
    expect(convOutputSize(8, 3, 2, 0, 0, 1)).toBe(3);
    expect(convOutputSize(9, 3, 1, 0, 0, 2)).toBe(5);
    expect(convOutputSize(4, 5, 1, 0, 0, 1)).toBe(0);
  });
});

describe('conv argument checks', () => {
  const backend = createJsBackend();
  const win = window([3, 3]);
  const x = Tensor.zeros([2, 3, 5, 5]);
  const w = Tensor.zeros([4, 3, 3, 3]);
  const dy = Tensor.zeros([2, 4, 3, 3]);
  const grads = () => ({ weightGrad: Tensor.zeros([4, 3, 3, 3]), biasGrad: Tensor.zeros([4]) });

  it('rejects tensors of the wrong rank or with sizes that disagree', () => {
    expect(() => backend.conv2d(Tensor.zeros([2, 75]), w, undefined, win)).toThrow(
      new RangeError('conv2d: x is [2, 75]; expected a 4-D [n, channels, height, width] tensor'),
    );
    expect(() => backend.conv2d(x, Tensor.zeros([4, 27]), undefined, win)).toThrow(
      new RangeError('conv2d: weight is [4, 27]; expected a 4-D [filters, channels, kh, kw] tensor'),
    );
    expect(() => backend.conv2d(x, Tensor.zeros([4, 2, 3, 3]), undefined, win)).toThrow(
      new RangeError('conv2d: weight is [4, 2, 3, 3] but the input has 3 channels and window.kernel is [3, 3]; expected weight [4, 3, 3, 3]'),
    );
    expect(() => backend.conv2d(x, w, undefined, window([3, 2]))).toThrow(/conv2d: weight is \[4, 3, 3, 3\] .* window.kernel is \[3, 2\]/);
    expect(() => backend.conv2d(x, w, Tensor.zeros([3]), win)).toThrow(
      new RangeError('conv2d: bias is [3] but weight is [4, 3, 3, 3]; expected bias [4]'),
    );
    expect(() => backend.conv2dBackwardInput(Tensor.zeros([2, 4, 3, 2]), w, [3, 5, 5], win)).toThrow(
      new RangeError("conv2dBackwardInput: dy is [2, 4, 3, 2] but the convolution's output is [2, 4, 3, 3]"),
    );
    expect(() => backend.conv2dBackwardInput(dy, w, [3, 5], win)).toThrow(
      new RangeError('conv2dBackwardInput: inputShape is [3, 5]; expected [channels, height, width] of integers >= 1'),
    );
    expect(() => backend.conv2dBackwardInput(dy, w, [2, 5, 5], win)).toThrow(/conv2dBackwardInput: weight is \[4, 3, 3, 3\] but the input has 2 channels/);
    const { weightGrad, biasGrad } = grads();
    expect(() => backend.conv2dBackwardWeight(x, Tensor.zeros([3, 4, 3, 3]), win, weightGrad, biasGrad)).toThrow(
      new RangeError("conv2dBackwardWeight: dy is [3, 4, 3, 3] but the convolution's output is [2, 4, 3, 3]"),
    );
    expect(() => backend.conv2dBackwardWeight(x, dy, win, Tensor.zeros([4, 3, 3]), biasGrad)).toThrow(
      new RangeError('conv2dBackwardWeight: weightGrad is [4, 3, 3] float32 but the result is [4, 3, 3, 3] float32; pass a tensor of that size and dtype'),
    );
    expect(() => backend.conv2dBackwardWeight(x, dy, win, weightGrad, Tensor.zeros([5]))).toThrow(
      /conv2dBackwardWeight: biasGrad is \[5\] float32 but the result is \[4\] float32/,
    );
  });

  it('rejects invalid windows and windows larger than the padded input', () => {
    expect(() => backend.conv2d(x, w, undefined, window([3, 3], [0, 1]))).toThrow(
      new RangeError('conv2d: window.stride is [0, 1]; expected 2 integers >= 1'),
    );
    expect(() => backend.conv2d(x, w, undefined, window([3, 3], [1, 1], [0, -1, 0, 0]))).toThrow(
      new RangeError('conv2d: window.padding is [0, -1, 0, 0]; expected 4 integers >= 0 ([top, left, bottom, right])'),
    );
    expect(() => backend.conv2d(x, w, undefined, window([3, 3], [1, 1], [0, 0, 0, 0], [1, 1.5]))).toThrow(/conv2d: window.dilation is \[1, 1.5\]/);
    expect(() => backend.conv2d(x, w, undefined, { ...win, padding: [1, 1] } as unknown as ConvWindow)).toThrow(/window.padding is \[1, 1\]; expected 4/);
    expect(() => backend.conv2dBackwardWeight(x, dy, window([0, 3]), grads().weightGrad)).toThrow(/conv2dBackwardWeight: window.kernel is \[0, 3\]/);
    expect(() => backend.conv2d(Tensor.zeros([1, 3, 2, 5]), w, undefined, win)).toThrow(
      new RangeError(
        'conv2d: the kernel [3, 3] (dilation [1, 1], padding [0, 0, 0, 0]) spans [3, 3], more than the padded input [2, 5] ' +
          'of x [1, 3, 2, 5]; use a smaller kernel or dilation, or more padding',
      ),
    );
    expect(() => backend.conv2d(x, w, undefined, window([3, 3], [1, 1], [0, 0, 0, 0], [3, 1]))).toThrow(/spans \[7, 3\], more than the padded input \[5, 5\]/);
    expect(backend.conv2d(Tensor.zeros([1, 3, 2, 5]), w, undefined, window([3, 3], [1, 1], [1, 0, 0, 0])).shape).toEqual([1, 4, 1, 3]);
  });

  it('rejects mixed dtypes, a wrong out and aliasing', () => {
    expect(() => backend.conv2d(x, w.to('float64'), undefined, win)).toThrow(
      /conv2d: x is \[2, 3, 5, 5\] float32 but weight is \[4, 3, 3, 3\] float64; all operands must share a dtype/,
    );
    expect(() => backend.conv2d(x, w, Tensor.zeros([4], 'float64'), win)).toThrow(/conv2d: x is .* but bias is \[4\] float64/);
    expect(() => backend.conv2dBackwardInput(dy.to('float64'), w, [3, 5, 5], win)).toThrow(/conv2dBackwardInput: dy is .* float64 but weight/);
    expect(() => backend.conv2dBackwardWeight(x, dy, win, Tensor.zeros([4, 3, 3, 3], 'float64'))).toThrow(
      /conv2dBackwardWeight: weightGrad is \[4, 3, 3, 3\] float64 but the result is \[4, 3, 3, 3\] float32/,
    );
    expect(() => backend.conv2d(x, w, undefined, win, Tensor.zeros([2, 4, 3, 2]))).toThrow(
      /conv2d: out is \[2, 4, 3, 2\] \(48 values\) but the result is \[2, 4, 3, 3\] \(72 values\)/,
    );
    expect(() => backend.conv2dBackwardInput(dy, w, [3, 5, 5], win, Tensor.zeros([2, 3, 5, 5], 'float64'))).toThrow(
      /conv2dBackwardInput: out is float64 but the operands are float32/,
    );
    const shared = Tensor.zeros([200]);
    const xView = new Tensor([1, 3, 5, 5], shared.data.subarray(0, 75));
    expect(() => backend.conv2d(xView, w, undefined, win, new Tensor([1, 4, 3, 3], shared.data.subarray(50, 86)))).toThrow(
      /conv2d: out overlaps x; out must not share memory with x/,
    );
    const dyView = new Tensor([2, 4, 3, 3], shared.data.subarray(0, 72));
    expect(() => backend.conv2dBackwardInput(dyView, w, [3, 5, 5], win, new Tensor([2, 3, 5, 5], shared.data.subarray(0, 150)))).toThrow(
      /conv2dBackwardInput: out overlaps dy/,
    );
    const both = Tensor.zeros([112]);
    const weightGrad = new Tensor([4, 3, 3, 3], both.data.subarray(0, 108));
    expect(() => backend.conv2dBackwardWeight(x, dy, win, weightGrad, new Tensor([4], both.data.subarray(104, 108)))).toThrow(
      /conv2dBackwardWeight: biasGrad overlaps weightGrad/,
    );
    expect(() => backend.conv2dBackwardWeight(x, dy, win, new Tensor([4, 3, 3, 3], x.data.subarray(0, 108)))).toThrow(
      /conv2dBackwardWeight: weightGrad overlaps x/,
    );
  });
});
