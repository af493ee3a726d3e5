import type { FloatArray, Tensor } from '../tensor.js';
import { matmulDims, prepareMatmulOut } from './checks.js';
import { defineFamily, is64 } from './family.js';

/**
 * The matmul family. Reference: plain matrix-multiply kernels on row-major typed arrays,
 * C[m, n] (+)= op(A)·op(B) with inner dimension k. Each transpose variant uses the loop order whose innermost loop walks memory
 * contiguously. `c` must not alias `a` or `b`. When `accumulate` is false, C is overwritten.
 *
 * Every variant sums over p in ascending order in float64 and rounds once when storing, so the
 * four variants give bit-identical results for the same logical product (whatever the dtype).
 * Zeros are not skipped: 0 * NaN must stay NaN so a diverged network is noticed.
 */

/** A [m, k], B [k, n]. Order i-p-j: the inner loop streams a row of B into a float64 row of C. */
export function matmulNN(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number, accumulate: boolean): void {
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    const aRow = i * k;
    for (let p = 0; p < k; p++) {
      const aip = a[aRow + p]!;
      const bRow = p * n;
      for (let j = 0; j < n; j++) row[j]! += aip * b[bRow + j]!;
    }
    storeRow(row, c, i * n, n, accumulate);
  }
}

/** A stored [k, m], B [k, n]. Same i-p-j order; only the scalar read of A is strided. */
export function matmulTN(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number, accumulate: boolean): void {
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) {
      const api = a[p * m + i]!;
      const bRow = p * n;
      for (let j = 0; j < n; j++) row[j]! += api * b[bRow + j]!;
    }
    storeRow(row, c, i * n, n, accumulate);
  }
}

/** A [m, k], B stored [n, k]. Order i-j-p: each C value is a dot product of two contiguous rows. */
export function matmulNT(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number, accumulate: boolean): void {
  for (let i = 0; i < m; i++) {
    const aRow = i * k;
    const cRow = i * n;
    for (let j = 0; j < n; j++) {
      const bRow = j * k;
      let dot = 0;
      for (let p = 0; p < k; p++) dot += a[aRow + p]! * b[bRow + p]!;
      c[cRow + j] = accumulate ? c[cRow + j]! + dot : dot;
    }
  }
}

/**
 * A stored [k, m], B stored [n, k]. C^T = B·A, so each column j of C is built contiguously in a
 * float64 scratch row (order j-p-i, streaming rows of A) and then scattered into C.
 */
export function matmulTT(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number, accumulate: boolean): void {
  const column = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    column.fill(0);
    const bRow = j * k;
    for (let p = 0; p < k; p++) {
      const bjp = b[bRow + p]!;
      const aRow = p * m;
      for (let i = 0; i < m; i++) column[i]! += bjp * a[aRow + i]!;
    }
    for (let i = 0; i < m; i++) c[i * n + j] = accumulate ? c[i * n + j]! + column[i]! : column[i]!;
  }
}

function storeRow(row: Float64Array, c: FloatArray, offset: number, n: number, accumulate: boolean): void {
  if (accumulate) {
    for (let j = 0; j < n; j++) c[offset + j] = c[offset + j]! + row[j]!;
  } else {
    for (let j = 0; j < n; j++) c[offset + j] = row[j]!;
  }
}

/** Dispatches to the variant for the given transpose flags. */
export function matmulKernel(
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  m: number,
  n: number,
  k: number,
  transposeA: boolean,
  transposeB: boolean,
  accumulate: boolean,
): void {
  if (transposeA) {
    if (transposeB) matmulTT(a, b, c, m, n, k, accumulate);
    else matmulTN(a, b, c, m, n, k, accumulate);
  } else if (transposeB) matmulNT(a, b, c, m, n, k, accumulate);
  else matmulNN(a, b, c, m, n, k, accumulate);
}

/** Options of Backend.matmul. */
export interface MatmulOptions {
  /** Use A transposed: A is stored [k, m]. */
  readonly transposeA?: boolean;
  /** Use B transposed: B is stored [n, k]. */
  readonly transposeB?: boolean;
  /** Add into `out` instead of overwriting it (out += A·B). */
  readonly accumulate?: boolean;
}

export interface MatmulKernels {
  /** C[m, n] (+)= op(A)·op(B); `c` never aliases `a` or `b`. */
  matmul: typeof matmulKernel;
}

export interface MatmulOps {
  /** C[m, n] = op(A)·op(B). */
  matmul(a: Tensor, b: Tensor, options?: MatmulOptions, out?: Tensor): Tensor;
}

export const matmulFamily = defineFamily<MatmulKernels, MatmulOps>({
  name: 'matmul',
  reference: { matmul: matmulKernel },
  wasm: ({ exports, staging, engine }, reference) => {
    const { gemmScratchFloats } = exports as { gemmScratchFloats(m: number, n: number, k: number): number };
    return {
      matmul(a, b, c, m, n, k, transposeA, transposeB, accumulate) {
        if (is64(c)) return reference.matmul(a, b, c, m, n, k, transposeA, transposeB, accumulate);
        const s = staging.begin();
        const call = {
          a: s.read(a, a.length),
          lda: transposeA ? m : k,
          b: s.read(b, b.length),
          ldb: transposeB ? k : n,
          c: accumulate ? s.update(c, m * n) : s.write(c, m * n),
          ldc: n,
          m,
          n,
          k,
          transA: transposeA,
          transB: transposeB,
          accumulate,
        };
        // Scratch per thread rounded to whole cache lines, so threads never share one.
        const scratchFloats = Math.ceil(gemmScratchFloats(m, n, k) / 16) * 16;
        engine.gemm(call, s.scratch(scratchFloats * engine.threads), scratchFloats * 4);
        s.finish();
      },
    };
  },
  methods: (kernels) => ({
    matmul(a, b, options = {}, out) {
      const { m, n, k, transposeA, transposeB, accumulate } = matmulDims(a, b, options);
      const c = prepareMatmulOut(a, b, m, n, out);
      kernels.matmul(a.data, b.data, c.data, m, n, k, transposeA, transposeB, accumulate);
      return c;
    },
  }),
});
