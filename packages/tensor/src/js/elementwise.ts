import type { FloatArray } from '../tensor.js';

/**
 * Plain elementwise kernels over the first `n` values of typed arrays. `out` may be exactly one
 * of the inputs (each index is read before it is written), never a partial overlap.
 */

/** y = 1 / (1 + e^-x), written so that e^x never overflows for large |x|. */
export function sigmoidKernel(x: FloatArray, out: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v >= 0) {
      out[i] = 1 / (1 + Math.exp(-v));
    } else {
      const e = Math.exp(v);
      out[i] = e / (1 + e);
    }
  }
}

/** dx = dy * y * (1 - y). */
export function sigmoidBackwardKernel(y: FloatArray, dy: FloatArray, out: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    out[i] = dy[i]! * v * (1 - v);
  }
}

export function tanhKernel(x: FloatArray, out: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!);
}

/** dx = dy * (1 - y^2). */
export function tanhBackwardKernel(y: FloatArray, dy: FloatArray, out: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    out[i] = dy[i]! * (1 - v * v);
  }
}

/** y = x > 0 ? x : slope * x. */
export function leakyReluKernel(x: FloatArray, slope: number, out: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    out[i] = v > 0 ? v : slope * v;
  }
}

/** dx = x > 0 ? dy : slope * dy. */
export function leakyReluBackwardKernel(x: FloatArray, slope: number, dy: FloatArray, out: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) {
    const g = dy[i]!;
    out[i] = x[i]! > 0 ? g : slope * g;
  }
}

export function addKernel(a: FloatArray, b: FloatArray, out: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
}

export function subKernel(a: FloatArray, b: FloatArray, out: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
}

export function mulKernel(a: FloatArray, b: FloatArray, out: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
}

export function scaleKernel(a: FloatArray, s: number, out: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i]! * s;
}

/** y += alpha * x. */
export function axpyKernel(alpha: number, x: FloatArray, y: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) y[i]! += alpha * x[i]!;
}

/** Σ x, accumulated in a float64 JS number. */
export function sumKernel(x: FloatArray, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += x[i]!;
  return total;
}

/** Σ x², accumulated in a float64 JS number. */
export function sumOfSquaresKernel(x: FloatArray, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    total += v * v;
  }
  return total;
}
