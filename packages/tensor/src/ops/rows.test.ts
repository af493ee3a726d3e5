import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../js-backend.js';
import { createRng } from '../rng.js';
import { Tensor } from '../tensor.js';
import { expectClose, randomTensor } from './test-helpers.js';

const backend = createJsBackend();

describe('addRowVector and sumRows', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`adds the bias to every row and sums columns (${dtype})`, () => {
      const x = Tensor.from([3, 2], [1, 2, 3, 4, 5, 6], dtype);
      const bias = Tensor.from([2], [10, -1], dtype);
      const y = backend.addRowVector(x, bias);
      expect(y.shape).toEqual([3, 2]);
      expect([...y.data]).toEqual([11, 1, 13, 3, 15, 5]);
      const s = backend.sumRows(x);
      expect(s.shape).toEqual([2]);
      expect(s.dtype).toBe(dtype);
      expect([...s.data]).toEqual([9, 12]);
    });
  }

  it('treats higher-rank tensors as [shape[0], rest] and handles single rows and columns', () => {
    const x = randomTensor(createRng(1), [4, 3, 5], 'float64');
    const bias = randomTensor(createRng(2), [15], 'float64');
    const y = backend.addRowVector(x, bias);
    expect(y.shape).toEqual([4, 3, 5]);
    expectClose(y.data, Array.from(x.data, (v, i) => v + bias.data[i % 15]!), 1e-15);
    const sums = backend.sumRows(x);
    expect(sums.shape).toEqual([15]);
    const expected = Array.from({ length: 15 }, (_, c) => [0, 1, 2, 3].reduce((t, r) => t + x.data[r * 15 + c]!, 0));
    expectClose(sums.data, expected, 1e-15);
    expect([...backend.sumRows(Tensor.from([1, 3], [1, 2, 3])).data]).toEqual([1, 2, 3]);
    expect([...backend.sumRows(Tensor.from([3, 1], [1, 2, 3])).data]).toEqual([6]);
    expect([...backend.sumRows(Tensor.zeros([0, 3])).data]).toEqual([0, 0, 0]);
  });

  it('addRowVector may run in place on x, sumRows writes into out', () => {
    const x = Tensor.from([2, 2], [1, 2, 3, 4]);
    expect(backend.addRowVector(x, Tensor.from([2], [1, 1]), x)).toBe(x);
    expect([...x.data]).toEqual([2, 3, 4, 5]);
    const out = Tensor.from([2], [99, 99]);
    expect(backend.sumRows(x, out)).toBe(out);
    expect([...out.data]).toEqual([6, 8]);
  });

  it('rejects a bias of the wrong length, an aliased bias and an aliased sumRows out', () => {
    expect(() => backend.addRowVector(Tensor.zeros([3, 4]), Tensor.zeros([3]))).toThrow(
      new RangeError('addRowVector: x is [3, 4] (4 columns) but bias is [3] (3 values); bias needs one value per column'),
    );
    const x = Tensor.zeros([2, 2]);
    const bias = new Tensor([2], x.data.subarray(0, 2));
    expect(() => backend.addRowVector(x, bias, x)).toThrow(/addRowVector: out overlaps bias; out must not share memory with bias/);
    expect(() => backend.sumRows(x, new Tensor([2], x.data.subarray(2, 4)))).toThrow(/sumRows: out overlaps x/);
    expect(() => backend.sumRows(x, Tensor.zeros([4]))).toThrow(/sumRows: out is \[4\] \(4 values\) but the result is \[2\] \(2 values\)/);
  });
});

describe('softmaxRows and logSoftmaxRows', () => {
  it('matches the textbook formula on a hand-checked row', () => {
    const x = Tensor.from([1, 3], [1, 2, 3], 'float64');
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expectClose(backend.softmaxRows(x).data, [Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z], 1e-15);
    expectClose(backend.logSoftmaxRows(x).data, [1 - Math.log(z), 2 - Math.log(z), 3 - Math.log(z)], 1e-15);
    expect([...backend.softmaxRows(Tensor.from([2, 1], [5, -7])).data]).toEqual([1, 1]);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`is finite at logits of +/-1e4 and rows sum to 1 (${dtype})`, () => {
      const x = Tensor.from([3, 4], [1e4, -1e4, 0, 1e4 - 1, -1e4, -1e4 + 2, -1e4 + 1, -1e4, 1e4, 1e4, 1e4, 1e4], dtype);
      const p = backend.softmaxRows(x);
      const logP = backend.logSoftmaxRows(x);
      for (const v of [...p.data, ...logP.data]) expect(Number.isFinite(v)).toBe(true);
      for (let r = 0; r < 3; r++) {
        const row = p.data.subarray(r * 4, r * 4 + 4);
        expect(Array.from(row).reduce((t, v) => t + v, 0)).toBeCloseTo(1, 6);
        // log-softmax agrees with log(softmax) wherever softmax has not underflowed.
        for (let c = 0; c < 4; c++) if (row[c]! > 1e-30) expect(logP.data[r * 4 + c]).toBeCloseTo(Math.log(row[c]!), 5);
      }
      const tolerance = dtype === 'float64' ? 1e-12 : 1e-6;
      const e = 1 / (1 + Math.exp(-1));
      expectClose(p.data.subarray(0, 4), [e, 0, 0, 1 - e], tolerance);
      expectClose(logP.data.subarray(0, 4), [Math.log(e), -2e4 + Math.log(e), -1e4 + Math.log(e), Math.log(1 - e)], tolerance);
      expectClose(p.data.subarray(8, 12), [0.25, 0.25, 0.25, 0.25], tolerance);
    });
  }

  it('is unchanged by adding a constant to a row and runs in place', () => {
    const x = randomTensor(createRng(3), [5, 7], 'float64');
    const shifted = Tensor.from([5, 7], Array.from(x.data, (v) => v + 300), 'float64');
    const p = backend.softmaxRows(x);
    expectClose(backend.softmaxRows(shifted).data, p.data, 1e-13);
    const logP = backend.logSoftmaxRows(x);
    expectClose(logP.data, Array.from(p.data, Math.log), 1e-13);
    expect(backend.softmaxRows(shifted, shifted)).toBe(shifted);
    expectClose(shifted.data, p.data, 1e-13);
    const y = x.clone();
    backend.logSoftmaxRows(y, y);
    expectClose(y.data, logP.data, 0);
  });
});

describe('softmaxBackward', () => {
  it('equals the transposed finite-difference Jacobian times dy', () => {
    const rows = 3;
    const columns = 5;
    const rng = createRng(4);
    const x = randomTensor(rng, [rows, columns], 'float64');
    const dy = randomTensor(rng, [rows, columns], 'float64');
    const y = backend.softmaxRows(x);
    const dx = backend.softmaxBackward(y, dy);
    const h = 1e-5;
    const expected: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < columns; j++) {
        // Column j of this row's Jacobian: d softmax(x_r) / d x_rj by central differences.
        const plus = x.clone();
        const minus = x.clone();
        plus.data[r * columns + j]! += h;
        minus.data[r * columns + j]! -= h;
        const yPlus = backend.softmaxRows(plus).data;
        const yMinus = backend.softmaxRows(minus).data;
        let total = 0;
        for (let i = 0; i < columns; i++) {
          const jacobian = (yPlus[r * columns + i]! - yMinus[r * columns + i]!) / (2 * h);
          total += jacobian * dy.data[r * columns + i]!;
        }
        expected.push(total);
      }
    }
    expectClose(dx.data, expected, 1e-8);
  });

  it('may write into dy or y', () => {
    const rng = createRng(5);
    const y = backend.softmaxRows(randomTensor(rng, [2, 3], 'float64'));
    const dy = randomTensor(rng, [2, 3], 'float64');
    const expected = backend.softmaxBackward(y, dy);
    const dyCopy = dy.clone();
    expect(backend.softmaxBackward(y, dyCopy, dyCopy)).toBe(dyCopy);
    expectClose(dyCopy.data, expected.data, 0);
    const yCopy = y.clone();
    backend.softmaxBackward(yCopy, dy, yCopy);
    expectClose(yCopy.data, expected.data, 0);
  });

  it('rejects mismatched sizes and dtypes', () => {
    expect(() => backend.softmaxBackward(Tensor.zeros([2, 3]), Tensor.zeros([3, 3]))).toThrow(
      new RangeError('softmaxBackward: y is [2, 3] but dy is [3, 3]; both need the same number of values (6 vs 9)'),
    );
    expect(() => backend.softmaxBackward(Tensor.zeros([2]), Tensor.zeros([2], 'float64'))).toThrow(/softmaxBackward: y is \[2\] float32 but dy is \[2\] float64/);
  });
});

describe('argmaxRows', () => {
  it('returns the first index of each row maximum', () => {
    const x = Tensor.from([4, 3], [0.1, 0.7, 0.2, 5, -1, 5, -3, -2, -1, 2, 2, 2]);
    expect([...backend.argmaxRows(x)]).toEqual([1, 0, 2, 0]);
    expect(backend.argmaxRows(x)).toBeInstanceOf(Int32Array);
    expect([...backend.argmaxRows(Tensor.from([2, 1], [4, 5]))]).toEqual([0, 0]);
  });

  it('skips NaN and sees through higher-rank views', () => {
    expect([...backend.argmaxRows(Tensor.from([2, 3], [Number.NaN, 1, 2, 1, Number.NaN, 0]))]).toEqual([2, 0]);
    expect([...backend.argmaxRows(Tensor.from([1, 2, 2], [1, 2, 9, 3]))]).toEqual([2]);
  });

  it('rejects rows with no values', () => {
    expect(() => backend.argmaxRows(Tensor.zeros([3, 0]))).toThrow(/argmaxRows: x is \[3, 0\]; rows have no values/);
    expect(backend.argmaxRows(Tensor.zeros([0, 4])).length).toBe(0);
  });
});
