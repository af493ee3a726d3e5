import type { FloatArray } from '../tensor.js';

/**
 * Plain row-wise kernels on a row-major [rows, columns] matrix stored in a typed array.
 * Softmax kernels may run in place (`out` the same array as the input) because each row is
 * fully read (max, sums) before any value of it is written, and writes go to the same index.
 */

/** out[r, c] = x[r, c] + bias[c]. `out` may be `x`, never `bias`. */
export function addRowVectorKernel(x: FloatArray, bias: FloatArray, out: FloatArray, rows: number, columns: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    for (let c = 0; c < columns; c++) out[base + c] = x[base + c]! + bias[c]!;
  }
}

/** out[c] = Σ_r x[r, c], accumulated in float64 then rounded once. */
export function sumRowsKernel(x: FloatArray, out: FloatArray, rows: number, columns: number): void {
  const totals = new Float64Array(columns);
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    for (let c = 0; c < columns; c++) totals[c]! += x[base + c]!;
  }
  for (let c = 0; c < columns; c++) out[c] = totals[c]!;
}

function rowMax(x: FloatArray, base: number, columns: number): number {
  let max = -Infinity;
  for (let c = 0; c < columns; c++) {
    const v = x[base + c]!;
    if (v > max) max = v;
  }
  return max;
}

/** out[r, c] = e^(x[r, c] - max_r) / Σ_c' e^(x[r, c'] - max_r). */
export function softmaxRowsKernel(x: FloatArray, out: FloatArray, rows: number, columns: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    const max = rowMax(x, base, columns);
    let total = 0;
    for (let c = 0; c < columns; c++) {
      const e = Math.exp(x[base + c]! - max);
      out[base + c] = e;
      total += e;
    }
    const inv = 1 / total;
    for (let c = 0; c < columns; c++) out[base + c]! *= inv;
  }
}

/** out[r, c] = x[r, c] - max_r - log Σ_c' e^(x[r, c'] - max_r). */
export function logSoftmaxRowsKernel(x: FloatArray, out: FloatArray, rows: number, columns: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    const max = rowMax(x, base, columns);
    let total = 0;
    for (let c = 0; c < columns; c++) total += Math.exp(x[base + c]! - max);
    const shift = max + Math.log(total);
    for (let c = 0; c < columns; c++) out[base + c] = x[base + c]! - shift;
  }
}

/** out[r, c] = y[r, c] * (dy[r, c] - Σ_c' dy[r, c'] y[r, c']). `out` may be `y` or `dy`. */
export function softmaxBackwardKernel(y: FloatArray, dy: FloatArray, out: FloatArray, rows: number, columns: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    let dot = 0;
    for (let c = 0; c < columns; c++) dot += dy[base + c]! * y[base + c]!;
    for (let c = 0; c < columns; c++) out[base + c] = y[base + c]! * (dy[base + c]! - dot);
  }
}

/** Index of the first largest value of each row; NaNs are skipped (an all-NaN row gives 0). */
export function argmaxRowsKernel(x: FloatArray, out: Int32Array, rows: number, columns: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    let best = 0;
    let bestValue = x[base]!;
    for (let c = 1; c < columns; c++) {
      const v = x[base + c]!;
      if (v > bestValue || (bestValue !== bestValue && v === v)) {
        best = c;
        bestValue = v;
      }
    }
    out[r] = best;
  }
}
