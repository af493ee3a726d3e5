import { type FloatArray, type Shape, type Tensor, formatShape } from '../tensor.js';
import { checkAlias, prepareOut, sameDtype } from './checks.js';
import { checkDestination, checkOutputGrad, checkWeight, checkWindow, fourD, geometry, isPositive } from './conv-checks.js';
import { defineFamily, is64 } from './family.js';

/**
 * The conv family: 2-D convolution (cross-correlation, as in PyTorch and ONNX) over NCHW images.
 * Glossary: n batch, c input channels, h/w input height/width, f filters (output channels),
 * oh/ow output height/width, kh/kw kernel size, sh/sw stride, dh/dw dilation, pt/pl top/left
 * padding (zeros outside the image).
 *
 *   y[b, o, i, j] = bias[o] + Σ_{ch, p, q} x[b, ch, i·sh − pt + p·dh, j·sw − pl + q·dw] · w[o, ch, p, q]
 *
 * x [n, c, h, w], w [f, c, kh, kw], bias [f], y [n, f, oh, ow] with
 * oh = floor((h + pt + pb − dh·(kh − 1) − 1) / sh) + 1 (likewise ow).
 *
 * The backward kernels are the adjoints of that sum (dy [n, f, oh, ow]):
 *   dx[b, ch, r, s] = Σ over (o, p, q, i, j) with i·sh − pt + p·dh = r, j·sw − pl + q·dw = s of dy[b, o, i, j] · w[o, ch, p, q]
 *   dw[o, ch, p, q] = Σ_{b, i, j} dy[b, o, i, j] · x[b, ch, i·sh − pt + p·dh, j·sw − pl + q·dw]
 *   db[o]           = Σ_{b, i, j} dy[b, o, i, j]
 * The reference kernels accumulate in float64 and round once per stored value; positions in the
 * padding contribute nothing (they are skipped, not multiplied by zero).
 */

/** A convolution window: kernel size, stride, padding [top, left, bottom, right] and dilation. */
export interface ConvWindow {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number, number, number];
  readonly dilation: readonly [number, number];
}

/** Every size of one convolution, as the kernels receive it (already checked). */
export interface ConvGeometry {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly f: number;
  readonly oh: number;
  readonly ow: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly pt: number;
  readonly pl: number;
  readonly dh: number;
  readonly dw: number;
}

export interface ConvKernels {
  /** y = conv(x, w) + bias (bias undefined: none). */
  conv2d(x: FloatArray, weight: FloatArray, bias: FloatArray | undefined, y: FloatArray, g: ConvGeometry): void;
  /** dx = the gradient of Σ y·dy with respect to x (overwrites dx). */
  conv2dBackwardInput(dy: FloatArray, weight: FloatArray, dx: FloatArray, g: ConvGeometry): void;
  /** dw (and db when given) = the gradients with respect to w and bias (overwrite). */
  conv2dBackwardWeight(x: FloatArray, dy: FloatArray, dw: FloatArray, db: FloatArray | undefined, g: ConvGeometry): void;
}

export interface ConvOps {
  /** y [n, f, oh, ow] = conv2d(x [n, c, h, w], weight [f, c, kh, kw]) + bias [f]. */
  conv2d(x: Tensor, weight: Tensor, bias: Tensor | undefined, window: ConvWindow, out?: Tensor): Tensor;
  /** dx [n, ...inputShape] from dy [n, f, oh, ow] and weight; inputShape is [c, h, w]. */
  conv2dBackwardInput(dy: Tensor, weight: Tensor, inputShape: Shape, window: ConvWindow, out?: Tensor): Tensor;
  /** Writes dw [f, c, kh, kw] (and db [f] when given) from x [n, c, h, w] and dy [n, f, oh, ow]. */
  conv2dBackwardWeight(x: Tensor, dy: Tensor, window: ConvWindow, weightGrad: Tensor, biasGrad?: Tensor): void;
}

/** Output size of one spatial dimension (may be < 1: the caller reports that). */
export function convOutputSize(size: number, kernel: number, stride: number, padBefore: number, padAfter: number, dilation: number): number {
  return Math.floor((size + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1;
}

// ---------------------------------------------------------------------------------------------
// Reference kernels

/**
 * The output indices i in [start, end) whose input index i·stride − pad + offset lies in
 * [0, size): the rest read the zero padding. `offset` is the kernel tap's p·dilation.
 */
function inside(outSize: number, size: number, stride: number, pad: number, offset: number): readonly [number, number] {
  const start = Math.max(0, Math.ceil((pad - offset) / stride));
  const end = Math.min(outSize, Math.floor((size - 1 + pad - offset) / stride) + 1);
  return [start, Math.max(start, end)];
}

/** y[b, o] = bias[o] + Σ_{ch, p, q} (shifted x[b, ch]) · w[o, ch, p, q], one float64 plane per (b, o). */
export function conv2dKernel(x: FloatArray, weight: FloatArray, bias: FloatArray | undefined, y: FloatArray, g: ConvGeometry): void {
  const { n, c, h, w, f, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw } = g;
  const plane = new Float64Array(oh * ow);
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < f; o++) {
      plane.fill(bias === undefined ? 0 : bias[o]!);
      for (let ch = 0; ch < c; ch++) {
        const xPlane = (b * c + ch) * h * w;
        for (let p = 0; p < kh; p++) {
          const [i0, i1] = inside(oh, h, sh, pt, p * dh);
          for (let q = 0; q < kw; q++) {
            const [j0, j1] = inside(ow, w, sw, pl, q * dw);
            const wv = weight[((o * c + ch) * kh + p) * kw + q]!;
            for (let i = i0; i < i1; i++) {
              const xRow = xPlane + (i * sh - pt + p * dh) * w - pl + q * dw;
              for (let j = j0; j < j1; j++) plane[i * ow + j]! += x[xRow + j * sw]! * wv;
            }
          }
        }
      }
      y.set(plane, (b * f + o) * oh * ow);
    }
  }
}

/** dx[b, ch] = Σ_{o, p, q} dy[b, o] scattered back through tap (p, q), times w[o, ch, p, q]. */
export function conv2dBackwardInputKernel(dy: FloatArray, weight: FloatArray, dx: FloatArray, g: ConvGeometry): void {
  const { n, c, h, w, f, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw } = g;
  const plane = new Float64Array(h * w);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      plane.fill(0);
      for (let o = 0; o < f; o++) {
        const dyPlane = (b * f + o) * oh * ow;
        for (let p = 0; p < kh; p++) {
          const [i0, i1] = inside(oh, h, sh, pt, p * dh);
          for (let q = 0; q < kw; q++) {
            const [j0, j1] = inside(ow, w, sw, pl, q * dw);
            const wv = weight[((o * c + ch) * kh + p) * kw + q]!;
            for (let i = i0; i < i1; i++) {
              const xRow = (i * sh - pt + p * dh) * w - pl + q * dw;
              for (let j = j0; j < j1; j++) plane[xRow + j * sw]! += dy[dyPlane + i * ow + j]! * wv;
            }
          }
        }
      }
      dx.set(plane, (b * c + ch) * h * w);
    }
  }
}

/** dw[o, ch, p, q] = Σ_{b, i, j} dy[b, o, i, j] · x[b, ch, ...]; db[o] = Σ_{b, i, j} dy[b, o, i, j]. */
export function conv2dBackwardWeightKernel(
  x: FloatArray,
  dy: FloatArray,
  weightGrad: FloatArray,
  biasGrad: FloatArray | undefined,
  g: ConvGeometry,
): void {
  const { n, c, h, w, f, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw } = g;
  for (let o = 0; o < f; o++) {
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < kh; p++) {
        const [i0, i1] = inside(oh, h, sh, pt, p * dh);
        for (let q = 0; q < kw; q++) {
          const [j0, j1] = inside(ow, w, sw, pl, q * dw);
          let total = 0;
          for (let b = 0; b < n; b++) {
            const dyPlane = (b * f + o) * oh * ow;
            const xPlane = (b * c + ch) * h * w;
            for (let i = i0; i < i1; i++) {
              const xRow = xPlane + (i * sh - pt + p * dh) * w - pl + q * dw;
              for (let j = j0; j < j1; j++) total += dy[dyPlane + i * ow + j]! * x[xRow + j * sw]!;
            }
          }
          weightGrad[((o * c + ch) * kh + p) * kw + q] = total;
        }
      }
    }
  }
  if (biasGrad === undefined) return;
  for (let o = 0; o < f; o++) {
    let total = 0;
    for (let b = 0; b < n; b++) {
      const dyPlane = (b * f + o) * oh * ow;
      for (let k = 0; k < oh * ow; k++) total += dy[dyPlane + k]!;
    }
    biasGrad[o] = total;
  }
}

/** The module's exports the conv family binds (assembly/conv.ts); pointers are byte offsets. */
interface ConvExports {
  conv2dScratchFloats(c: number, f: number, oh: number, ow: number, kh: number, kw: number): number;
  conv2dReduceShards(partials: number, f: number, ckk: number, dw: number, db: number): void;
}

/** Weight-gradient shards (assembly/conv.ts CONV_SHARDS): fixed, so no result depends on threads. */
const SHARDS = 4;

const geometryArgs = (g: ConvGeometry): number[] => [g.c, g.h, g.w, g.f, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw];
const directArgs = (g: ConvGeometry): number[] => [g.c, g.h, g.w, g.f, g.oh, g.ow, g.kh, g.kw, g.pt, g.pl];

/**
 * Whether a direct kernel (assembly/conv-direct.ts) runs instead of im2col and GEMM: it needs
 * stride and dilation 1 and at most 8 kernel columns, and it wins (measured on LeNet's layers,
 * apps/bench/README.md) while the taps per output, c·kh·kw, are few: forward up to 256 (LeNet's
 * 25 and 150: 2x and level), weight gradient up to 64 (25: 1.7x; 150: GEMM 1.4x faster).
 */
const direct = (g: ConvGeometry, maxTaps: number): boolean =>
  g.sh === 1 && g.sw === 1 && g.dh === 1 && g.dw === 1 && g.kw <= 8 && g.c * g.kh * g.kw <= maxTaps;

/** Splits `count` items into `parts` contiguous ranges: boundary t of parts + 1. */
const boundary = (count: number, parts: number, t: number): number => Math.floor((count * t) / parts);

export const convFamily = defineFamily<ConvKernels, ConvOps>({
  name: 'conv',
  reference: {
    conv2d: conv2dKernel,
    conv2dBackwardInput: conv2dBackwardInputKernel,
    conv2dBackwardWeight: conv2dBackwardWeightKernel,
  },
  // im2col and the SIMD GEMM per sample, samples split into one contiguous range per thread; the
  // weight gradient summed per fixed shard of samples, the shards added in order (see
  // assembly/conv.ts): identical results on any number of threads.
  wasm: ({ exports, staging, engine }, reference) => {
    const wasm = exports as ConvExports;
    /** Bytes of scratch one thread needs, rounded to whole cache lines. */
    const scratchFloats = (g: ConvGeometry): number => Math.ceil(wasm.conv2dScratchFloats(g.c, g.f, g.oh, g.ow, g.kh, g.kw) / 16) * 16;

    /** Runs `kernel` over sample ranges, one per thread (at most one per sample). */
    const bySamples = (kernel: string, g: ConvGeometry, operands: number[], geometry: number[], scratch: (floats: number) => number): void => {
      const parts = Math.max(1, Math.min(engine.threads, g.n));
      const perThread = scratchFloats(g);
      const base = scratch(perThread * parts);
      const jobs = Array.from({ length: parts }, (_, t) => [
        ...operands, boundary(g.n, parts, t), boundary(g.n, parts, t + 1), ...geometry, base + t * perThread * 4,
      ]);
      engine.parallel(kernel, jobs);
    };

    return {
      conv2d(x, weight, bias, y, g) {
        if (is64(x)) return reference.conv2d(x, weight, bias, y, g);
        const s = staging.begin();
        const operands = [
          s.read(x, g.n * g.c * g.h * g.w),
          s.read(weight, g.f * g.c * g.kh * g.kw),
          bias === undefined ? 0 : s.read(bias, g.f),
          s.write(y, g.n * g.f * g.oh * g.ow),
        ];
        if (direct(g, 256)) bySamples('conv2dDirectForward', g, operands, directArgs(g), (floats) => s.scratch(floats));
        else bySamples('conv2dForward', g, operands, geometryArgs(g), (floats) => s.scratch(floats));
        s.finish();
      },

      conv2dBackwardInput(dy, weight, dx, g) {
        if (is64(dy)) return reference.conv2dBackwardInput(dy, weight, dx, g);
        const s = staging.begin();
        const operands = [s.read(dy, g.n * g.f * g.oh * g.ow), s.read(weight, g.f * g.c * g.kh * g.kw), s.write(dx, g.n * g.c * g.h * g.w)];
        bySamples('conv2dBackwardInput', g, operands, geometryArgs(g), (floats) => s.scratch(floats));
        s.finish();
      },

      conv2dBackwardWeight(x, dy, dw, db, g) {
        if (is64(x)) return reference.conv2dBackwardWeight(x, dy, dw, db, g);
        const s = staging.begin();
        const ckk = g.c * g.kh * g.kw;
        const xp = s.read(x, g.n * g.c * g.h * g.w);
        const dyp = s.read(dy, g.n * g.f * g.oh * g.ow);
        const dwp = s.write(dw, g.f * ckk);
        const dbp = db === undefined ? 0 : s.write(db, g.f);
        const partials = s.scratch(SHARDS * (g.f * ckk + g.f));
        const parts = Math.min(engine.threads, SHARDS);
        const perThread = scratchFloats(g);
        const base = s.scratch(perThread * parts);
        const geometry = geometryArgs(g);
        const jobs = Array.from({ length: parts }, (_, t) => [
          xp, dyp, partials, g.n, boundary(SHARDS, parts, t), boundary(SHARDS, parts, t + 1), db === undefined ? 0 : 1,
          direct(g, 64) ? 1 : 0, ...geometry, base + t * perThread * 4,
        ]);
          engine.parallel('conv2dBackwardWeightShards', jobs);
        wasm.conv2dReduceShards(partials, g.f, ckk, dwp, dbp);
        s.finish();
      },
    };
  },
  methods: (kernels) => ({
    conv2d(x, weight, bias, window, out) {
      const name = 'conv2d';
      checkWindow(name, window);
      const [, c] = fourD(name, 'x', '[n, channels, height, width]', x);
      const f = checkWeight(name, weight, c, window);
      if (bias !== undefined && (bias.shape.length !== 1 || bias.size !== f)) {
        throw new RangeError(`${name}: bias is ${formatShape(bias.shape)} but weight is ${formatShape(weight.shape)}; expected bias [${f}]`);
      }
      const dtype = sameDtype(name, ['x', x], ['weight', weight], ...(bias === undefined ? [] : [['bias', bias] as const]));
      const g = geometry(name, x.shape, f, window);
      const y = prepareOut(name, out, [g.n, f, g.oh, g.ow], dtype);
      checkAlias(name, y, 'x', x, false);
      checkAlias(name, y, 'weight', weight, false);
      if (bias !== undefined) checkAlias(name, y, 'bias', bias, false);
      kernels.conv2d(x.data, weight.data, bias?.data, y.data, g);
      return y;
    },
    conv2dBackwardInput(dy, weight, inputShape, window, out) {
      const name = 'conv2dBackwardInput';
      checkWindow(name, window);
      if (!Array.isArray(inputShape) || inputShape.length !== 3 || !inputShape.every(isPositive)) {
        const shown = Array.isArray(inputShape) ? formatShape(inputShape) : String(inputShape);
        throw new RangeError(`${name}: inputShape is ${shown}; expected [channels, height, width] of integers >= 1`);
      }
      const [n] = fourD(name, 'dy', '[n, filters, oh, ow]', dy);
      const f = checkWeight(name, weight, inputShape[0]!, window);
      const dtype = sameDtype(name, ['dy', dy], ['weight', weight]);
      const g = geometry(name, [n, ...inputShape], f, window);
      checkOutputGrad(name, dy, g);
      const dx = prepareOut(name, out, [n, ...inputShape], dtype);
      checkAlias(name, dx, 'dy', dy, false);
      checkAlias(name, dx, 'weight', weight, false);
      kernels.conv2dBackwardInput(dy.data, weight.data, dx.data, g);
      return dx;
    },
    conv2dBackwardWeight(x, dy, window, weightGrad, biasGrad) {
      const name = 'conv2dBackwardWeight';
      checkWindow(name, window);
      fourD(name, 'x', '[n, channels, height, width]', x);
      const [, f] = fourD(name, 'dy', '[n, filters, oh, ow]', dy);
      const dtype = sameDtype(name, ['x', x], ['dy', dy]);
      const g = geometry(name, x.shape, f, window);
      checkOutputGrad(name, dy, g);
      checkDestination(name, 'weightGrad', weightGrad, [f, g.c, g.kh, g.kw], dtype);
      checkAlias(name, weightGrad, 'x', x, false, 'weightGrad');
      checkAlias(name, weightGrad, 'dy', dy, false, 'weightGrad');
      if (biasGrad !== undefined) {
        checkDestination(name, 'biasGrad', biasGrad, [f], dtype);
        checkAlias(name, biasGrad, 'x', x, false, 'biasGrad');
        checkAlias(name, biasGrad, 'dy', dy, false, 'biasGrad');
        checkAlias(name, biasGrad, 'weightGrad', weightGrad, false, 'biasGrad');
      }
      kernels.conv2dBackwardWeight(x.data, dy.data, weightGrad.data, biasGrad?.data, g);
    },
  }),
});
