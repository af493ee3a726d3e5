/**
 * A dense, row-major tensor: a shape and a flat typed array.
 *
 * float32 is the training dtype; float64 exists so gradient checks can use finite differences
 * without drowning in rounding error. Shapes include the batch dimension when a tensor holds a
 * batch (`[n, features]`); plugin `outputShape` functions work on per-sample shapes.
 */
export type Shape = readonly number[];
export type DType = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;

export function shapeSize(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function allocate(dtype: DType, size: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

export class Tensor {
  readonly shape: Shape;
  readonly data: FloatArray;

  constructor(shape: Shape, data: FloatArray) {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new RangeError(`invalid tensor shape ${formatShape(shape)}`);
    }
    if (shapeSize(shape) !== data.length) {
      throw new RangeError(`shape ${formatShape(shape)} needs ${shapeSize(shape)} values, data has ${data.length}`);
    }
    this.shape = Object.freeze([...shape]);
    this.data = data;
  }

  static zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
    return new Tensor(shape, allocate(dtype, shapeSize(shape)));
  }

  static from(shape: Shape, values: ArrayLike<number>, dtype: DType = 'float32'): Tensor {
    const data = allocate(dtype, values.length);
    data.set(values);
    return new Tensor(shape, data);
  }

  get dtype(): DType {
    return this.data instanceof Float64Array ? 'float64' : 'float32';
  }

  get size(): number {
    return this.data.length;
  }

  /** Rows of a batch tensor: the first dimension. */
  get rows(): number {
    return this.shape[0] ?? 1;
  }

  /** Values per row: the product of every dimension after the first. */
  get columns(): number {
    // From the shape, not data.length / rows, so an empty batch [0, m] still has m columns.
    return shapeSize(this.shape.slice(1));
  }

  /** Same data, new shape (no copy). */
  reshape(shape: Shape): Tensor {
    return new Tensor(shape, this.data);
  }

  clone(): Tensor {
    return new Tensor(this.shape, this.data.slice());
  }

  /** A copy in another dtype (or a plain copy for the same dtype). */
  to(dtype: DType): Tensor {
    const data = allocate(dtype, this.data.length);
    data.set(this.data);
    return new Tensor(this.shape, data);
  }

  /** Rows [start, end) of a batch tensor as a view sharing memory. */
  sliceRows(start: number, end: number): Tensor {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > this.rows) {
      throw new RangeError(
        `sliceRows(${start}, ${end}) is out of range for a tensor of shape ${formatShape(this.shape)}; ` +
          `need integers 0 <= start <= end <= ${this.rows}`,
      );
    }
    const columns = this.columns;
    const data = this.data.subarray(start * columns, end * columns);
    return new Tensor([end - start, ...this.shape.slice(1)], data);
  }
}
