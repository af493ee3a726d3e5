import type { DType, Shape, Tensor } from './tensor.js';

/**
 * The kernels layers, losses and optimisers call. Layers receive a Backend through their build
 * context and never import a kernel directly, so a faster implementation (WebAssembly SIMD)
 * can replace the reference one without touching any layer.
 *
 * Conventions: batch tensors are 2-D `[rows, columns]` views (higher-rank tensors are treated
 * as `[shape[0], product of the rest]`). Every kernel takes an optional `out` of the right size
 * and returns it (allocating when omitted); `out` may alias an input only where a kernel says so.
 * All operands of one call share a dtype.
 */
export interface MatmulOptions {
  /** Use A transposed: A is stored [k, m]. */
  readonly transposeA?: boolean;
  /** Use B transposed: B is stored [n, k]. */
  readonly transposeB?: boolean;
  /** Add into `out` instead of overwriting it (out += A·B). */
  readonly accumulate?: boolean;
}

/** Hyper-parameters of one SGD step (see Backend.sgdStep). */
export interface SgdStepOptions {
  readonly learningRate: number;
  /** Ignored without a velocity tensor. */
  readonly momentum: number;
  readonly weightDecay: number;
  /** Nesterov momentum: the step is g + momentum·v instead of v. */
  readonly nesterov: boolean;
}

export interface Backend {
  readonly name: string;

  /**
   * A zero-filled tensor in the memory this backend's kernels read and write without copying:
   * the wasm backend's linear memory for float32 (plain memory for float64, or where shared
   * WebAssembly memory is unavailable); plain memory for the JS backend. Meant for long-lived
   * tensors (parameters, gradients, optimiser state, buffers a layer reuses every step): the
   * wasm backend reclaims this memory only with the backend itself, so never call it per step.
   */
  zeros(shape: Shape, dtype?: DType): Tensor;

  /** C[m, n] = op(A)·op(B). */
  matmul(a: Tensor, b: Tensor, options?: MatmulOptions, out?: Tensor): Tensor;
  /** x[n, m] + bias[m] broadcast over rows. `out` may be `x`. */
  addRowVector(x: Tensor, bias: Tensor, out?: Tensor): Tensor;
  /** Column sums: x[n, m] -> [m] (the bias gradient). */
  sumRows(x: Tensor, out?: Tensor): Tensor;

  /** y = 1 / (1 + e^-x). `out` may be `x`. */
  sigmoid(x: Tensor, out?: Tensor): Tensor;
  /** dx = dy * y * (1 - y), given y = sigmoid(x). `out` may be `dy`. */
  sigmoidBackward(y: Tensor, dy: Tensor, out?: Tensor): Tensor;
  /** y = tanh(x). `out` may be `x`. */
  tanh(x: Tensor, out?: Tensor): Tensor;
  /** dx = dy * (1 - y^2), given y = tanh(x). `out` may be `dy`. */
  tanhBackward(y: Tensor, dy: Tensor, out?: Tensor): Tensor;
  /** y = x > 0 ? x : slope * x (slope 0 is ReLU). `out` may be `x`. */
  leakyRelu(x: Tensor, slope: number, out?: Tensor): Tensor;
  /** dx = x > 0 ? dy : slope * dy. `out` may be `dy`. */
  leakyReluBackward(x: Tensor, slope: number, dy: Tensor, out?: Tensor): Tensor;

  /** Row-wise softmax, stable for any finite logits. `out` may be `x`. */
  softmaxRows(x: Tensor, out?: Tensor): Tensor;
  /** Row-wise log-softmax, stable for any finite logits. `out` may be `x`. */
  logSoftmaxRows(x: Tensor, out?: Tensor): Tensor;
  /** dx = y * (dy - sum(dy * y)) per row, given y = softmax(x). `out` may be `dy`. */
  softmaxBackward(y: Tensor, dy: Tensor, out?: Tensor): Tensor;
  /** Index of the largest value in each row. */
  argmaxRows(x: Tensor): Int32Array;

  /** out = a + b (same size). */
  add(a: Tensor, b: Tensor, out?: Tensor): Tensor;
  /** out = a - b (same size). */
  sub(a: Tensor, b: Tensor, out?: Tensor): Tensor;
  /** out = a * b elementwise (same size). */
  mul(a: Tensor, b: Tensor, out?: Tensor): Tensor;
  /** out = a * s. */
  scale(a: Tensor, s: number, out?: Tensor): Tensor;
  /** y += alpha * x, in place; returns y. */
  axpy(alpha: number, x: Tensor, y: Tensor): Tensor;
  /**
   * One SGD step in place, per element (PyTorch's torch.optim.SGD, dampening 0):
   *   g = grad + weightDecay·w;  v = momentum·v + g;  w -= learningRate·(nesterov ? g + momentum·v : v)
   * and w -= learningRate·g when `velocity` is undefined (plain SGD), in one pass over the
   * tensors. The JS kernels compute in float64 and round once per stored value; the wasm backend
   * works in float32 lanes (a few ulps apart). w, grad and velocity must not share memory.
   * Returns w.
   */
  sgdStep(w: Tensor, grad: Tensor, velocity: Tensor | undefined, options: SgdStepOptions): Tensor;
  /** Sets every element to value; returns x. */
  fill(x: Tensor, value: number): Tensor;
  /** Sum of all elements (accumulated in float64). */
  sum(x: Tensor): number;
  /** Sum of squares of all elements (accumulated in float64). */
  sumOfSquares(x: Tensor): number;
}
