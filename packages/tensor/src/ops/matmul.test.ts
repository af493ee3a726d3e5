import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../js-backend.js';
import { createRng } from '../rng.js';
import { type DType, Tensor } from '../tensor.js';
import { MATMUL_VARIANTS, expectClose, naiveMatmul, randomTensor } from './test-helpers.js';

const backend = createJsBackend();
const variants = MATMUL_VARIANTS;
// [m, n, k]: ones, odd sizes, non-square in every direction.
const sizes = [
  [1, 1, 1],
  [1, 5, 3],
  [4, 1, 7],
  [3, 3, 1],
  [7, 5, 3],
  [2, 9, 13],
  [17, 4, 6],
] as const;

/** Random A and B stored as the transpose flags say. */
function operands(seed: number, m: number, n: number, k: number, t: (typeof variants)[number], dtype: DType) {
  const rng = createRng(seed);
  const a = randomTensor(rng, t.transposeA ? [k, m] : [m, k], dtype);
  const b = randomTensor(rng, t.transposeB ? [n, k] : [k, n], dtype);
  return { a, b };
}

describe('matmul', () => {
  for (const t of variants) {
    const label = `${t.transposeA ? 'Aᵀ' : 'A'}·${t.transposeB ? 'Bᵀ' : 'B'}`;
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${label} matches the naive triple loop (${dtype})`, () => {
        const tolerance = dtype === 'float64' ? 1e-12 : 1e-6;
        for (const [index, [m, n, k]] of sizes.entries()) {
          const { a, b } = operands(100 + index, m, n, k, t, dtype);
          const c = backend.matmul(a, b, t);
          expect(c.shape).toEqual([m, n]);
          expect(c.dtype).toBe(dtype);
          expectClose(c.data, naiveMatmul(a.data, b.data, m, n, k, t.transposeA, t.transposeB), tolerance);
        }
      });
    }

    it(`${label} accumulates into out`, () => {
      const [m, n, k] = [5, 3, 4];
      const { a, b } = operands(7, m, n, k, t, 'float64');
      const start = randomTensor(createRng(8), [m, n], 'float64');
      const out = start.clone();
      const returned = backend.matmul(a, b, { ...t, accumulate: true }, out);
      expect(returned).toBe(out);
      const product = naiveMatmul(a.data, b.data, m, n, k, t.transposeA, t.transposeB);
      expectClose(out.data, product.map((v, i) => v + start.data[i]!), 1e-12);
    });

    it(`${label} overwrites a dirty out without accumulate`, () => {
      const [m, n, k] = [3, 6, 5];
      const { a, b } = operands(9, m, n, k, t, 'float64');
      const out = Tensor.from([m, n], new Array(m * n).fill(123), 'float64');
      backend.matmul(a, b, t, out);
      expectClose(out.data, naiveMatmul(a.data, b.data, m, n, k, t.transposeA, t.transposeB), 1e-12);
    });
  }

  it('gives bit-identical results for every transpose variant of the same product', () => {
    const rng = createRng(11);
    const a = randomTensor(rng, [6, 9]);
    const b = randomTensor(rng, [9, 5]);
    const aT = transpose(a);
    const bT = transpose(b);
    const reference = backend.matmul(a, b).data;
    expect(backend.matmul(aT, b, { transposeA: true }).data).toEqual(reference);
    expect(backend.matmul(a, bT, { transposeB: true }).data).toEqual(reference);
    expect(backend.matmul(aT, bT, { transposeA: true, transposeB: true }).data).toEqual(reference);
  });

  it('matches a hand-computed product', () => {
    const a = Tensor.from([2, 3], [1, 2, 3, 4, 5, 6]);
    const b = Tensor.from([3, 2], [7, 8, 9, 10, 11, 12]);
    expect([...backend.matmul(a, b).data]).toEqual([58, 64, 139, 154]);
  });

  it('views higher-rank tensors as [shape[0], rest]', () => {
    const rng = createRng(12);
    const a = randomTensor(rng, [4, 2, 3], 'float64');
    const b = randomTensor(rng, [6, 5], 'float64');
    const c = backend.matmul(a, b);
    expect(c.shape).toEqual([4, 5]);
    expectClose(c.data, naiveMatmul(a.data, b.data, 4, 5, 6, false, false), 1e-12);
  });

  it('propagates NaN even when multiplied by zero', () => {
    const a = Tensor.from([1, 2], [0, 1]);
    const b = Tensor.from([2, 1], [Number.NaN, 2]);
    expect(Number.isNaN(backend.matmul(a, b).data[0])).toBe(true);
  });

  it('names both shapes when inner dimensions differ', () => {
    const a = Tensor.zeros([3, 4]);
    const b = Tensor.zeros([5, 2]);
    expect(() => backend.matmul(a, b)).toThrow(
      new RangeError(
        'matmul: A is [3, 4] but B is [5, 2]; inner dimensions 4 and 5 differ (computing A·B, A viewed as [3, 4], B as [5, 2])',
      ),
    );
    expect(() => backend.matmul(a, Tensor.zeros([2, 4]), { transposeA: true })).toThrow(/inner dimensions 3 and 2 differ \(computing Aᵀ·B/);
  });

  it('rejects an out of the wrong size or dtype', () => {
    const a = Tensor.zeros([3, 4]);
    const b = Tensor.zeros([4, 2]);
    expect(() => backend.matmul(a, b, {}, Tensor.zeros([2, 2]))).toThrow(
      new RangeError('matmul: out is [2, 2] (4 values) but the result is [3, 2] (6 values); pass an out of 6 values or omit it'),
    );
    expect(() => backend.matmul(a, b, {}, Tensor.zeros([3, 2], 'float64'))).toThrow(/matmul: out is float64 but the operands are float32/);
  });

  it('rejects mixed dtypes', () => {
    expect(() => backend.matmul(Tensor.zeros([2, 2]), Tensor.zeros([2, 2], 'float64'))).toThrow(
      /matmul: A is \[2, 2\] float32 but B is \[2, 2\] float64; all operands must share a dtype/,
    );
  });

  it('rejects an out that shares memory with an operand', () => {
    const a = Tensor.zeros([2, 2]);
    const b = Tensor.zeros([2, 2]);
    expect(() => backend.matmul(a, b, {}, a)).toThrow(/matmul: out overlaps A; out must not share memory with A/);
    expect(() => backend.matmul(a, b, {}, b)).toThrow(/matmul: out overlaps B/);
  });
});

function transpose(t: Tensor): Tensor {
  const [rows, columns] = t.shape as [number, number];
  const out = Tensor.zeros([columns, rows], t.dtype);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out.data[c * rows + r] = t.data[r * columns + c]!;
  return out;
}
