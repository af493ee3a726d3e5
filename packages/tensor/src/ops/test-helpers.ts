import { expect } from 'vitest';
import type { Rng } from '../rng.js';
import { type DType, type Shape, Tensor, shapeSize } from '../tensor.js';

/** A tensor of uniform values in [-1, 1) drawn from a seeded rng. */
export function randomTensor(rng: Rng, shape: Shape, dtype: DType = 'float32'): Tensor {
  const values = Array.from({ length: shapeSize(shape) }, () => rng.uniform(-1, 1));
  return Tensor.from(shape, values, dtype);
}

/**
 * The textbook triple loop: C[i, j] = Σ_p A(i, p)·B(p, j), reading A and B through the
 * transpose flags by index arithmetic alone.
 */
export function naiveMatmul(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  n: number,
  k: number,
  transposeA: boolean,
  transposeB: boolean,
): number[] {
  const c: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let total = 0;
      for (let p = 0; p < k; p++) {
        const aValue = transposeA ? a[p * m + i]! : a[i * k + p]!;
        const bValue = transposeB ? b[j * k + p]! : b[p * n + j]!;
        total += aValue * bValue;
      }
      c.push(total);
    }
  }
  return c;
}

/** Elementwise |actual - expected| <= tolerance * (1 + |expected|), reporting the first miss. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (!(Math.abs(a - e) <= tolerance * (1 + Math.abs(e)))) {
      expect.fail(`index ${i}: got ${a}, expected ${e} (tolerance ${tolerance})`);
    }
  }
}

/** The four transpose combinations every matmul implementation must support. */
export const MATMUL_VARIANTS = [
  { transposeA: false, transposeB: false },
  { transposeA: true, transposeB: false },
  { transposeA: false, transposeB: true },
  { transposeA: true, transposeB: true },
] as const;
