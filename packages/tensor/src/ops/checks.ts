import type { MatmulOptions } from './matmul.js';
import { type DType, type FloatArray, type Shape, Tensor, formatShape, shapeSize } from '../tensor.js';

/**
 * O(1)-ish argument checks shared by the JS backend's tensor-level wrappers. Every message names
 * the kernel, says what was expected versus found, and how to fix it.
 */

export function describeTensor(t: Tensor): string {
  return `${formatShape(t.shape)} ${t.dtype}`;
}

/** Throws unless every named tensor has the same dtype; returns that dtype. */
export function sameDtype(kernel: string, ...named: ReadonlyArray<readonly [string, Tensor]>): DType {
  const [firstName, first] = named[0]!;
  for (const [name, t] of named) {
    if (t.dtype !== first.dtype) {
      throw new RangeError(
        `${kernel}: ${firstName} is ${describeTensor(first)} but ${name} is ${describeTensor(t)}; ` +
          `all operands must share a dtype (convert one with tensor.to('${first.dtype}'))`,
      );
    }
  }
  return first.dtype;
}

/** Throws unless two tensors hold the same number of values. */
export function sameSize(kernel: string, nameA: string, a: Tensor, nameB: string, b: Tensor): void {
  if (a.size !== b.size) {
    throw new RangeError(
      `${kernel}: ${nameA} is ${formatShape(a.shape)} but ${nameB} is ${formatShape(b.shape)}; ` +
        `both need the same number of values (${a.size} vs ${b.size})`,
    );
  }
}

function overlaps(p: FloatArray, q: FloatArray): boolean {
  return (
    p.buffer === q.buffer &&
    p.length > 0 &&
    q.length > 0 &&
    p.byteOffset < q.byteOffset + q.byteLength &&
    q.byteOffset < p.byteOffset + p.byteLength
  );
}

function sameView(p: FloatArray, q: FloatArray): boolean {
  return p.buffer === q.buffer && p.byteOffset === q.byteOffset && p.length === q.length;
}

/**
 * Throws if `out` shares memory with `input`. With `mayBeSame`, `out` may be exactly the
 * input's memory (in-place), but a partial overlap is still an error because it would read
 * values the kernel has already overwritten.
 */
export function checkAlias(
  kernel: string,
  out: Tensor,
  name: string,
  input: Tensor,
  mayBeSame: boolean,
  outName = 'out',
): void {
  if (!overlaps(out.data, input.data)) return;
  if (mayBeSame && sameView(out.data, input.data)) return;
  const allowed = mayBeSame
    ? `${outName} may be ${name} itself but must not partially overlap it`
    : `${outName} must not share memory with ${name}`;
  throw new RangeError(`${kernel}: ${outName} overlaps ${name}; ${allowed} (use a separate tensor)`);
}

/** Throws unless `shape` has non-negative integer dimensions and `dtype` is a known one. */
export function checkShapeAndDtype(kernel: string, shape: Shape, dtype: DType): void {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    const shown = Array.isArray(shape) ? formatShape(shape) : JSON.stringify(shape);
    throw new RangeError(`${kernel}: shape ${shown} is invalid; every dimension must be an integer >= 0`);
  }
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new RangeError(`${kernel}: dtype ${JSON.stringify(dtype)} is not supported; use 'float32' or 'float64'`);
  }
}

/**
 * Returns `out` after checking its size and dtype, or a new zeroed tensor of `shape`.
 */
export function prepareOut(kernel: string, out: Tensor | undefined, shape: Shape, dtype: DType): Tensor {
  if (out === undefined) return Tensor.zeros(shape, dtype);
  const size = shapeSize(shape);
  if (out.size !== size) {
    throw new RangeError(
      `${kernel}: out is ${formatShape(out.shape)} (${out.size} values) but the result is ` +
        `${formatShape(shape)} (${size} values); pass an out of ${size} values or omit it`,
    );
  }
  if (out.dtype !== dtype) {
    throw new RangeError(`${kernel}: out is ${out.dtype} but the operands are ${dtype}; pass a ${dtype} out or omit it`);
  }
  return out;
}

/** The sizes and flags of C[m, n] (+)= op(A)·op(B), after checking the inner dimensions agree. */
export interface MatmulDims {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly accumulate: boolean;
}

export function matmulDims(a: Tensor, b: Tensor, options: MatmulOptions): MatmulDims {
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
  return { m, n, k: kA, transposeA, transposeB, accumulate: options.accumulate ?? false };
}

/** Checks dtypes and aliasing of a matmul and returns its C [m, n] (`out`, or a new tensor). */
export function prepareMatmulOut(a: Tensor, b: Tensor, m: number, n: number, out: Tensor | undefined): Tensor {
  const dtype = sameDtype('matmul', ['A', a], ['B', b]);
  const c = prepareOut('matmul', out, [m, n], dtype);
  checkAlias('matmul', c, 'A', a, false);
  checkAlias('matmul', c, 'B', b, false);
  return c;
}
