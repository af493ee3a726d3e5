import type { FloatArray } from './tensor.js';
import { matmulKernel } from './js/matmul.js';
import * as ew from './js/elementwise.js';
import * as rw from './js/rows.js';
import { sgdStepKernel } from './js/optimiser.js';

/**
 * The typed-array kernels behind a Backend: sizes already checked, `out` already allocated.
 * Elementwise and row kernels accept `out` being exactly one of their inputs. A backend is the
 * shared argument-checking layer (src/kernel-backend.ts) over one of these tables, so the JS
 * reference and the wasm backend differ only here and can be compared kernel by kernel.
 */
export interface KernelTable {
  /** C[m, n] (+)= op(A)·op(B); `c` never aliases `a` or `b`. */
  matmul(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number, transposeA: boolean, transposeB: boolean, accumulate: boolean): void;
  addRowVector(x: FloatArray, bias: FloatArray, out: FloatArray, rows: number, columns: number): void;
  sumRows(x: FloatArray, out: FloatArray, rows: number, columns: number): void;
  sigmoid(x: FloatArray, out: FloatArray, n: number): void;
  sigmoidBackward(y: FloatArray, dy: FloatArray, out: FloatArray, n: number): void;
  tanh(x: FloatArray, out: FloatArray, n: number): void;
  tanhBackward(y: FloatArray, dy: FloatArray, out: FloatArray, n: number): void;
  leakyRelu(x: FloatArray, slope: number, out: FloatArray, n: number): void;
  leakyReluBackward(x: FloatArray, slope: number, dy: FloatArray, out: FloatArray, n: number): void;
  softmaxRows(x: FloatArray, out: FloatArray, rows: number, columns: number): void;
  logSoftmaxRows(x: FloatArray, out: FloatArray, rows: number, columns: number): void;
  softmaxBackward(y: FloatArray, dy: FloatArray, out: FloatArray, rows: number, columns: number): void;
  argmaxRows(x: FloatArray, out: Int32Array, rows: number, columns: number): void;
  add(a: FloatArray, b: FloatArray, out: FloatArray, n: number): void;
  sub(a: FloatArray, b: FloatArray, out: FloatArray, n: number): void;
  mul(a: FloatArray, b: FloatArray, out: FloatArray, n: number): void;
  scale(a: FloatArray, s: number, out: FloatArray, n: number): void;
  /** y += alpha·x. */
  axpy(alpha: number, x: FloatArray, y: FloatArray, n: number): void;
  /** See Backend.sgdStep; `velocity` undefined for plain SGD. */
  sgdStep(
    w: FloatArray, grad: FloatArray, velocity: FloatArray | undefined, n: number,
    learningRate: number, momentum: number, decay: number, nesterov: boolean,
  ): void;
  sum(x: FloatArray, n: number): number;
  sumOfSquares(x: FloatArray, n: number): number;
}

/** The plain-loop reference kernels (src/js/). */
export const JS_KERNELS: KernelTable = Object.freeze({
  matmul: matmulKernel,
  addRowVector: rw.addRowVectorKernel,
  sumRows: rw.sumRowsKernel,
  sigmoid: ew.sigmoidKernel,
  sigmoidBackward: ew.sigmoidBackwardKernel,
  tanh: ew.tanhKernel,
  tanhBackward: ew.tanhBackwardKernel,
  leakyRelu: ew.leakyReluKernel,
  leakyReluBackward: ew.leakyReluBackwardKernel,
  softmaxRows: rw.softmaxRowsKernel,
  logSoftmaxRows: rw.logSoftmaxRowsKernel,
  softmaxBackward: rw.softmaxBackwardKernel,
  argmaxRows: rw.argmaxRowsKernel,
  add: ew.addKernel,
  sub: ew.subKernel,
  mul: ew.mulKernel,
  scale: ew.scaleKernel,
  axpy: ew.axpyKernel,
  sgdStep: sgdStepKernel,
  sum: ew.sumKernel,
  sumOfSquares: ew.sumOfSquaresKernel,
});
