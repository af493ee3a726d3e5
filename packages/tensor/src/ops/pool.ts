import { type FloatArray, type Shape, type Tensor, formatShape } from '../tensor.js';
import { checkAlias, prepareOut, sameDtype } from './checks.js';
import { checkPoolOutputGrad, poolGeometry } from './pool-checks.js';
import { type WasmContext, defineFamily, is64 } from './family.js';

/**
 * The pool family: 2-D max and average pooling over NCHW images, one window per output cell.
 * Glossary: n batch, c channels, h/w input height/width, oh/ow output height/width, kh/kw window
 * size, sh/sw stride, pt/pl/pb/pr top/left/bottom/right padding. A plane is one [h, w] image of
 * one channel of one sample (n·c planes).
 *
 * Output cell (i, j) of a plane pools the window cells (r, q) with
 *   r ∈ [i·sh − pt, i·sh − pt + kh) ∩ [0, h),   q ∈ [j·sw − pl, j·sw − pl + kw) ∩ [0, w)
 * i.e. padding cells are not values: they never win a max and never count in an average.
 *
 *   max:     y[b, ch, i, j] = max over the window (NaN when any cell is NaN; +0 beats −0)
 *   average: y[b, ch, i, j] = Σ window / (number of window cells inside the image)
 *            (ONNX AveragePool count_include_pad = 0, PyTorch count_include_pad=False,
 *            TensorFlow 'SAME' pooling)
 *   oh = floor((h + pt + pb − kh) / sh) + 1 (likewise ow)
 *
 * Each padding side must be smaller than the window on its axis, so every window holds at least
 * one image cell. Backward:
 *   max:     dx[argmax of window (i, j)] += dy[i, j], where the argmax is the first cell in
 *            row-major window order holding the maximum (the first NaN if there is one). It is
 *            recomputed from x in backward rather than recorded in forward: the layer keeps x
 *            (which it holds anyway) instead of an index tensor per batch size, and the
 *            comparisons cost what forward's did.
 *   average: dx[cell] += dy[i, j] / count(i, j) for every window (i, j) holding the cell.
 * The reference accumulates sums in float64 and rounds once per stored value; gradients are
 * added into dx in output order (i, j), cells in window order. The wasm kernels do the same
 * operations in the same order, so their results are identical to the reference's.
 */

/** A pooling window: kernel size [kh, kw], stride [sh, sw], padding [top, left, bottom, right]. */
export interface PoolWindow {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number, number, number];
}

/** Every size of one pooling, as the kernels receive it (already checked). */
export interface PoolGeometry {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly oh: number;
  readonly ow: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly pt: number;
  readonly pl: number;
}

/** Output size of one spatial dimension (may be < 1: the caller reports that). */
export function poolOutputSize(size: number, kernel: number, stride: number, padBefore: number, padAfter: number): number {
  return Math.floor((size + padBefore + padAfter - kernel) / stride) + 1;
}

/** The window rows (or columns) of output index i: [start, end) clipped to the image. */
function span(i: number, stride: number, pad: number, kernel: number, size: number): readonly [number, number] {
  const start = i * stride - pad;
  return [Math.max(0, start), Math.min(size, start + kernel)];
}

/** y = max over each window (Math.max: NaN wins, +0 beats −0). */
export function maxPool2dKernel(x: FloatArray, y: FloatArray, g: PoolGeometry): void {
  const { n, c, h, w, oh, ow, kh, kw, sh, sw, pt, pl } = g;
  for (let plane = 0; plane < n * c; plane++) {
    const xBase = plane * h * w;
    const yBase = plane * oh * ow;
    for (let i = 0; i < oh; i++) {
      const [r0, r1] = span(i, sh, pt, kh, h);
      for (let j = 0; j < ow; j++) {
        const [q0, q1] = span(j, sw, pl, kw, w);
        let best = -Infinity;
        for (let r = r0; r < r1; r++) {
          for (let q = q0; q < q1; q++) best = Math.max(best, x[xBase + r * w + q]!);
        }
        y[yBase + i * ow + j] = best;
      }
    }
  }
}

/** Index in the plane of the first cell holding the window's maximum (the first NaN if any). */
function windowArgmax(x: FloatArray, xBase: number, w: number, r0: number, r1: number, q0: number, q1: number): number {
  let bestIndex = r0 * w + q0;
  let best = x[xBase + bestIndex]!;
  for (let r = r0; r < r1; r++) {
    for (let q = r === r0 ? q0 + 1 : q0; q < q1; q++) {
      const v = x[xBase + r * w + q]!;
      if (v > best || (v !== v && best === best)) {
        best = v;
        bestIndex = r * w + q;
      }
    }
  }
  return bestIndex;
}

/** dx = 0, then dx[argmax of window (i, j)] += dy[i, j] in output order. */
export function maxPool2dBackwardKernel(x: FloatArray, dy: FloatArray, dx: FloatArray, g: PoolGeometry): void {
  const { n, c, h, w, oh, ow, kh, kw, sh, sw, pt, pl } = g;
  dx.fill(0, 0, n * c * h * w);
  for (let plane = 0; plane < n * c; plane++) {
    const xBase = plane * h * w;
    const yBase = plane * oh * ow;
    for (let i = 0; i < oh; i++) {
      const [r0, r1] = span(i, sh, pt, kh, h);
      for (let j = 0; j < ow; j++) {
        const [q0, q1] = span(j, sw, pl, kw, w);
        const at = xBase + windowArgmax(x, xBase, w, r0, r1, q0, q1);
        dx[at] = dx[at]! + dy[yBase + i * ow + j]!;
      }
    }
  }
}

/** y = Σ window / count, summed in float64 in window order and rounded once. */
export function avgPool2dKernel(x: FloatArray, y: FloatArray, g: PoolGeometry): void {
  const { n, c, h, w, oh, ow, kh, kw, sh, sw, pt, pl } = g;
  for (let plane = 0; plane < n * c; plane++) {
    const xBase = plane * h * w;
    const yBase = plane * oh * ow;
    for (let i = 0; i < oh; i++) {
      const [r0, r1] = span(i, sh, pt, kh, h);
      for (let j = 0; j < ow; j++) {
        const [q0, q1] = span(j, sw, pl, kw, w);
        let total = 0;
        for (let r = r0; r < r1; r++) {
          for (let q = q0; q < q1; q++) total += x[xBase + r * w + q]!;
        }
        y[yBase + i * ow + j] = total / ((r1 - r0) * (q1 - q0));
      }
    }
  }
}

/** dx = 0, then dx[cell] += dy[i, j] / count(i, j) over windows in output order (the share in float64). */
export function avgPool2dBackwardKernel(dy: FloatArray, dx: FloatArray, g: PoolGeometry): void {
  const { n, c, h, w, oh, ow, kh, kw, sh, sw, pt, pl } = g;
  dx.fill(0, 0, n * c * h * w);
  for (let plane = 0; plane < n * c; plane++) {
    const xBase = plane * h * w;
    const yBase = plane * oh * ow;
    for (let i = 0; i < oh; i++) {
      const [r0, r1] = span(i, sh, pt, kh, h);
      for (let j = 0; j < ow; j++) {
        const [q0, q1] = span(j, sw, pl, kw, w);
        const share = dy[yBase + i * ow + j]! / ((r1 - r0) * (q1 - q0));
        for (let r = r0; r < r1; r++) {
          for (let q = q0; q < q1; q++) dx[xBase + r * w + q] = dx[xBase + r * w + q]! + share;
        }
      }
    }
  }
}

export interface PoolKernels {
  maxPool2d(x: FloatArray, y: FloatArray, g: PoolGeometry): void;
  /** Overwrites dx. */
  maxPool2dBackward(x: FloatArray, dy: FloatArray, dx: FloatArray, g: PoolGeometry): void;
  avgPool2d(x: FloatArray, y: FloatArray, g: PoolGeometry): void;
  /** Overwrites dx. */
  avgPool2dBackward(dy: FloatArray, dx: FloatArray, g: PoolGeometry): void;
}

export interface PoolOps {
  /** y [n, c, oh, ow] = the maximum of each window of x [n, c, h, w] (see src/ops/pool.ts). */
  maxPool2d(x: Tensor, window: PoolWindow, out?: Tensor): Tensor;
  /**
   * dx [n, c, h, w]: each dy [n, c, oh, ow] value routed to its window's argmax in x (recomputed
   * from x, the first maximum in row-major window order), summed where windows overlap.
   */
  maxPool2dBackward(x: Tensor, dy: Tensor, window: PoolWindow, out?: Tensor): Tensor;
  /** y [n, c, oh, ow] = the mean of each window's cells inside the image (padding not counted). */
  avgPool2d(x: Tensor, window: PoolWindow, out?: Tensor): Tensor;
  /**
   * dx [n, ...inputShape] from dy [n, c, oh, ow] (any shape of n·c·oh·ow values): each dy value
   * shared equally among its window's cells inside the image. inputShape is [c, h, w].
   */
  avgPool2dBackward(dy: Tensor, inputShape: Shape, window: PoolWindow, out?: Tensor): Tensor;
}

// ---------------------------------------------------------------------------------------------
// wasm

/**
 * The module's exports this family binds (assembly/pool.ts), run by name through the engine:
 * planes [p0, p1) of one call, then the geometry h, w, oh, ow, kh, kw, sh, sw, pt, pl.
 */
interface PoolExports {
  maxPool2dPlanes(x: number, y: number, p0: number, p1: number, ...g: number[]): void;
  maxPool2dBackwardPlanes(x: number, dy: number, dx: number, p0: number, p1: number, ...g: number[]): void;
  avgPool2dPlanes(x: number, y: number, p0: number, p1: number, ...g: number[]): void;
  avgPool2dBackwardPlanes(dy: number, dx: number, p0: number, p1: number, ...g: number[]): void;
}

/** Input cells a call must at least read before it is split across threads (a few hundred µs of work). */
const PARALLEL_CELLS = 1 << 18;

const geometryArgs = (g: PoolGeometry): number[] => [g.h, g.w, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl];

function bindPoolWasm({ staging, engine }: WasmContext, reference: PoolKernels): Partial<PoolKernels> {
  /**
   * Calls export `name` on operands already staged, over all planes: one call, or contiguous plane
   * ranges per thread for large inputs. A plane's result does not depend on who computes it.
   */
  const planes = (name: keyof PoolExports, operands: number[], g: PoolGeometry): void => {
    const count = g.n * g.c;
    const work = count * g.h * g.w;
    const parts = work < PARALLEL_CELLS ? 1 : Math.max(1, Math.min(engine.threads, count));
    const geometry = geometryArgs(g);
    const jobs = Array.from({ length: parts }, (_, t) => [
      ...operands,
      Math.floor((count * t) / parts),
      Math.floor((count * (t + 1)) / parts),
      ...geometry,
    ]);
    engine.parallel(name, jobs);
  };
  const inputSize = (g: PoolGeometry): number => g.n * g.c * g.h * g.w;
  const outputSize = (g: PoolGeometry): number => g.n * g.c * g.oh * g.ow;
  return {
    maxPool2d(x, y, g) {
      if (is64(x)) return reference.maxPool2d(x, y, g);
      const s = staging.begin();
      planes('maxPool2dPlanes', [s.read(x, inputSize(g)), s.write(y, outputSize(g))], g);
      s.finish();
    },
    maxPool2dBackward(x, dy, dx, g) {
      if (is64(x)) return reference.maxPool2dBackward(x, dy, dx, g);
      const s = staging.begin();
      planes('maxPool2dBackwardPlanes', [s.read(x, inputSize(g)), s.read(dy, outputSize(g)), s.write(dx, inputSize(g))], g);
      s.finish();
    },
    avgPool2d(x, y, g) {
      if (is64(x)) return reference.avgPool2d(x, y, g);
      const s = staging.begin();
      planes('avgPool2dPlanes', [s.read(x, inputSize(g)), s.write(y, outputSize(g))], g);
      s.finish();
    },
    avgPool2dBackward(dy, dx, g) {
      if (is64(dy)) return reference.avgPool2dBackward(dy, dx, g);
      const s = staging.begin();
      planes('avgPool2dBackwardPlanes', [s.read(dy, outputSize(g)), s.write(dx, inputSize(g))], g);
      s.finish();
    },
  };
}

export const poolFamily = defineFamily<PoolKernels, PoolOps>({
  name: 'pool',
  reference: {
    maxPool2d: maxPool2dKernel,
    maxPool2dBackward: maxPool2dBackwardKernel,
    avgPool2d: avgPool2dKernel,
    avgPool2dBackward: avgPool2dBackwardKernel,
  },
  wasm: bindPoolWasm,
  methods: (kernels) => {
    /** Forward: checks, out [n, c, oh, ow] (must not overlap x), then the kernel. */
    const forward = (kernel: string, run: PoolKernels['maxPool2d']) => (x: Tensor, window: PoolWindow, out?: Tensor): Tensor => {
      const g = poolGeometry(kernel, x.shape, window);
      const y = prepareOut(kernel, out, [g.n, g.c, g.oh, g.ow], x.dtype);
      checkAlias(kernel, y, 'x', x, false);
      run(x.data, y.data, g);
      return y;
    };
    return {
      maxPool2d: forward('maxPool2d', kernels.maxPool2d),
      avgPool2d: forward('avgPool2d', kernels.avgPool2d),
      maxPool2dBackward(x, dy, window, out) {
        const kernel = 'maxPool2dBackward';
        const g = poolGeometry(kernel, x.shape, window);
        checkPoolOutputGrad(kernel, dy, g);
        const dtype = sameDtype(kernel, ['x', x], ['dy', dy]);
        const dx = prepareOut(kernel, out, x.shape, dtype);
        checkAlias(kernel, dx, 'x', x, false);
        checkAlias(kernel, dx, 'dy', dy, false);
        kernels.maxPool2dBackward(x.data, dy.data, dx.data, g);
        return dx;
      },
      avgPool2dBackward(dy, inputShape, window, out) {
        const kernel = 'avgPool2dBackward';
        if (inputShape.length !== 3) {
          throw new RangeError(`${kernel}: inputShape is ${formatShape(inputShape)}; expected the per-sample input shape [c, h, w]`);
        }
        const n = dy.shape[0] ?? 0;
        const g = poolGeometry(kernel, [n, ...inputShape], window);
        checkPoolOutputGrad(kernel, dy, g);
        const dx = prepareOut(kernel, out, [n, ...inputShape], dy.dtype);
        checkAlias(kernel, dx, 'dy', dy, false);
        kernels.avgPool2dBackward(dy.data, dx.data, g);
        return dx;
      },
    };
  },
});
