import { describe, expect, it } from 'vitest';
import { Tensor, allocate, formatShape, shapeSize, shapesEqual } from './tensor.js';

describe('shape helpers', () => {
  it('computes sizes, compares and formats shapes', () => {
    expect(shapeSize([2, 3, 4])).toBe(24);
    expect(shapeSize([])).toBe(1);
    expect(shapeSize([5, 0])).toBe(0);
    expect(shapesEqual([2, 3], [2, 3])).toBe(true);
    expect(shapesEqual([2, 3], [3, 2])).toBe(false);
    expect(shapesEqual([6], [6, 1])).toBe(false);
    expect(formatShape([28, 28, 1])).toBe('[28, 28, 1]');
    expect(allocate('float64', 3)).toBeInstanceOf(Float64Array);
    expect(allocate('float32', 3)).toBeInstanceOf(Float32Array);
  });
});

describe('Tensor', () => {
  it('checks that the shape matches the data', () => {
    expect(() => new Tensor([2, 3], new Float32Array(5))).toThrow(new RangeError('shape [2, 3] needs 6 values, data has 5'));
    expect(() => new Tensor([2, -3], new Float32Array(6))).toThrow(new RangeError('invalid tensor shape [2, -3]'));
    expect(() => new Tensor([1.5], new Float32Array(1))).toThrow(/invalid tensor shape \[1.5\]/);
    expect(() => Tensor.from([2, 2], [1, 2, 3])).toThrow(/shape \[2, 2\] needs 4 values, data has 3/);
  });

  it('copies and freezes the shape', () => {
    const shape = [2, 3];
    const t = Tensor.zeros(shape);
    shape[0] = 7;
    expect(t.shape).toEqual([2, 3]);
    expect(Object.isFrozen(t.shape)).toBe(true);
  });

  it('creates zeros and copies of values in either dtype', () => {
    const z = Tensor.zeros([2, 2]);
    expect(z.dtype).toBe('float32');
    expect([...z.data]).toEqual([0, 0, 0, 0]);
    const values = [0.1, 2, 3];
    const f = Tensor.from([3], values, 'float64');
    expect(f.dtype).toBe('float64');
    expect([...f.data]).toEqual(values);
    expect(Tensor.from([3], values).data[0]).toBe(Math.fround(0.1));
  });

  it('reports size, rows and columns of its 2-D view', () => {
    const t = Tensor.zeros([4, 3, 5]);
    expect([t.size, t.rows, t.columns]).toEqual([60, 4, 15]);
    const scalar = Tensor.zeros([]);
    expect([scalar.size, scalar.rows, scalar.columns]).toEqual([1, 1, 1]);
    const vector = Tensor.zeros([7]);
    expect([vector.rows, vector.columns]).toEqual([7, 1]);
    const empty = Tensor.zeros([0, 5]);
    expect([empty.size, empty.rows, empty.columns]).toEqual([0, 0, 5]);
  });

  it('reshape shares data and checks the size', () => {
    const t = Tensor.from([2, 3], [1, 2, 3, 4, 5, 6]);
    const r = t.reshape([3, 2]);
    expect(r.shape).toEqual([3, 2]);
    expect(r.data).toBe(t.data);
    r.data[0] = 42;
    expect(t.data[0]).toBe(42);
    expect(() => t.reshape([4, 2])).toThrow(/shape \[4, 2\] needs 8 values, data has 6/);
  });

  it('clone copies data', () => {
    const t = Tensor.from([2], [1, 2]);
    const c = t.clone();
    c.data[0] = 9;
    expect(t.data[0]).toBe(1);
    expect(c.shape).toEqual([2]);
  });

  it('to() converts dtype into a new buffer', () => {
    const t = Tensor.from([3], [0.1, -2, 1e-3], 'float64');
    const f32 = t.to('float32');
    expect(f32.dtype).toBe('float32');
    expect(f32.shape).toEqual([3]);
    expect([...f32.data]).toEqual([0.1, -2, 1e-3].map(Math.fround));
    const back = f32.to('float64');
    expect([...back.data]).toEqual([...f32.data]);
    const same = t.to('float64');
    expect(same.data).not.toBe(t.data);
    same.data[0] = 5;
    expect(t.data[0]).toBe(0.1);
  });

  it('sliceRows returns a view sharing memory', () => {
    const t = Tensor.from([4, 2, 2], Array.from({ length: 16 }, (_, i) => i));
    const s = t.sliceRows(1, 3);
    expect(s.shape).toEqual([2, 2, 2]);
    expect([...s.data]).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    s.data[0] = -1;
    expect(t.data[4]).toBe(-1);
    expect(s.data.buffer).toBe(t.data.buffer);
    expect(t.sliceRows(4, 4).shape).toEqual([0, 2, 2]);
    expect(t.sliceRows(0, 4).size).toBe(16);
  });

  it('sliceRows rejects out-of-range rows', () => {
    const t = Tensor.zeros([3, 2]);
    expect(() => t.sliceRows(2, 5)).toThrow(
      new RangeError('sliceRows(2, 5) is out of range for a tensor of shape [3, 2]; need integers 0 <= start <= end <= 3'),
    );
    expect(() => t.sliceRows(2, 1)).toThrow(/sliceRows\(2, 1\) is out of range/);
    expect(() => t.sliceRows(-1, 1)).toThrow(/out of range/);
    expect(() => t.sliceRows(0.5, 1)).toThrow(/out of range/);
  });
});
