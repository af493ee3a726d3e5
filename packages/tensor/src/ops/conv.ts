import type { FloatArray, Shape, Tensor } from '../tensor.js';
import { defineFamily } from './family.js';

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

export const convFamily = defineFamily<ConvKernels, ConvOps>({
  name: 'conv',
  reference: {
    conv2d: notYet,
    conv2dBackwardInput: notYet,
    conv2dBackwardWeight: notYet,
  },
  methods: () => ({
    conv2d: notYet,
    conv2dBackwardInput: notYet,
    conv2dBackwardWeight: notYet,
  }),
});

function notYet(): never {
  throw new Error('conv: not implemented yet');
}
