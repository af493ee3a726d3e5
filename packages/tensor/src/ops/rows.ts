import { type FloatArray, type Tensor, formatShape } from '../tensor.js';
import { checkAlias, prepareOut, sameDtype, sameSize } from './checks.js';
import { defineFamily, is64 } from './family.js';

/**
 * The rows family. Reference: plain row-wise kernels on a row-major [rows, columns] matrix
 * stored in a typed array. Softmax kernels may run in place (`out` the same array as the input) because each row is
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

type Rowwise = (x: FloatArray, out: FloatArray, rows: number, columns: number) => void;

export interface RowsKernels {
  addRowVector(x: FloatArray, bias: FloatArray, out: FloatArray, rows: number, columns: number): void;
  sumRows: Rowwise;
  softmaxRows: Rowwise;
  logSoftmaxRows: Rowwise;
  softmaxBackward(y: FloatArray, dy: FloatArray, out: FloatArray, rows: number, columns: number): void;
  argmaxRows(x: FloatArray, out: Int32Array, rows: number, columns: number): void;
}

/** Row kernels see a tensor as its 2-D view [shape[0], product of the rest]. */
export interface RowsOps {
  /** x[n, m] + bias[m] broadcast over rows. `out` may be `x`. */
  addRowVector(x: Tensor, bias: Tensor, out?: Tensor): Tensor;
  /** Column sums: x[n, m] -> [m] (the bias gradient). */
  sumRows(x: Tensor, out?: Tensor): Tensor;
  /** Row-wise softmax, stable for any finite logits. `out` may be `x`. */
  softmaxRows(x: Tensor, out?: Tensor): Tensor;
  /** Row-wise log-softmax, stable for any finite logits. `out` may be `x`. */
  logSoftmaxRows(x: Tensor, out?: Tensor): Tensor;
  /** dx = y * (dy - sum(dy * y)) per row, given y = softmax(x). `out` may be `dy`. */
  softmaxBackward(y: Tensor, dy: Tensor, out?: Tensor): Tensor;
  /** Index of the largest value in each row. */
  argmaxRows(x: Tensor): Int32Array;
}

/** The module's exports this family binds (assembly/rows.ts). */
interface RowsExports {
  addRowVector(x: number, bias: number, out: number, rows: number, columns: number): void;
  sumRows(x: number, out: number, rows: number, columns: number): void;
}

export const rowsFamily = defineFamily<RowsKernels, RowsOps>({
  name: 'rows',
  reference: {
    addRowVector: addRowVectorKernel,
    sumRows: sumRowsKernel,
    softmaxRows: softmaxRowsKernel,
    logSoftmaxRows: logSoftmaxRowsKernel,
    softmaxBackward: softmaxBackwardKernel,
    argmaxRows: argmaxRowsKernel,
  },
  // Softmax and argmax on [batch, classes] stay in JS: too small for a round trip to pay.
  wasm: ({ exports, staging }, reference) => {
    const wasm = exports as RowsExports;
    return {
      addRowVector(x, bias, out, rows, columns) {
        if (is64(x)) return reference.addRowVector(x, bias, out, rows, columns);
        const s = staging.begin();
        const n = rows * columns;
        wasm.addRowVector(s.read(x, n), s.read(bias, columns), s.write(out, n), rows, columns);
        s.finish();
      },
      sumRows(x, out, rows, columns) {
        if (is64(x)) return reference.sumRows(x, out, rows, columns);
        const s = staging.begin();
        wasm.sumRows(s.read(x, rows * columns), s.write(out, columns), rows, columns);
        s.finish();
      },
    };
  },
  methods: (kernels) => {
    /** Row-wise out = f(x) on the 2-D view of x; out may be x. */
    const rowwise = (kernel: string, f: Rowwise) => (x: Tensor, out?: Tensor): Tensor => {
      const y = prepareOut(kernel, out, x.shape, x.dtype);
      checkAlias(kernel, y, 'x', x, true);
      f(x.data, y.data, x.rows, x.columns);
      return y;
    };
    return {
      addRowVector(x, bias, out) {
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
      sumRows(x, out) {
        const { rows, columns } = x;
        const y = prepareOut('sumRows', out, [columns], x.dtype);
        checkAlias('sumRows', y, 'x', x, false);
        kernels.sumRows(x.data, y.data, rows, columns);
        return y;
      },
      softmaxRows: rowwise('softmaxRows', kernels.softmaxRows),
      logSoftmaxRows: rowwise('logSoftmaxRows', kernels.logSoftmaxRows),
      softmaxBackward(y, dy, out) {
        sameSize('softmaxBackward', 'y', y, 'dy', dy);
        const dtype = sameDtype('softmaxBackward', ['y', y], ['dy', dy]);
        const dx = prepareOut('softmaxBackward', out, dy.shape, dtype);
        checkAlias('softmaxBackward', dx, 'y', y, true);
        checkAlias('softmaxBackward', dx, 'dy', dy, true);
        kernels.softmaxBackward(y.data, dy.data, dx.data, y.rows, y.columns);
        return dx;
      },
      argmaxRows(x) {
        const { rows, columns } = x;
        if (columns === 0 && rows > 0) {
          throw new RangeError(`argmaxRows: x is ${formatShape(x.shape)}; rows have no values to choose from`);
        }
        const out = new Int32Array(rows);
        kernels.argmaxRows(x.data, out, rows, columns);
        return out;
      },
    };
  },
});
