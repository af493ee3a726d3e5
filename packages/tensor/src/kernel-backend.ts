import type { Backend, MatmulOptions, SgdStepOptions } from './backend.js';
import { type DType, type FloatArray, type Shape, Tensor, formatShape } from './tensor.js';
import { checkAlias, checkShapeAndDtype, matmulDims, prepareMatmulOut, prepareOut, sameDtype, sameSize } from './js/checks.js';
import type { KernelTable } from './kernels.js';

/**
 * A Backend over a table of typed-array kernels. Each method checks its arguments (O(1): sizes,
 * dtypes, `out`, aliasing), allocates `out` when omitted, and hands typed arrays and sizes to the
 * table, so every backend reports the same errors and differs only in its kernels.
 *
 * Elementwise kernels accept `out` equal to any of their inputs (in place); a partial overlap is
 * always rejected. `makeZeros` gives Backend.zeros after its checks (default: plain
 * `Tensor.zeros`); outputs the methods allocate themselves are always plain.
 */
export function backendFromKernels(
  name: string,
  kernels: KernelTable,
  makeZeros: (shape: Shape, dtype: DType) => Tensor = (shape, dtype) => Tensor.zeros(shape, dtype),
): Backend {
  type Unary = (x: FloatArray, out: FloatArray, n: number) => void;
  type Binary = (a: FloatArray, b: FloatArray, out: FloatArray, n: number) => void;
  type Rowwise = (x: FloatArray, out: FloatArray, rows: number, columns: number) => void;

  /** out = f(x) elementwise; out may be x. */
  const unary =
    (kernel: string, f: Unary) =>
    (x: Tensor, out?: Tensor): Tensor => {
      const y = prepareOut(kernel, out, x.shape, x.dtype);
      checkAlias(kernel, y, 'x', x, true);
      f(x.data, y.data, x.size);
      return y;
    };

  /** out = f(a, b) elementwise over equal-size operands; out may be a or b. */
  const binary =
    (kernel: string, nameA: string, nameB: string, f: Binary) =>
    (a: Tensor, b: Tensor, out?: Tensor): Tensor => {
      sameSize(kernel, nameA, a, nameB, b);
      const dtype = sameDtype(kernel, [nameA, a], [nameB, b]);
      const y = prepareOut(kernel, out, a.shape, dtype);
      checkAlias(kernel, y, nameA, a, true);
      checkAlias(kernel, y, nameB, b, true);
      f(a.data, b.data, y.data, a.size);
      return y;
    };

  /** Row-wise out = f(x) on the 2-D view of x; out may be x. */
  const rowwise =
    (kernel: string, f: Rowwise) =>
    (x: Tensor, out?: Tensor): Tensor => {
      const y = prepareOut(kernel, out, x.shape, x.dtype);
      checkAlias(kernel, y, 'x', x, true);
      f(x.data, y.data, x.rows, x.columns);
      return y;
    };

  return {
    name,

    zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
      checkShapeAndDtype('zeros', shape, dtype);
      return makeZeros(shape, dtype);
    },

    matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}, out?: Tensor): Tensor {
      const { m, n, k, transposeA, transposeB, accumulate } = matmulDims(a, b, options);
      const c = prepareMatmulOut(a, b, m, n, out);
      kernels.matmul(a.data, b.data, c.data, m, n, k, transposeA, transposeB, accumulate);
      return c;
    },

    addRowVector(x: Tensor, bias: Tensor, out?: Tensor): Tensor {
      const { rows, columns } = x;
      if (bias.size !== columns) {
        throw new RangeError(
          `addRowVector: x is ${formatShape(x.shape)} (${columns} columns) but bias is ${formatShape(bias.shape)} ` +
            `(${bias.size} values); bias needs one value per column`,
        );
      }
      const dtype = sameDtype('addRowVector', ['x', x], ['bias', bias]);
      const y = prepareOut('addRowVector', out, x.shape, dtype);
      checkAlias('addRowVector', y, 'x', x, true);
      checkAlias('addRowVector', y, 'bias', bias, false);
      kernels.addRowVector(x.data, bias.data, y.data, rows, columns);
      return y;
    },

    sumRows(x: Tensor, out?: Tensor): Tensor {
      const { rows, columns } = x;
      const y = prepareOut('sumRows', out, [columns], x.dtype);
      checkAlias('sumRows', y, 'x', x, false);
      kernels.sumRows(x.data, y.data, rows, columns);
      return y;
    },

    sigmoid: unary('sigmoid', kernels.sigmoid),
    sigmoidBackward: binary('sigmoidBackward', 'y', 'dy', kernels.sigmoidBackward),
    tanh: unary('tanh', kernels.tanh),
    tanhBackward: binary('tanhBackward', 'y', 'dy', kernels.tanhBackward),

    leakyRelu(x: Tensor, slope: number, out?: Tensor): Tensor {
      const y = prepareOut('leakyRelu', out, x.shape, x.dtype);
      checkAlias('leakyRelu', y, 'x', x, true);
      kernels.leakyRelu(x.data, slope, y.data, x.size);
      return y;
    },

    leakyReluBackward(x: Tensor, slope: number, dy: Tensor, out?: Tensor): Tensor {
      sameSize('leakyReluBackward', 'x', x, 'dy', dy);
      const dtype = sameDtype('leakyReluBackward', ['x', x], ['dy', dy]);
      const dx = prepareOut('leakyReluBackward', out, dy.shape, dtype);
      checkAlias('leakyReluBackward', dx, 'x', x, true);
      checkAlias('leakyReluBackward', dx, 'dy', dy, true);
      kernels.leakyReluBackward(x.data, slope, dy.data, dx.data, x.size);
      return dx;
    },

    softmaxRows: rowwise('softmaxRows', kernels.softmaxRows),
    logSoftmaxRows: rowwise('logSoftmaxRows', kernels.logSoftmaxRows),

    softmaxBackward(y: Tensor, dy: Tensor, out?: Tensor): Tensor {
      sameSize('softmaxBackward', 'y', y, 'dy', dy);
      const dtype = sameDtype('softmaxBackward', ['y', y], ['dy', dy]);
      const dx = prepareOut('softmaxBackward', out, dy.shape, dtype);
      checkAlias('softmaxBackward', dx, 'y', y, true);
      checkAlias('softmaxBackward', dx, 'dy', dy, true);
      kernels.softmaxBackward(y.data, dy.data, dx.data, y.rows, y.columns);
      return dx;
    },

    argmaxRows(x: Tensor): Int32Array {
      const { rows, columns } = x;
      if (columns === 0 && rows > 0) {
        throw new RangeError(`argmaxRows: x is ${formatShape(x.shape)}; rows have no values to choose from`);
      }
      const out = new Int32Array(rows);
      kernels.argmaxRows(x.data, out, rows, columns);
      return out;
    },

    add: binary('add', 'a', 'b', kernels.add),
    sub: binary('sub', 'a', 'b', kernels.sub),
    mul: binary('mul', 'a', 'b', kernels.mul),

    scale(a: Tensor, s: number, out?: Tensor): Tensor {
      const y = prepareOut('scale', out, a.shape, a.dtype);
      checkAlias('scale', y, 'a', a, true);
      kernels.scale(a.data, s, y.data, a.size);
      return y;
    },

    axpy(alpha: number, x: Tensor, y: Tensor): Tensor {
      sameSize('axpy', 'x', x, 'y', y);
      sameDtype('axpy', ['x', x], ['y', y]);
      checkAlias('axpy', y, 'x', x, true, 'y');
      kernels.axpy(alpha, x.data, y.data, y.size);
      return y;
    },

    sgdStep(w: Tensor, grad: Tensor, velocity: Tensor | undefined, options: SgdStepOptions): Tensor {
      sameSize('sgdStep', 'w', w, 'grad', grad);
      sameDtype('sgdStep', ['w', w], ['grad', grad]);
      checkAlias('sgdStep', w, 'grad', grad, false, 'w');
      if (velocity !== undefined) {
        sameSize('sgdStep', 'w', w, 'velocity', velocity);
        sameDtype('sgdStep', ['w', w], ['velocity', velocity]);
        checkAlias('sgdStep', w, 'velocity', velocity, false, 'w');
        checkAlias('sgdStep', velocity, 'grad', grad, false, 'velocity');
      }
      const { learningRate, momentum, weightDecay, nesterov } = options;
      kernels.sgdStep(w.data, grad.data, velocity?.data, w.size, learningRate, momentum, weightDecay, nesterov);
      return w;
    },

    fill(x: Tensor, value: number): Tensor {
      x.data.fill(value);
      return x;
    },

    sum: (x) => kernels.sum(x.data, x.size),
    sumOfSquares: (x) => kernels.sumOfSquares(x.data, x.size),
  };
}
