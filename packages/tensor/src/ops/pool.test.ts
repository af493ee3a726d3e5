import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../js-backend.js';
import { createRng } from '../rng.js';
import { type DType, Tensor } from '../tensor.js';
import type { PoolWindow } from './pool.js';
import { expectClose, randomTensor } from './test-helpers.js';

const backend = createJsBackend();

const window = (
  kernel: readonly [number, number],
  stride: readonly [number, number] = kernel,
  padding: readonly [number, number, number, number] = [0, 0, 0, 0],
): PoolWindow => ({ kernel, stride, padding });

interface Naive {
  readonly y: number[];
  /** Per output: plane-relative indices of its window cells inside the image, row-major. */
  readonly cells: number[][];
}

/**
 * Pooling by the definition: every window position (p, q) of the kh×kw kernel at
 * (i·sh − pt + p, j·sw − pl + q), skipped when outside the image.
 */
function naivePool(x: Tensor, { kernel: [kh, kw], stride: [sh, sw], padding: [pt, pl, pb, pr] }: PoolWindow, kind: 'max' | 'avg'): Naive {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const oh = Math.floor((h + pt + pb - kh) / sh) + 1;
  const ow = Math.floor((w + pl + pr - kw) / sw) + 1;
  const y: number[] = [];
  const cells: number[][] = [];
  for (let plane = 0; plane < n * c; plane++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const inside: number[] = [];
        for (let p = 0; p < kh; p++) {
          for (let q = 0; q < kw; q++) {
            const r = i * sh - pt + p;
            const col = j * sw - pl + q;
            if (r >= 0 && r < h && col >= 0 && col < w) inside.push(r * w + col);
          }
        }
        const values = inside.map((at) => x.data[plane * h * w + at]!);
        y.push(kind === 'max' ? Math.max(...values) : values.reduce((a, b) => a + b, 0) / values.length);
        cells.push(inside);
      }
    }
  }
  return { y, cells };
}

/** dx by the definition: max routes dy to the first cell holding the maximum; avg shares it. */
function naiveBackward(x: Tensor, dy: Tensor, win: PoolWindow, kind: 'max' | 'avg'): number[] {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const { cells } = naivePool(x, win, kind);
  const perPlane = cells.length / (n * c);
  const dx = new Array<number>(x.size).fill(0);
  cells.forEach((inside, o) => {
    const base = Math.floor(o / perPlane) * h * w;
    if (kind === 'avg') {
      for (const at of inside) dx[base + at]! += dy.data[o]! / inside.length;
      return;
    }
    const values = inside.map((at) => x.data[base + at]!);
    const best = Math.max(...values);
    const first = Number.isNaN(best) ? values.findIndex(Number.isNaN) : values.indexOf(best);
    dx[base + inside[first]!]! += dy.data[o]!;
  });
  return dx;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((t, v, i) => t + v * b[i]!, 0);

/** [input shape, window]: odd sizes, stride 2, overlapping windows, asymmetric padding, channels not a multiple of 4. */
const cases: ReadonlyArray<readonly [readonly [number, number, number, number], PoolWindow]> = [
  [[2, 3, 4, 4], window([2, 2])],
  [[1, 5, 7, 9], window([2, 2])],
  [[2, 3, 7, 7], window([3, 3], [2, 2])],
  [[1, 2, 5, 6], window([3, 3], [1, 1], [1, 1, 1, 1])],
  [[3, 1, 9, 13], window([3, 2], [2, 1], [1, 0, 2, 1])],
  [[1, 3, 6, 5], window([2, 3], [2, 2], [0, 1, 1, 1])],
  [[2, 2, 1, 11], window([1, 3], [1, 3], [0, 2, 0, 2])],
  [[1, 1, 8, 8], window([8, 8])],
  [[2, 7, 3, 3], window([3, 3], [3, 3], [1, 1, 1, 1])],
];

describe('maxPool2d and avgPool2d', () => {
  it('pool a hand-checked 4×4 plane with 2×2 windows, stride 2', () => {
    const x = Tensor.from([1, 1, 4, 4], [1, 2, 5, 0, 3, 4, -1, -2, 0, 0, 7, 8, -1, -5, 9, 6], 'float64');
    const max = backend.maxPool2d(x, window([2, 2]));
    expect(max.shape).toEqual([1, 1, 2, 2]);
    expect([...max.data]).toEqual([4, 5, 0, 9]);
    expect([...backend.avgPool2d(x, window([2, 2])).data]).toEqual([2.5, 0.5, -1.5, 7.5]);
    const dy = Tensor.from([1, 1, 2, 2], [1, 2, 3, 4], 'float64');
    // max: to 4 (row 1 col 1), 5 (row 0 col 2), the first 0 of the lower-left window (row 2 col 0), 9
    expect([...backend.maxPool2dBackward(x, dy, window([2, 2])).data]).toEqual([0, 0, 2, 0, 0, 1, 0, 0, 3, 0, 0, 0, 0, 0, 4, 0]);
    expect([...backend.avgPool2dBackward(dy, [1, 4, 4], window([2, 2])).data]).toEqual(
      [0.25, 0.25, 0.5, 0.5, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1, 1, 0.75, 0.75, 1, 1],
    );
  });

  for (const dtype of ['float64', 'float32'] as DType[]) {
    it(`match the definition on odd sizes, strides 1-3 and padding (${dtype})`, () => {
      const rng = createRng(7);
      const tolerance = dtype === 'float64' ? 1e-14 : 1e-6;
      for (const [shape, win] of cases) {
        const x = randomTensor(rng, shape, dtype);
        for (const kind of ['max', 'avg'] as const) {
          const naive = naivePool(x, win, kind);
          const y = kind === 'max' ? backend.maxPool2d(x, win) : backend.avgPool2d(x, win);
          expect(y.dtype).toBe(dtype);
          expect(y.size).toBe(naive.y.length);
          expectClose(y.data, naive.y, tolerance);
          const dy = randomTensor(rng, y.shape, dtype);
          const dx = kind === 'max' ? backend.maxPool2dBackward(x, dy, win) : backend.avgPool2dBackward(dy, shape.slice(1), win);
          expect(dx.shape).toEqual(shape);
          expectClose(dx.data, naiveBackward(x, dy, win, kind), tolerance);
          // The backward is the adjoint of the (locally linear) forward: Σ y·dy = Σ x·dx.
          expect(Math.abs(dot(y.data, dy.data) - dot(x.data, dx.data))).toBeLessThan(dtype === 'float64' ? 1e-12 : 1e-4);
        }
      }
    });
  }

  it('ignore padding cells: they never win a max and never count in an average', () => {
    const negative = Tensor.from([1, 1, 3, 3], [-9, -8, -7, -6, -5, -4, -3, -2, -1], 'float64');
    const same = window([3, 3], [1, 1], [1, 1, 1, 1]);
    expect([...backend.maxPool2d(negative, same).data]).toEqual([-5, -4, -4, -2, -1, -1, -2, -1, -1]);
    const ones = Tensor.from([1, 1, 3, 3], new Array<number>(9).fill(1), 'float64');
    expect([...backend.avgPool2d(ones, same).data]).toEqual(new Array<number>(9).fill(1));
    // The corner window holds 4 image cells: each gets a quarter of its gradient.
    const dy = Tensor.from([1, 1, 3, 3], [1, 0, 0, 0, 0, 0, 0, 0, 0], 'float64');
    expect([...backend.avgPool2dBackward(dy, [1, 3, 3], same).data]).toEqual([0.25, 0.25, 0, 0.25, 0.25, 0, 0, 0, 0]);
  });

  it('max: the first of tied maxima gets the gradient, NaN wins and propagates, +0 beats -0', () => {
    const x = Tensor.from([1, 1, 2, 4], [3, 3, 0, Number.NaN, 3, 3, -0, 0], 'float32');
    const y = backend.maxPool2d(x, window([2, 2]));
    expect(y.data[0]).toBe(3);
    expect(Number.isNaN(y.data[1])).toBe(true);
    const dx = backend.maxPool2dBackward(x, Tensor.from([1, 1, 1, 2], [1, 2]), window([2, 2]));
    expect([...dx.data]).toEqual([1, 0, 0, 2, 0, 0, 0, 0]);
    const zeros = backend.maxPool2d(Tensor.from([1, 1, 1, 2], [-0, 0]), window([1, 2]));
    expect(Object.is(zeros.data[0], 0)).toBe(true);
  });

  it('sum gradients of overlapping windows into shared cells', () => {
    // Windows [0, 1] and [1, 2] of one row share cell 1, the maximum of both.
    const x = Tensor.from([1, 1, 1, 3], [0, 5, 1], 'float64');
    const win = window([1, 2], [1, 1]);
    expect([...backend.maxPool2dBackward(x, Tensor.from([1, 1, 1, 2], [1, 2], 'float64'), win).data]).toEqual([0, 3, 0]);
    expect([...backend.avgPool2dBackward(Tensor.from([1, 1, 1, 2], [1, 2], 'float64'), [1, 1, 3], win).data]).toEqual([0.5, 1.5, 1]);
  });

  it('write into out when given and overwrite whatever it held', () => {
    const rng = createRng(3);
    const x = randomTensor(rng, [2, 3, 5, 5]);
    const win = window([2, 2], [2, 2], [0, 0, 1, 1]);
    const out = Tensor.from([2, 3, 3, 3], new Array<number>(54).fill(99));
    expect(backend.maxPool2d(x, win, out)).toBe(out);
    expect([...out.data]).toEqual([...backend.maxPool2d(x, win).data]);
    const dy = randomTensor(rng, [2, 3, 3, 3]);
    const dx = Tensor.from([2, 3, 5, 5], new Array<number>(150).fill(99));
    expect(backend.maxPool2dBackward(x, dy, win, dx)).toBe(dx);
    expect([...dx.data]).toEqual([...backend.maxPool2dBackward(x, dy, win).data]);
    dx.data.fill(99);
    expect(backend.avgPool2dBackward(dy, [3, 5, 5], win, dx)).toBe(dx);
    expect([...dx.data]).toEqual([...backend.avgPool2dBackward(dy, [3, 5, 5], win).data]);
  });

  it('accept dy of any shape with one value per output (a global pool passes [n, c])', () => {
    const x = randomTensor(createRng(4), [2, 3, 4, 4], 'float64');
    const dy = randomTensor(createRng(5), [2, 3], 'float64');
    const dx = backend.avgPool2dBackward(dy, [3, 4, 4], window([4, 4]));
    expect(dx.shape).toEqual([2, 3, 4, 4]);
    expect(dx.data[17]).toBeCloseTo(dy.data[1]! / 16, 15);
    expect(backend.maxPool2dBackward(x, dy, window([4, 4])).shape).toEqual([2, 3, 4, 4]);
  });

  it('reject bad shapes, windows, outputs and operands with messages that say what to fix', () => {
    const x = Tensor.zeros([1, 2, 4, 4]);
    const ok = window([2, 2]);
    expect(() => backend.maxPool2d(Tensor.zeros([2, 16]), ok)).toThrow(
      new RangeError(
        'maxPool2d: x is [2, 16]; expected a 4-D NCHW tensor [n, c, h, w] (reshape [n, features] data to [n, channels, height, width] first)',
      ),
    );
    expect(() => backend.avgPool2d(x, window([0, 2]))).toThrow(/avgPool2d: window.kernel is \[0,2\]; expected \[kh, kw\], integers >= 1/);
    expect(() => backend.maxPool2d(x, window([2, 2], [2, 0]))).toThrow(/window.stride is \[2,0\]; expected \[sh, sw\], integers >= 1/);
    expect(() => backend.maxPool2d(x, window([2, 2], [2, 2], [0, -1, 0, 0]))).toThrow(
      /window.padding is \[0,-1,0,0\]; expected \[top, left, bottom, right\], integers >= 0/,
    );
    expect(() => backend.maxPool2d(x, window([2, 2], [2, 2], [0, 0, 2, 0]))).toThrow(
      'maxPool2d: window.padding [0, 0, 2, 0] (top, left, bottom, right) reaches a whole window of [2, 2] into the padding; ' +
        'every side must be smaller than the window on its axis (a window of padding alone has nothing to pool)',
    );
    expect(() => backend.avgPool2d(x, window([5, 2]))).toThrow(
      'avgPool2d: x is [1, 2, 4, 4] but the window [5, 2] with padding [0, 0, 0, 0] does not fit in its 4×4 planes (output 0×2); ' +
        'use a smaller window or more padding',
    );
    expect(() => backend.maxPool2d(x, ok, Tensor.zeros([1, 2, 3, 3]))).toThrow(/maxPool2d: out is \[1, 2, 3, 3\] \(18 values\) but the result is \[1, 2, 2, 2\]/);
    expect(() => backend.maxPool2d(x, ok, Tensor.zeros([1, 2, 2, 2], 'float64'))).toThrow(/maxPool2d: out is float64 but the operands are float32/);
    expect(() => backend.avgPool2d(x, ok, new Tensor([1, 2, 2, 2], x.data.subarray(0, 8)))).toThrow(/avgPool2d: out overlaps x/);
    expect(() => backend.maxPool2dBackward(x, Tensor.zeros([1, 2, 3, 3]), ok)).toThrow(
      'maxPool2dBackward: dy is [1, 2, 3, 3] float32 (18 values) but the pooled output is [1, 2, 2, 2] (8 values); pass the gradient of this pooling\'s output',
    );
    expect(() => backend.maxPool2dBackward(x, Tensor.zeros([1, 2, 2, 2], 'float64'), ok)).toThrow(/maxPool2dBackward: x is \[1, 2, 4, 4\] float32 but dy is \[1, 2, 2, 2\] float64/);
    expect(() => backend.avgPool2dBackward(Tensor.zeros([1, 2, 2, 2]), [2, 16], ok)).toThrow(
      'avgPool2dBackward: inputShape is [2, 16]; expected the per-sample input shape [c, h, w]',
    );
    const dy = Tensor.zeros([1, 2, 2, 2]);
    expect(() => backend.maxPool2dBackward(x, dy, ok, x)).toThrow(/maxPool2dBackward: out overlaps x/);
  });
});
