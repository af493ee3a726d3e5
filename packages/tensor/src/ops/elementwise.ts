import type { FloatArray, Tensor } from '../tensor.js';
import { checkAlias, prepareOut, sameDtype, sameSize } from './checks.js';
import { defineFamily, is64 } from './family.js';

/**
 * The elementwise family. Reference: plain kernels over the first `n` values of typed arrays.
 * `out` may be exactly one of the inputs (each index is read before it is written), never a
 * partial overlap.
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

type Unary = (x: FloatArray, out: FloatArray, n: number) => void;
type Binary = (a: FloatArray, b: FloatArray, out: FloatArray, n: number) => void;

export interface ElementwiseKernels {
  sigmoid: Unary;
  sigmoidBackward: Binary;
  tanh: Unary;
  tanhBackward: Binary;
  leakyRelu(x: FloatArray, slope: number, out: FloatArray, n: number): void;
  leakyReluBackward(x: FloatArray, slope: number, dy: FloatArray, out: FloatArray, n: number): void;
  add: Binary;
  sub: Binary;
  mul: Binary;
  scale(a: FloatArray, s: number, out: FloatArray, n: number): void;
  /** y += alpha·x. */
  axpy(alpha: number, x: FloatArray, y: FloatArray, n: number): void;
  sum(x: FloatArray, n: number): number;
  sumOfSquares(x: FloatArray, n: number): number;
}

export interface ElementwiseOps {
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
  /** Sets every element to value; returns x. */
  fill(x: Tensor, value: number): Tensor;
  /** Sum of all elements (accumulated in float64). */
  sum(x: Tensor): number;
  /** Sum of squares of all elements (accumulated in float64). */
  sumOfSquares(x: Tensor): number;
}

/** The module's exports this family binds (assembly/elementwise.ts). */
interface ElementwiseExports {
  /** op 0 add, 1 sub, 2 mul. */
  binary(op: number, a: number, b: number, out: number, n: number): void;
  scale(a: number, s: number, out: number, n: number): void;
  axpy(alpha: number, x: number, y: number, n: number): void;
  leakyRelu(x: number, slope: number, out: number, n: number): void;
  leakyReluBackward(x: number, slope: number, dy: number, out: number, n: number): void;
}

/** Binary op codes of the module's `binary` kernel. */
const ADD = 0;
const SUB = 1;
const MUL = 2;

export const elementwiseFamily = defineFamily<ElementwiseKernels, ElementwiseOps>({
  name: 'elementwise',
  reference: {
    sigmoid: sigmoidKernel,
    sigmoidBackward: sigmoidBackwardKernel,
    tanh: tanhKernel,
    tanhBackward: tanhBackwardKernel,
    leakyRelu: leakyReluKernel,
    leakyReluBackward: leakyReluBackwardKernel,
    add: addKernel,
    sub: subKernel,
    mul: mulKernel,
    scale: scaleKernel,
    axpy: axpyKernel,
    sum: sumKernel,
    sumOfSquares: sumOfSquaresKernel,
  },
  // sigmoid, tanh and the reductions stay in JS: not worth a round trip on [batch, units].
  wasm: ({ exports, staging }, reference) => {
    const wasm = exports as ElementwiseExports;
    const binaryOp = (op: number, fallback: Binary): Binary => (a, b, out, n) => {
      if (is64(a)) return fallback(a, b, out, n);
      const s = staging.begin();
      wasm.binary(op, s.read(a, n), s.read(b, n), s.write(out, n), n);
      s.finish();
    };
    return {
      add: binaryOp(ADD, reference.add),
      sub: binaryOp(SUB, reference.sub),
      mul: binaryOp(MUL, reference.mul),
      leakyRelu(x, slope, out, n) {
        if (is64(x)) return reference.leakyRelu(x, slope, out, n);
        const s = staging.begin();
        wasm.leakyRelu(s.read(x, n), slope, s.write(out, n), n);
        s.finish();
      },
      leakyReluBackward(x, slope, dy, out, n) {
        if (is64(x)) return reference.leakyReluBackward(x, slope, dy, out, n);
        const s = staging.begin();
        wasm.leakyReluBackward(s.read(x, n), slope, s.read(dy, n), s.write(out, n), n);
        s.finish();
      },
      scale(a, factor, out, n) {
        if (is64(a)) return reference.scale(a, factor, out, n);
        const s = staging.begin();
        wasm.scale(s.read(a, n), factor, s.write(out, n), n);
        s.finish();
      },
      axpy(alpha, x, y, n) {
        if (is64(x)) return reference.axpy(alpha, x, y, n);
        const s = staging.begin();
        wasm.axpy(alpha, s.read(x, n), s.update(y, n), n);
        s.finish();
      },
    };
  },
  methods: (kernels) => {
    /** out = f(x) elementwise; out may be x. */
    const unary = (kernel: string, f: Unary) => (x: Tensor, out?: Tensor): Tensor => {
      const y = prepareOut(kernel, out, x.shape, x.dtype);
      checkAlias(kernel, y, 'x', x, true);
      f(x.data, y.data, x.size);
      return y;
    };
    /** out = f(a, b) elementwise over equal-size operands; out may be a or b. */
    const binary = (kernel: string, nameA: string, nameB: string, f: Binary) => (a: Tensor, b: Tensor, out?: Tensor): Tensor => {
      sameSize(kernel, nameA, a, nameB, b);
      const dtype = sameDtype(kernel, [nameA, a], [nameB, b]);
      const y = prepareOut(kernel, out, a.shape, dtype);
      checkAlias(kernel, y, nameA, a, true);
      checkAlias(kernel, y, nameB, b, true);
      f(a.data, b.data, y.data, a.size);
      return y;
    };
    return {
      sigmoid: unary('sigmoid', kernels.sigmoid),
      sigmoidBackward: binary('sigmoidBackward', 'y', 'dy', kernels.sigmoidBackward),
      tanh: unary('tanh', kernels.tanh),
      tanhBackward: binary('tanhBackward', 'y', 'dy', kernels.tanhBackward),
      leakyRelu(x, slope, out) {
        const y = prepareOut('leakyRelu', out, x.shape, x.dtype);
        checkAlias('leakyRelu', y, 'x', x, true);
        kernels.leakyRelu(x.data, slope, y.data, x.size);
        return y;
      },
      leakyReluBackward(x, slope, dy, out) {
        sameSize('leakyReluBackward', 'x', x, 'dy', dy);
        const dtype = sameDtype('leakyReluBackward', ['x', x], ['dy', dy]);
        const dx = prepareOut('leakyReluBackward', out, dy.shape, dtype);
        checkAlias('leakyReluBackward', dx, 'x', x, true);
        checkAlias('leakyReluBackward', dx, 'dy', dy, true);
        kernels.leakyReluBackward(x.data, slope, dy.data, dx.data, x.size);
        return dx;
      },
      add: binary('add', 'a', 'b', kernels.add),
      sub: binary('sub', 'a', 'b', kernels.sub),
      mul: binary('mul', 'a', 'b', kernels.mul),
      scale(a, s, out) {
        const y = prepareOut('scale', out, a.shape, a.dtype);
        checkAlias('scale', y, 'a', a, true);
        kernels.scale(a.data, s, y.data, a.size);
        return y;
      },
      axpy(alpha, x, y) {
        sameSize('axpy', 'x', x, 'y', y);
        sameDtype('axpy', ['x', x], ['y', y]);
        checkAlias('axpy', y, 'x', x, true, 'y');
        kernels.axpy(alpha, x.data, y.data, y.size);
        return y;
      },
      fill(x, value) {
        x.data.fill(value);
        return x;
      },
      sum: (x) => kernels.sum(x.data, x.size),
      sumOfSquares: (x) => kernels.sumOfSquares(x.data, x.size),
    };
  },
});
