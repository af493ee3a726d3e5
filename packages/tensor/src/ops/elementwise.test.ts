import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../js-backend.js';
import { createRng } from '../rng.js';
import { Tensor } from '../tensor.js';
import { expectClose, randomTensor } from './test-helpers.js';

const backend = createJsBackend();
const inputs = [-50, -3, -1, -0.25, 0, 0.5, 2, 40];

/** Applies f to every value: the obvious per-element reference. */
function map(t: Tensor, f: (v: number, i: number) => number): number[] {
  return Array.from(t.data, f);
}

describe('activations', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const tol = dtype === 'float64' ? 1e-15 : 1e-7;
    const x = Tensor.from([2, 4], inputs, dtype);

    it(`sigmoid and its backward (${dtype})`, () => {
      const y = backend.sigmoid(x);
      expect(y.shape).toEqual([2, 4]);
      expect(y.dtype).toBe(dtype);
      expectClose(y.data, inputs.map((v) => 1 / (1 + Math.exp(-v))), tol);
      expect(y.data[0]).toBeGreaterThan(0);
      const dy = randomTensor(createRng(1), [2, 4], dtype);
      const dx = backend.sigmoidBackward(y, dy);
      expectClose(dx.data, map(y, (v, i) => dy.data[i]! * v * (1 - v)), tol);
    });

    it(`tanh and its backward (${dtype})`, () => {
      const y = backend.tanh(x);
      expectClose(y.data, inputs.map(Math.tanh), tol);
      const dy = randomTensor(createRng(2), [2, 4], dtype);
      expectClose(backend.tanhBackward(y, dy).data, map(y, (v, i) => dy.data[i]! * (1 - v * v)), tol);
    });

    it(`leakyRelu and its backward, slope 0 being ReLU (${dtype})`, () => {
      expectClose(backend.leakyRelu(x, 0).data, inputs.map((v) => Math.max(v, 0)), 0);
      expectClose(backend.leakyRelu(x, 0.1).data, inputs.map((v) => (v > 0 ? v : 0.1 * v)), tol);
      const dy = Tensor.from([2, 4], [1, 2, 3, 4, 5, 6, 7, 8], dtype);
      expectClose(backend.leakyReluBackward(x, 0.1, dy).data, [0.1, 0.2, 0.3, 0.4, 0.5, 6, 7, 8], tol);
      expectClose(backend.leakyReluBackward(x, 0, dy).data, [0, 0, 0, 0, 0, 6, 7, 8], 0);
    });
  }

  it('sigmoid is finite and correct at extreme inputs', () => {
    const y = backend.sigmoid(Tensor.from([4], [-1000, -30, 30, 1000], 'float64'));
    expect(y.data[0]).toBe(0);
    expect(y.data[3]).toBe(1);
    // Relative accuracy matters in the tiny tail, where 1 - sigmoid(30) would be all rounding.
    expect(Math.abs(y.data[1]! / (1 / (1 + Math.exp(30))) - 1)).toBeLessThan(1e-14);
    expect(y.data[2]).toBeCloseTo(1 / (1 + Math.exp(-30)), 15);
  });

  it('runs in place when out is the input', () => {
    const x = Tensor.from([3], [-1, 0, 2], 'float64');
    expect(backend.tanh(x, x)).toBe(x);
    expectClose(x.data, [Math.tanh(-1), 0, Math.tanh(2)], 1e-15);
    const y = Tensor.from([3], [0.5, 0.25, 0.75], 'float64');
    const dy = Tensor.from([3], [1, 2, 3], 'float64');
    expect(backend.sigmoidBackward(y, dy, dy)).toBe(dy);
    expectClose(dy.data, [0.25, 2 * 0.1875, 3 * 0.1875], 1e-15);
    const z = Tensor.from([2], [-2, 3]);
    backend.leakyRelu(z, 0.5, z);
    expect([...z.data]).toEqual([-1, 3]);
  });
});

describe('arithmetic', () => {
  const rng = createRng(3);
  const a = randomTensor(rng, [3, 5], 'float64');
  const b = randomTensor(rng, [3, 5], 'float64');

  it('add, sub, mul and scale match per-element arithmetic', () => {
    expect([...backend.add(a, b).data]).toEqual(map(a, (v, i) => v + b.data[i]!));
    expect([...backend.sub(a, b).data]).toEqual(map(a, (v, i) => v - b.data[i]!));
    expect([...backend.mul(a, b).data]).toEqual(map(a, (v, i) => v * b.data[i]!));
    expect([...backend.scale(a, -2.5).data]).toEqual(map(a, (v) => v * -2.5));
    expect(backend.add(a, b).shape).toEqual([3, 5]);
  });

  it('accepts operands of equal size but different shape, keeping the first shape', () => {
    const c = backend.add(Tensor.from([2, 3], [1, 2, 3, 4, 5, 6]), Tensor.from([6], [6, 5, 4, 3, 2, 1]));
    expect(c.shape).toEqual([2, 3]);
    expect([...c.data]).toEqual([7, 7, 7, 7, 7, 7]);
  });

  it('writes into out, which may be either operand', () => {
    const x = Tensor.from([3], [1, 2, 3]);
    const y = Tensor.from([3], [10, 20, 30]);
    const out = Tensor.zeros([3]);
    expect(backend.sub(y, x, out)).toBe(out);
    expect([...out.data]).toEqual([9, 18, 27]);
    backend.add(x, y, x);
    expect([...x.data]).toEqual([11, 22, 33]);
    backend.mul(x, y, y);
    expect([...y.data]).toEqual([110, 440, 990]);
    backend.scale(x, 2, x);
    expect([...x.data]).toEqual([22, 44, 66]);
    backend.add(x, x, x);
    expect([...x.data]).toEqual([44, 88, 132]);
  });

  it('axpy adds alpha * x into y in place', () => {
    const x = Tensor.from([4], [1, 2, 3, 4]);
    const y = Tensor.from([2, 2], [10, 10, 10, 10]);
    expect(backend.axpy(-0.5, x, y)).toBe(y);
    expect([...y.data]).toEqual([9.5, 9, 8.5, 8]);
    backend.axpy(1, y, y);
    expect([...y.data]).toEqual([19, 18, 17, 16]);
  });

  it('fill sets every value and returns the tensor', () => {
    const x = randomTensor(createRng(4), [2, 3]);
    expect(backend.fill(x, 0.25)).toBe(x);
    expect([...x.data]).toEqual([0.25, 0.25, 0.25, 0.25, 0.25, 0.25]);
  });

  it('sum and sumOfSquares accumulate in float64', () => {
    expect(backend.sum(Tensor.from([2, 2], [1, -2, 3.5, 4]))).toBe(6.5);
    expect(backend.sumOfSquares(Tensor.from([3], [1, -2, 3]))).toBe(14);
    expect(backend.sum(Tensor.zeros([0, 4]))).toBe(0);
    // 2^24 + 1 + 1 is not representable step by step in float32 (2^24 + 1 rounds back to 2^24).
    const big = Tensor.from([3], [2 ** 24, 1, 1]);
    expect(backend.sum(big)).toBe(2 ** 24 + 2);
    const x = randomTensor(createRng(5), [100, 10]);
    let expected = 0;
    for (const v of x.data) expected += v * v;
    expect(backend.sumOfSquares(x)).toBe(expected);
  });
});

describe('elementwise argument checks', () => {
  it('names both shapes when sizes differ', () => {
    expect(() => backend.add(Tensor.zeros([2, 3]), Tensor.zeros([4]))).toThrow(
      new RangeError('add: a is [2, 3] but b is [4]; both need the same number of values (6 vs 4)'),
    );
    expect(() => backend.sigmoidBackward(Tensor.zeros([2]), Tensor.zeros([3]))).toThrow(/sigmoidBackward: y is \[2\] but dy is \[3\]/);
    expect(() => backend.leakyReluBackward(Tensor.zeros([2]), 0, Tensor.zeros([3]))).toThrow(/leakyReluBackward: x is \[2\] but dy is \[3\]/);
    expect(() => backend.axpy(1, Tensor.zeros([2]), Tensor.zeros([3]))).toThrow(/axpy: x is \[2\] but y is \[3\]/);
  });

  it('rejects mixed dtypes and a wrongly sized out', () => {
    expect(() => backend.mul(Tensor.zeros([2]), Tensor.zeros([2], 'float64'))).toThrow(
      /mul: a is \[2\] float32 but b is \[2\] float64; all operands must share a dtype \(convert one with tensor.to\('float32'\)\)/,
    );
    expect(() => backend.tanh(Tensor.zeros([2, 2]), Tensor.zeros([3]))).toThrow(
      new RangeError('tanh: out is [3] (3 values) but the result is [2, 2] (4 values); pass an out of 4 values or omit it'),
    );
    expect(() => backend.scale(Tensor.zeros([2]), 2, Tensor.zeros([2], 'float64'))).toThrow(/scale: out is float64 but the operands are float32/);
  });

  it('rejects an out that partially overlaps an input', () => {
    const storage = Tensor.zeros([5]);
    const x = new Tensor([4], storage.data.subarray(0, 4));
    const shifted = new Tensor([4], storage.data.subarray(1, 5));
    expect(() => backend.sigmoid(x, shifted)).toThrow(
      /sigmoid: out overlaps x; out may be x itself but must not partially overlap it/,
    );
    expect(() => backend.axpy(1, x, shifted)).toThrow(/axpy: y overlaps x/);
    const disjoint = new Tensor([1], storage.data.subarray(4, 5));
    expect(() => backend.scale(new Tensor([1], storage.data.subarray(3, 4)), 2, disjoint)).not.toThrow();
  });
});
