import type { Backend, MatmulOptions } from './backend.js';
import { type Tensor, formatShape } from './tensor.js';
import { checkAlias, prepareOut, sameDtype, sameSize } from './js/checks.js';
import { matmulKernel } from './js/matmul.js';
import * as ew from './js/elementwise.js';
import * as rw from './js/rows.js';

/**
 * The readable reference backend: plain loops over typed arrays. Each method checks its
 * arguments (O(1): sizes, dtypes, `out`, aliasing) and hands typed arrays and sizes to a plain
 * kernel in src/js/, so a faster backend can be compared kernel by kernel.
 *
 * Elementwise kernels accept `out` equal to any of their inputs (in place); a partial overlap is
 * always rejected.
 */
export function createJsBackend(): Backend {
  return {
    name: 'js',
    matmul,
    addRowVector,
    sumRows,
    sigmoid: unary('sigmoid', ew.sigmoidKernel),
    sigmoidBackward: binary('sigmoidBackward', 'y', 'dy', ew.sigmoidBackwardKernel),
    tanh: unary('tanh', ew.tanhKernel),
    tanhBackward: binary('tanhBackward', 'y', 'dy', ew.tanhBackwardKernel),
    leakyRelu,
    leakyReluBackward,
    softmaxRows: rowwise('softmaxRows', rw.softmaxRowsKernel),
    logSoftmaxRows: rowwise('logSoftmaxRows', rw.logSoftmaxRowsKernel),
    softmaxBackward,
    argmaxRows,
    add: binary('add', 'a', 'b', ew.addKernel),
    sub: binary('sub', 'a', 'b', ew.subKernel),
    mul: binary('mul', 'a', 'b', ew.mulKernel),
    scale,
    axpy,
    fill,
    sum: (x) => ew.sumKernel(x.data, x.size),
    sumOfSquares: (x) => ew.sumOfSquaresKernel(x.data, x.size),
  };
}

function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}, out?: Tensor): Tensor {
  const transposeA = options.transposeA ?? false;
  const transposeB = options.transposeB ?? false;
  // Each operand is its 2-D view [rows, columns]; a transposed one is stored the other way round.
  const [m, kA] = transposeA ? [a.columns, a.rows] : [a.rows, a.columns];
  const [kB, n] = transposeB ? [b.columns, b.rows] : [b.rows, b.columns];
  if (kA !== kB) {
    const ops = `${transposeA ? 'Aᵀ' : 'A'}·${transposeB ? 'Bᵀ' : 'B'}`;
    throw new RangeError(
      `matmul: A is ${formatShape(a.shape)} but B is ${formatShape(b.shape)}; inner dimensions ${kA} and ${kB} ` +
        `differ (computing ${ops}, A viewed as [${a.rows}, ${a.columns}], B as [${b.rows}, ${b.columns}])`,
    );
  }
  const dtype = sameDtype('matmul', ['A', a], ['B', b]);
  const c = prepareOut('matmul', out, [m, n], dtype);
  checkAlias('matmul', c, 'A', a, false);
  checkAlias('matmul', c, 'B', b, false);
  matmulKernel(a.data, b.data, c.data, m, n, kA, transposeA, transposeB, options.accumulate ?? false);
  return c;
}

function addRowVector(x: Tensor, bias: Tensor, out?: Tensor): Tensor {
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
  rw.addRowVectorKernel(x.data, bias.data, y.data, rows, columns);
  return y;
}

function sumRows(x: Tensor, out?: Tensor): Tensor {
  const { rows, columns } = x;
  const y = prepareOut('sumRows', out, [columns], x.dtype);
  checkAlias('sumRows', y, 'x', x, false);
  rw.sumRowsKernel(x.data, y.data, rows, columns);
  return y;
}

type UnaryKernel = (x: Tensor['data'], out: Tensor['data'], n: number) => void;
type BinaryKernel = (a: Tensor['data'], b: Tensor['data'], out: Tensor['data'], n: number) => void;
type RowKernel = (x: Tensor['data'], out: Tensor['data'], rows: number, columns: number) => void;

/** out = f(x) elementwise; out may be x. */
function unary(kernel: string, f: UnaryKernel) {
  return (x: Tensor, out?: Tensor): Tensor => {
    const y = prepareOut(kernel, out, x.shape, x.dtype);
    checkAlias(kernel, y, 'x', x, true);
    f(x.data, y.data, x.size);
    return y;
  };
}

/** out = f(a, b) elementwise over equal-size operands; out may be a or b. */
function binary(kernel: string, nameA: string, nameB: string, f: BinaryKernel) {
  return (a: Tensor, b: Tensor, out?: Tensor): Tensor => {
    sameSize(kernel, nameA, a, nameB, b);
    const dtype = sameDtype(kernel, [nameA, a], [nameB, b]);
    const y = prepareOut(kernel, out, a.shape, dtype);
    checkAlias(kernel, y, nameA, a, true);
    checkAlias(kernel, y, nameB, b, true);
    f(a.data, b.data, y.data, a.size);
    return y;
  };
}

/** Row-wise out = f(x) on the 2-D view of x; out may be x. */
function rowwise(kernel: string, f: RowKernel) {
  return (x: Tensor, out?: Tensor): Tensor => {
    const { rows, columns } = x;
    const y = prepareOut(kernel, out, x.shape, x.dtype);
    checkAlias(kernel, y, 'x', x, true);
    f(x.data, y.data, rows, columns);
    return y;
  };
}

function leakyRelu(x: Tensor, slope: number, out?: Tensor): Tensor {
  const y = prepareOut('leakyRelu', out, x.shape, x.dtype);
  checkAlias('leakyRelu', y, 'x', x, true);
  ew.leakyReluKernel(x.data, slope, y.data, x.size);
  return y;
}

function leakyReluBackward(x: Tensor, slope: number, dy: Tensor, out?: Tensor): Tensor {
  sameSize('leakyReluBackward', 'x', x, 'dy', dy);
  const dtype = sameDtype('leakyReluBackward', ['x', x], ['dy', dy]);
  const dx = prepareOut('leakyReluBackward', out, dy.shape, dtype);
  checkAlias('leakyReluBackward', dx, 'x', x, true);
  checkAlias('leakyReluBackward', dx, 'dy', dy, true);
  ew.leakyReluBackwardKernel(x.data, slope, dy.data, dx.data, x.size);
  return dx;
}

function softmaxBackward(y: Tensor, dy: Tensor, out?: Tensor): Tensor {
  sameSize('softmaxBackward', 'y', y, 'dy', dy);
  const dtype = sameDtype('softmaxBackward', ['y', y], ['dy', dy]);
  const { rows, columns } = y;
  const dx = prepareOut('softmaxBackward', out, dy.shape, dtype);
  checkAlias('softmaxBackward', dx, 'y', y, true);
  checkAlias('softmaxBackward', dx, 'dy', dy, true);
  rw.softmaxBackwardKernel(y.data, dy.data, dx.data, rows, columns);
  return dx;
}

function argmaxRows(x: Tensor): Int32Array {
  const { rows, columns } = x;
  if (columns === 0 && rows > 0) {
    throw new RangeError(`argmaxRows: x is ${formatShape(x.shape)}; rows have no values to choose from`);
  }
  const out = new Int32Array(rows);
  rw.argmaxRowsKernel(x.data, out, rows, columns);
  return out;
}

function scale(a: Tensor, s: number, out?: Tensor): Tensor {
  const y = prepareOut('scale', out, a.shape, a.dtype);
  checkAlias('scale', y, 'a', a, true);
  ew.scaleKernel(a.data, s, y.data, a.size);
  return y;
}

function axpy(alpha: number, x: Tensor, y: Tensor): Tensor {
  sameSize('axpy', 'x', x, 'y', y);
  sameDtype('axpy', ['x', x], ['y', y]);
  checkAlias('axpy', y, 'x', x, true, 'y');
  ew.axpyKernel(alpha, x.data, y.data, y.size);
  return y;
}

function fill(x: Tensor, value: number): Tensor {
  x.data.fill(value);
  return x;
}
