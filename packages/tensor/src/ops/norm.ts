import { type FloatArray, type Tensor, formatShape } from '../tensor.js';
import { checkAlias, prepareOut, sameDtype } from './checks.js';
import { checkEpsilon, normGeometry, perChannel } from './norm-checks.js';
import { type WasmContext, defineFamily, flag, is64 } from './family.js';

/**
 * The norm family: batch normalisation (Ioffe & Szegedy 2015; PyTorch's BatchNorm1d/2d). x is
 * viewed as [n, c, s]: n samples, c channels (x's second dimension) and s values per channel per
 * sample (the product of the rest: h·w for NCHW images, 1 for [n, features]). Per channel ch,
 * over its m = n·s values:
 *
 *   mean = Σ x / m                 variance = Σ (x − mean)² / m   (biased, two passes)
 *   invStd = 1 / sqrt(variance + ε)    x̂ = (x − mean) · invStd    scale = gamma · invStd
 *   y = (x − mean) · scale + beta
 *
 * Backward, for dy [n, c, s]:
 *   dbeta = Σ dy                    dgamma = Σ dy · x̂ = invStd · Σ dy · (x − mean)
 *   batch statistics (train mode: mean and variance are x's own, so they depend on x):
 *     dx = scale · (dy − dbeta / m − x̂ · dgamma / m)
 *   fixed statistics (eval mode: running averages, constants):
 *     dx = scale · dy
 *
 * The reference computes in float64 (sums accumulated in order over samples, then positions)
 * and rounds each stored value once. The wasm kernels compute in f64 lanes too; on [n, features]
 * they match the reference exactly, on images the sums are added in another order (see
 * assembly/norm.ts), a last-bit difference at most in float32.
 */

/** Per-channel statistics [c]: the batch's own, or running averages. */
export interface BatchStatistics {
  readonly mean: Tensor;
  /** Biased (divided by m) for the batch's own statistics. */
  readonly variance: Tensor;
}

export interface BatchNormBackwardOptions {
  /** true: the statistics are x's own batch statistics (train mode); false: fixed (eval mode). */
  readonly batchStatistics: boolean;
  /** false: write dgamma and dbeta only and return undefined (default true). */
  readonly inputGradient?: boolean;
}

/** x viewed as [n, c, s]. */
export interface NormGeometry {
  readonly n: number;
  readonly c: number;
  readonly s: number;
}

/** Per channel: the m = n·s values of channel ch are x[(b·c + ch)·s + k], b < n, k < s. */
function channelValues(g: NormGeometry, ch: number, visit: (index: number) => void): void {
  for (let b = 0; b < g.n; b++) {
    const base = (b * g.c + ch) * g.s;
    for (let k = 0; k < g.s; k++) visit(base + k);
  }
}

export function batchNormStatisticsKernel(x: FloatArray, mean: FloatArray, variance: FloatArray, g: NormGeometry): void {
  const m = g.n * g.s;
  for (let ch = 0; ch < g.c; ch++) {
    let total = 0;
    channelValues(g, ch, (i) => (total += x[i]!));
    const mu = total / m;
    let squares = 0;
    channelValues(g, ch, (i) => {
      const d = x[i]! - mu;
      squares += d * d;
    });
    mean[ch] = mu;
    variance[ch] = squares / m;
  }
}

export function batchNormKernel(
  x: FloatArray,
  mean: FloatArray,
  variance: FloatArray,
  gamma: FloatArray,
  beta: FloatArray,
  epsilon: number,
  y: FloatArray,
  g: NormGeometry,
): void {
  for (let ch = 0; ch < g.c; ch++) {
    const mu = mean[ch]!;
    const scale = gamma[ch]! * (1 / Math.sqrt(variance[ch]! + epsilon));
    const shift = beta[ch]!;
    channelValues(g, ch, (i) => (y[i] = (x[i]! - mu) * scale + shift));
  }
}

/** Overwrites dgamma, dbeta and (when given) dx; dx may be dy itself. */
export function batchNormBackwardKernel(
  x: FloatArray,
  dy: FloatArray,
  mean: FloatArray,
  variance: FloatArray,
  gamma: FloatArray,
  epsilon: number,
  dx: FloatArray | undefined,
  dgamma: FloatArray,
  dbeta: FloatArray,
  batchStatistics: boolean,
  g: NormGeometry,
): void {
  const m = g.n * g.s;
  for (let ch = 0; ch < g.c; ch++) {
    const mu = mean[ch]!;
    let sumDy = 0;
    let sumDyXc = 0;
    channelValues(g, ch, (i) => {
      sumDy += dy[i]!;
      sumDyXc += dy[i]! * (x[i]! - mu);
    });
    const invStd = 1 / Math.sqrt(variance[ch]! + epsilon);
    const sumDyXhat = sumDyXc * invStd;
    dgamma[ch] = sumDyXhat;
    dbeta[ch] = sumDy;
    if (dx === undefined) continue;
    const scale = gamma[ch]! * invStd;
    const meanDy = sumDy / m;
    const meanDyXhat = sumDyXhat / m;
    channelValues(g, ch, (i) => {
      const d = batchStatistics ? dy[i]! - meanDy - (x[i]! - mu) * invStd * meanDyXhat : dy[i]!;
      dx[i] = scale * d;
    });
  }
}

export interface NormKernels {
  batchNormStatistics: typeof batchNormStatisticsKernel;
  batchNorm: typeof batchNormKernel;
  batchNormBackward: typeof batchNormBackwardKernel;
}

export interface NormOps {
  /**
   * The batch's per-channel mean and biased variance of x [n, c, ...] (x viewed as [n, c, s]),
   * written into `out` ([c] each) when given. The unbiased variance is variance · m / (m − 1).
   */
  batchNormStatistics(x: Tensor, out?: BatchStatistics): BatchStatistics;
  /** y = (x − mean) · gamma / sqrt(variance + epsilon) + beta per channel; `out` may be `x`. */
  batchNorm(x: Tensor, statistics: BatchStatistics, gamma: Tensor, beta: Tensor, epsilon: number, out?: Tensor): Tensor;
  /**
   * Writes dgamma and dbeta ([c], overwriting) and returns dx (x's shape; `out` may be `dy`),
   * or undefined with `inputGradient: false`. With `batchStatistics`, `statistics` must be x's
   * own (from batchNormStatistics) and dx includes their dependence on x (train mode).
   */
  batchNormBackward(
    x: Tensor,
    dy: Tensor,
    statistics: BatchStatistics,
    gamma: Tensor,
    epsilon: number,
    gammaGrad: Tensor,
    betaGrad: Tensor,
    options: BatchNormBackwardOptions,
    out?: Tensor,
  ): Tensor | undefined;
}

// ---------------------------------------------------------------------------------------------
// wasm

/** The module's exports this family binds (assembly/norm.ts). */
interface NormExports {
  batchNormStatistics(x: number, mean: number, variance: number, n: number, c: number, s: number): void;
  batchNormForward(
    x: number, mean: number, variance: number, gamma: number, beta: number, epsilon: number, y: number, n: number, c: number, s: number,
  ): void;
  batchNormBackward(
    x: number, dy: number, mean: number, variance: number, gamma: number, epsilon: number,
    dx: number, dgamma: number, dbeta: number, n: number, c: number, s: number, batchStatistics: number,
  ): void;
}

/** On the calling thread: a few passes over memory, too cheap to split. */
function bindNormWasm({ exports, staging }: WasmContext, reference: NormKernels): Partial<NormKernels> {
  const wasm = exports as NormExports;
  return {
    batchNormStatistics(x, mean, variance, g) {
      if (is64(x)) return reference.batchNormStatistics(x, mean, variance, g);
      const s = staging.begin();
      wasm.batchNormStatistics(s.read(x, g.n * g.c * g.s), s.write(mean, g.c), s.write(variance, g.c), g.n, g.c, g.s);
      s.finish();
    },
    batchNorm(x, mean, variance, gamma, beta, epsilon, y, g) {
      if (is64(x)) return reference.batchNorm(x, mean, variance, gamma, beta, epsilon, y, g);
      const s = staging.begin();
      const size = g.n * g.c * g.s;
      const xp = s.read(x, size);
      const operands = [s.read(mean, g.c), s.read(variance, g.c), s.read(gamma, g.c), s.read(beta, g.c)] as const;
      wasm.batchNormForward(xp, ...operands, epsilon, s.write(y, size), g.n, g.c, g.s);
      s.finish();
    },
    batchNormBackward(x, dy, mean, variance, gamma, epsilon, dx, dgamma, dbeta, batchStatistics, g) {
      if (is64(x)) return reference.batchNormBackward(x, dy, mean, variance, gamma, epsilon, dx, dgamma, dbeta, batchStatistics, g);
      const s = staging.begin();
      const size = g.n * g.c * g.s;
      const xp = s.read(x, size);
      const dyp = s.read(dy, size);
      const stats = [s.read(mean, g.c), s.read(variance, g.c), s.read(gamma, g.c)] as const;
      const dxp = dx === undefined ? 0 : s.write(dx, size);
      const grads = [s.write(dgamma, g.c), s.write(dbeta, g.c)] as const;
      wasm.batchNormBackward(xp, dyp, ...stats, epsilon, dxp, ...grads, g.n, g.c, g.s, flag(batchStatistics));
      s.finish();
    },
  };
}

export const normFamily = defineFamily<NormKernels, NormOps>({
  name: 'norm',
  reference: {
    batchNormStatistics: batchNormStatisticsKernel,
    batchNorm: batchNormKernel,
    batchNormBackward: batchNormBackwardKernel,
  },
  wasm: bindNormWasm,
  methods: (kernels) => ({
    batchNormStatistics(x, out) {
      const kernel = 'batchNormStatistics';
      const g = normGeometry(kernel, x);
      const mean = prepareOut(kernel, out?.mean, [g.c], x.dtype);
      const variance = prepareOut(kernel, out?.variance, [g.c], x.dtype);
      checkAlias(kernel, mean, 'x', x, false, 'mean');
      checkAlias(kernel, variance, 'x', x, false, 'variance');
      checkAlias(kernel, variance, 'mean', mean, false, 'variance');
      kernels.batchNormStatistics(x.data, mean.data, variance.data, g);
      return { mean, variance };
    },
    batchNorm(x, statistics, gamma, beta, epsilon, out) {
      const kernel = 'batchNorm';
      const g = normGeometry(kernel, x);
      const { mean, variance } = statistics;
      perChannel(kernel, g.c, ['mean', mean], ['variance', variance], ['gamma', gamma], ['beta', beta]);
      checkEpsilon(kernel, epsilon);
      const dtype = sameDtype(kernel, ['x', x], ['mean', mean], ['variance', variance], ['gamma', gamma], ['beta', beta]);
      const y = prepareOut(kernel, out, x.shape, dtype);
      checkAlias(kernel, y, 'x', x, true);
      for (const [name, t] of [['mean', mean], ['variance', variance], ['gamma', gamma], ['beta', beta]] as const) {
        checkAlias(kernel, y, name, t, false);
      }
      kernels.batchNorm(x.data, mean.data, variance.data, gamma.data, beta.data, epsilon, y.data, g);
      return y;
    },
    batchNormBackward(x, dy, statistics, gamma, epsilon, gammaGrad, betaGrad, options, out) {
      const kernel = 'batchNormBackward';
      const g = normGeometry(kernel, x);
      if (dy.size !== x.size) {
        throw new RangeError(
          `${kernel}: x is ${formatShape(x.shape)} but dy is ${formatShape(dy.shape)}; dy needs x's shape (${x.size} values)`,
        );
      }
      const { mean, variance } = statistics;
      perChannel(kernel, g.c, ['mean', mean], ['variance', variance], ['gamma', gamma], ['gammaGrad', gammaGrad], ['betaGrad', betaGrad]);
      checkEpsilon(kernel, epsilon);
      const dtype = sameDtype(
        kernel,
        ['x', x],
        ['dy', dy],
        ['mean', mean],
        ['variance', variance],
        ['gamma', gamma],
        ['gammaGrad', gammaGrad],
        ['betaGrad', betaGrad],
      );
      const inputs = [['x', x], ['dy', dy], ['mean', mean], ['variance', variance], ['gamma', gamma]] as const;
      for (const [name, t] of inputs) {
        checkAlias(kernel, gammaGrad, name, t, false, 'gammaGrad');
        checkAlias(kernel, betaGrad, name, t, false, 'betaGrad');
      }
      checkAlias(kernel, betaGrad, 'gammaGrad', gammaGrad, false, 'betaGrad');
      let dx: Tensor | undefined;
      if (options.inputGradient !== false) {
        dx = prepareOut(kernel, out, x.shape, dtype);
        for (const [name, t] of inputs) checkAlias(kernel, dx, name, t, name === 'dy');
        checkAlias(kernel, dx, 'gammaGrad', gammaGrad, false);
        checkAlias(kernel, dx, 'betaGrad', betaGrad, false);
      }
      kernels.batchNormBackward(
        x.data, dy.data, mean.data, variance.data, gamma.data, epsilon,
        dx?.data, gammaGrad.data, betaGrad.data, options.batchStatistics, g,
      );
      return dx;
    },
  }),
});
