import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../js-backend.js';
import { type Rng, createRng } from '../rng.js';
import { type DType, type Shape, Tensor } from '../tensor.js';
import { expectClose, randomTensor } from './test-helpers.js';

const backend = createJsBackend();

/** Channel ch's values of x [n, c, ...] (x's second axis is the channel axis). */
function channel(x: Tensor, ch: number): number[] {
  const [n, c] = x.shape as [number, number];
  const s = x.size / (n * c);
  const values: number[] = [];
  for (let b = 0; b < n; b++) values.push(...x.data.subarray((b * c + ch) * s, (b * c + ch + 1) * s));
  return values;
}

const dot = (a: Tensor, b: Tensor): number => Array.from(a.data).reduce((t, v, i) => t + v * b.data[i]!, 0);
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
const biasedVariance = (values: number[]): number => mean(values.map((v) => (v - mean(values)) ** 2));

/** y by the definition, channel by channel. */
function naiveNormalise(x: Tensor, mu: number[], variance: number[], gamma: number[], beta: number[], epsilon: number): number[] {
  const [n, c] = x.shape as [number, number];
  const s = x.size / (n * c);
  return Array.from(x.data, (v, i) => {
    const ch = Math.floor(i / s) % c;
    return ((v - mu[ch]!) / Math.sqrt(variance[ch]! + epsilon)) * gamma[ch]! + beta[ch]!;
  });
}

interface Operands {
  readonly x: Tensor;
  readonly gamma: Tensor;
  readonly beta: Tensor;
  readonly dy: Tensor;
}

function operands(rng: Rng, shape: Shape, dtype: DType = 'float64'): Operands {
  const c = shape[1]!;
  const x = randomTensor(rng, shape, dtype);
  // A per-channel offset and scale, so statistics are not all near (0, 1/3).
  for (let i = 0; i < x.size; i++) x.data[i] = x.data[i]! * (1 + (i % 3)) + 0.5 * (Math.floor(i / 7) % c);
  const gamma = randomTensor(rng, [c], dtype);
  const beta = randomTensor(rng, [c], dtype);
  return { x, gamma, beta, dy: randomTensor(rng, shape, dtype) };
}

/** [n, c, h, w] images, [n, features] and 3-D [n, c, l]: odd sizes, channels not a multiple of 4. */
const shapes: readonly Shape[] = [[4, 3, 5, 5], [3, 5, 2, 3], [2, 6, 1, 7], [7, 5], [2, 9], [5, 4, 3], [2, 1, 1, 1]];
const epsilon = 1e-5;

describe('batchNormStatistics and batchNorm', () => {
  it('normalise a hand-checked [2, 2] batch per feature', () => {
    const x = Tensor.from([2, 2], [1, 2, 3, 6], 'float64');
    const stats = backend.batchNormStatistics(x);
    expect([...stats.mean.data]).toEqual([2, 4]);
    expect([...stats.variance.data]).toEqual([1, 4]);
    const y = backend.batchNorm(x, stats, Tensor.from([2], [1, 2], 'float64'), Tensor.from([2], [0, 10], 'float64'), 0);
    expect([...y.data]).toEqual([-1, 8, 1, 12]);
  });

  for (const dtype of ['float64', 'float32'] as DType[]) {
    it(`match the definition on images, features and odd sizes (${dtype})`, () => {
      const rng = createRng(11);
      const tolerance = dtype === 'float64' ? 1e-12 : 2e-6;
      for (const shape of shapes) {
        const { x, gamma, beta } = operands(rng, shape, dtype);
        const c = shape[1]!;
        const stats = backend.batchNormStatistics(x);
        expect(stats.mean.shape).toEqual([c]);
        expect(stats.mean.dtype).toBe(dtype);
        const mu = Array.from({ length: c }, (_, ch) => mean(channel(x, ch)));
        const variance = Array.from({ length: c }, (_, ch) => biasedVariance(channel(x, ch)));
        expectClose(stats.mean.data, mu, tolerance);
        expectClose(stats.variance.data, variance, tolerance);
        const y = backend.batchNorm(x, stats, gamma, beta, epsilon);
        expect(y.shape).toEqual(shape);
        expectClose(y.data, naiveNormalise(x, [...stats.mean.data], [...stats.variance.data], [...gamma.data], [...beta.data], epsilon), tolerance);
      }
    });
  }

  it('use the float64 two-pass variance, exact where one pass would cancel', () => {
    const x = Tensor.from([4, 1], [1e8 + 1, 1e8 + 2, 1e8 + 3, 1e8 + 4], 'float64');
    expect([...backend.batchNormStatistics(x).variance.data]).toEqual([1.25]);
  });

  it('write into the given statistics and output; batchNorm may run in place', () => {
    const { x, gamma, beta } = operands(createRng(2), [3, 2, 2, 2]);
    const out = { mean: Tensor.zeros([2], 'float64'), variance: Tensor.zeros([2], 'float64') };
    const stats = backend.batchNormStatistics(x, out);
    expect(stats.mean).toBe(out.mean);
    expect(stats.variance).toBe(out.variance);
    const expected = backend.batchNorm(x, stats, gamma, beta, epsilon);
    const copy = x.clone();
    expect(backend.batchNorm(copy, stats, gamma, beta, epsilon, copy)).toBe(copy);
    expect([...copy.data]).toEqual([...expected.data]);
  });
});

describe('batchNormBackward', () => {
  /** Σ y·dy for y = batchNorm(x, statistics of x): what train-mode backward differentiates. */
  const trainLoss = (x: Tensor, gamma: Tensor, beta: Tensor, dy: Tensor): number => {
    const y = backend.batchNorm(x, backend.batchNormStatistics(x), gamma, beta, epsilon);
    return dot(y, dy);
  };
  const numeric = (t: Tensor, i: number, loss: () => number): number => {
    const h = 1e-6;
    const v = t.data[i]!;
    t.data[i] = v + h;
    const plus = loss();
    t.data[i] = v - h;
    const minus = loss();
    t.data[i] = v;
    return (plus - minus) / (2 * h);
  };

  it('train mode: dx, dgamma and dbeta match central differences through the batch statistics', () => {
    const rng = createRng(5);
    for (const shape of shapes) {
      const { x, gamma, beta, dy } = operands(rng, shape);
      const c = shape[1]!;
      const gammaGrad = backend.fill(Tensor.zeros([c], 'float64'), Number.NaN);
      const betaGrad = backend.fill(Tensor.zeros([c], 'float64'), Number.NaN);
      const stats = backend.batchNormStatistics(x);
      const dx = backend.batchNormBackward(x, dy, stats, gamma, epsilon, gammaGrad, betaGrad, { batchStatistics: true })!;
      expect(dx.shape).toEqual(shape);
      const loss = () => trainLoss(x, gamma, beta, dy);
      expectClose(dx.data, Array.from(x.data, (_, i) => numeric(x, i, loss)), 1e-6);
      expectClose(gammaGrad.data, Array.from(gamma.data, (_, i) => numeric(gamma, i, loss)), 1e-6);
      expectClose(betaGrad.data, Array.from(beta.data, (_, i) => numeric(beta, i, loss)), 1e-6);
      // Shifting a channel's inputs does not change its output, so dx sums to 0 per channel;
      // with epsilon 0 scaling them does not either, so dx is also orthogonal to x - mean.
      const unscaled = backend.batchNormBackward(x, dy, stats, gamma, 0, gammaGrad, betaGrad, { batchStatistics: true })!;
      for (let ch = 0; ch < c; ch++) {
        const xc = channel(x, ch).map((v) => v - stats.mean.data[ch]!);
        expect(Math.abs(channel(dx, ch).reduce((a, b) => a + b, 0))).toBeLessThan(1e-12);
        expect(Math.abs(channel(unscaled, ch).reduce((t, v, i) => t + v * xc[i]!, 0))).toBeLessThan(1e-12);
      }
    }
  });

  it('eval mode: dx = dy·gamma/sqrt(var + eps) with the fixed statistics; dgamma = Σ dy·x̂, dbeta = Σ dy', () => {
    const rng = createRng(6);
    for (const shape of shapes) {
      const { x, gamma, beta, dy } = operands(rng, shape);
      const c = shape[1]!;
      const variance = randomTensor(rng, [c], 'float64');
      variance.data.forEach((v, i) => (variance.data[i] = 1 + v * v));
      const fixed = { mean: randomTensor(rng, [c], 'float64'), variance };
      const gammaGrad = Tensor.zeros([c], 'float64');
      const betaGrad = Tensor.zeros([c], 'float64');
      const dx = backend.batchNormBackward(x, dy, fixed, gamma, epsilon, gammaGrad, betaGrad, { batchStatistics: false })!;
      const loss = () => dot(backend.batchNorm(x, fixed, gamma, beta, epsilon), dy);
      const s = x.size / (shape[0]! * c);
      expectClose(dx.data, Array.from(dy.data, (g, i) => {
        const ch = Math.floor(i / s) % c;
        return (g * gamma.data[ch]!) / Math.sqrt(fixed.variance.data[ch]! + epsilon);
      }), 1e-14);
      expectClose(gammaGrad.data, Array.from(gamma.data, (_, i) => numeric(gamma, i, loss)), 1e-6);
      expectClose(betaGrad.data, Array.from(beta.data, (_, i) => numeric(beta, i, loss)), 1e-6);
    }
  });

  it('with inputGradient: false writes the same dgamma and dbeta and returns undefined; dx may be dy', () => {
    const { x, gamma, dy } = operands(createRng(8), [3, 5, 2, 2]);
    const stats = backend.batchNormStatistics(x);
    const grads = () => [Tensor.zeros([5], 'float64'), Tensor.zeros([5], 'float64')] as const;
    const [g1, b1] = grads();
    const dx = backend.batchNormBackward(x, dy, stats, gamma, epsilon, g1, b1, { batchStatistics: true })!;
    const [g2, b2] = grads();
    expect(backend.batchNormBackward(x, dy, stats, gamma, epsilon, g2, b2, { batchStatistics: true, inputGradient: false })).toBeUndefined();
    expect([...g2.data]).toEqual([...g1.data]);
    expect([...b2.data]).toEqual([...b1.data]);
    const [g3, b3] = grads();
    const inPlace = dy.clone();
    expect(backend.batchNormBackward(x, inPlace, stats, gamma, epsilon, g3, b3, { batchStatistics: true }, inPlace)).toBe(inPlace);
    expect([...inPlace.data]).toEqual([...dx.data]);
    expect([...g3.data]).toEqual([...g1.data]);
  });

  it('reject bad shapes, per-channel sizes, dtypes, epsilon and aliasing with clear messages', () => {
    const x = Tensor.zeros([2, 3, 2]);
    const c3 = () => Tensor.zeros([3]);
    const stats = { mean: c3(), variance: c3() };
    expect(() => backend.batchNormStatistics(Tensor.zeros([6]))).toThrow(
      new RangeError('batchNormStatistics: x is [6]; expected [n, c, ...] with channels on the second axis (a batch of [features] is [n, features])'),
    );
    expect(() => backend.batchNormStatistics(Tensor.zeros([0, 3]))).toThrow(
      'batchNormStatistics: x is [0, 3]; every channel needs at least one value to normalise over',
    );
    expect(() => backend.batchNorm(x, stats, Tensor.zeros([2]), c3(), epsilon)).toThrow(
      'batchNorm: gamma is [2] float32 but x has 3 channels; gamma needs one value per channel ([3])',
    );
    expect(() => backend.batchNorm(x, stats, c3(), Tensor.zeros([3], 'float64'), epsilon)).toThrow(/batchNorm: x is \[2, 3, 2\] float32 but beta is \[3\] float64/);
    expect(() => backend.batchNorm(x, stats, c3(), c3(), -1)).toThrow('batchNorm: epsilon is -1; expected a finite number >= 0 (e.g. 1e-5)');
    expect(() => backend.batchNormStatistics(x, { mean: c3(), variance: Tensor.zeros([4]) })).toThrow(/batchNormStatistics: out is \[4\]/);
    expect(() => backend.batchNormBackward(x, Tensor.zeros([2, 3]), stats, c3(), epsilon, c3(), c3(), { batchStatistics: true })).toThrow(
      "batchNormBackward: x is [2, 3, 2] but dy is [2, 3]; dy needs x's shape (12 values)",
    );
    const shared = c3();
    expect(() => backend.batchNormBackward(x, Tensor.zeros([2, 3, 2]), stats, c3(), epsilon, shared, shared, { batchStatistics: true })).toThrow(
      /batchNormBackward: betaGrad overlaps gammaGrad/,
    );
    expect(() => backend.batchNormBackward(x, Tensor.zeros([2, 3, 2]), stats, c3(), epsilon, c3(), c3(), { batchStatistics: true }, x)).toThrow(
      /batchNormBackward: out overlaps x/,
    );
  });
});
