import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../js-backend.js';
import { MATMUL_VARIANTS, randomTensor } from '../ops/test-helpers.js';
import { type Rng, createRng } from '../rng.js';
import { Tensor } from '../tensor.js';
import { createWasmBackend } from '../wasm-backend.js';
import { testedFlavours } from './test-flavours.js';

/**
 * Conformance of the wasm matmul against the JS reference, for every transpose variant, with
 * and without accumulate, on shapes that hit every edge of the kernel: 1, odd sizes, sizes that
 * are not multiples of the 4-lane vector or of the 4×8 register tile, and sizes past each cache
 * block (MC = 64 rows, KC = 256 inner, NC = 512 columns).
 *
 * Tolerance: the reference sums in float64 and rounds once; the wasm kernel sums in float32 in
 * another order (and fuses multiply-adds in the relaxed build). Both stay within the classic
 * bound for a k-term float32 dot product plus the accumulate add:
 *   |wasm - ref| <= (k + 2) · 2^-24 · (Σ_p |A(i,p)·B(p,j)| + |C0(i,j)|)
 */
const U = 2 ** -24;
const js = createJsBackend();
const variants = MATMUL_VARIANTS;
// [m, n, k]
const edgeShapes: ReadonlyArray<readonly [number, number, number]> = [
  [0, 3, 4],
  [3, 0, 4],
  [1, 1, 1],
  [1, 9, 3],
  [5, 1, 7],
  [3, 3, 1],
  [4, 8, 4],
  [7, 13, 5],
  [17, 31, 33],
  [64, 30, 784],
  [130, 21, 300],
  [6, 520, 11],
  [67, 515, 259],
];

function randomShapes(rng: Rng, count: number): Array<readonly [number, number, number]> {
  return Array.from({ length: count }, () => [1 + rng.int(40), 1 + rng.int(40), 1 + rng.int(70)] as const);
}

function expectWithinBound(got: Tensor, a: Tensor, b: Tensor, start: Tensor | undefined, k: number, o: (typeof variants)[number]): void {
  const [m, n] = got.shape as [number, number];
  const reference = js.matmul(a, b, { ...o, accumulate: start !== undefined }, start?.clone());
  const absolute = js.matmul(absTensor(a), absTensor(b), o);
  for (let i = 0; i < m * n; i++) {
    const bound = (k + 2) * U * (absolute.data[i]! + Math.abs(start?.data[i] ?? 0));
    const error = Math.abs(got.data[i]! - reference.data[i]!);
    if (!(error <= bound)) {
      expect.fail(`[${m}, ${n}, ${k}] ${JSON.stringify(o)} index ${i}: got ${got.data[i]}, reference ${reference.data[i]}, bound ${bound}`);
    }
  }
}

function absTensor(t: Tensor): Tensor {
  return new Tensor(t.shape, t.data.map(Math.abs));
}

describe.each(testedFlavours())('wasm matmul (%s) vs the JS reference', (flavour) => {
  const wasm = createWasmBackend({ flavour });

  it('uses the requested build', () => {
    expect(wasm.flavour).toBe(flavour);
  });

  for (const o of variants) {
    const label = `${o.transposeA ? 'Aᵀ' : 'A'}·${o.transposeB ? 'Bᵀ' : 'B'}`;

    it(`${label} on edge and random shapes, overwriting a dirty out and accumulating`, () => {
      const rng = createRng(flavour === 'simd' ? 21 : 22);
      for (const [m, n, k] of [...edgeShapes, ...randomShapes(rng, 25)]) {
        const a = randomTensor(rng, o.transposeA ? [k, m] : [m, k]);
        const b = randomTensor(rng, o.transposeB ? [n, k] : [k, n]);
        const dirty = Tensor.from([m, n], new Array<number>(m * n).fill(7));
        const c = wasm.matmul(a, b, o, dirty);
        expect(c).toBe(dirty);
        expectWithinBound(c, a, b, undefined, k, o);

        const start = randomTensor(rng, [m, n]);
        const accumulated = wasm.matmul(a, b, { ...o, accumulate: true }, start.clone());
        expectWithinBound(accumulated, a, b, start, k, o);
      }
    });
  }

  it('allocates C when out is omitted and views higher-rank operands as 2-D', () => {
    const rng = createRng(23);
    const a = randomTensor(rng, [5, 2, 3]);
    const b = randomTensor(rng, [6, 7]);
    const c = wasm.matmul(a, b);
    expect(c.shape).toEqual([5, 7]);
    expectWithinBound(c, a.reshape([5, 6]), b, undefined, 6, variants[0]);
  });

  it('gives zeros (or out unchanged when accumulating) for an inner dimension of 0', () => {
    const a = Tensor.zeros([3, 0]);
    const b = Tensor.zeros([0, 2]);
    expect([...wasm.matmul(a, b, {}, Tensor.from([3, 2], [1, 2, 3, 4, 5, 6])).data]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...wasm.matmul(a, b, { accumulate: true }, Tensor.from([3, 2], [1, 2, 3, 4, 5, 6])).data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('propagates NaN and infinity only into the rows and columns they touch', () => {
    const rng = createRng(24);
    const [m, n, k] = [9, 11, 13];
    const a = randomTensor(rng, [m, k]);
    const b = randomTensor(rng, [k, n]);
    a.data[2 * k + 5] = Number.NaN; // row 2 of A
    b.data[4 * n + 7] = Number.POSITIVE_INFINITY; // column 7 of B
    const c = wasm.matmul(a, b);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const value = c.data[i * n + j]!;
        if (i === 2) expect(Number.isNaN(value), `(${i}, ${j})`).toBe(true);
        else if (j === 7) expect(Math.abs(value), `(${i}, ${j})`).toBe(Number.POSITIVE_INFINITY);
        else expect(Number.isFinite(value), `(${i}, ${j})`).toBe(true);
      }
    }
    // 0 · NaN is NaN, not skipped.
    expect(Number.isNaN(wasm.matmul(Tensor.from([1, 2], [0, 1]), Tensor.from([2, 1], [Number.NaN, 2])).data[0])).toBe(true);
  });

  it('gives bit-identical results for every transpose variant of the same product', () => {
    const rng = createRng(25);
    const a = randomTensor(rng, [19, 37]);
    const b = randomTensor(rng, [37, 23]);
    const reference = wasm.matmul(a, b).data;
    const aT = js.matmul(a, identity(19), { transposeA: true });
    const bT = js.matmul(b, identity(37), { transposeA: true });
    expect(wasm.matmul(aT, b, { transposeA: true }).data).toEqual(reference);
    expect(wasm.matmul(a, bT, { transposeB: true }).data).toEqual(reference);
    expect(wasm.matmul(aT, bT, { transposeA: true, transposeB: true }).data).toEqual(reference);
  });
});

function identity(n: number): Tensor {
  const t = Tensor.zeros([n, n]);
  for (let i = 0; i < n; i++) t.data[i * n + i] = 1;
  return t;
}
