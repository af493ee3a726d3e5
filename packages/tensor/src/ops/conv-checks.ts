import { type DType, type Shape, type Tensor, formatShape } from '../tensor.js';
import { describeTensor } from './checks.js';
import { type ConvGeometry, type ConvWindow, convOutputSize } from './conv.js';

// Argument checks of the conv family's methods (src/ops/conv.ts): every message names the
// kernel, what was expected and what was found.

export const isPositive = (v: number): boolean => Number.isInteger(v) && v >= 1;
const isNonNegative = (v: number): boolean => Number.isInteger(v) && v >= 0;

/** Throws unless every window entry has the right length and range. */
export function checkWindow(kernel: string, window: ConvWindow): void {
  const entries = [
    ['kernel', window.kernel, 2, isPositive, 'integers >= 1'],
    ['stride', window.stride, 2, isPositive, 'integers >= 1'],
    ['padding', window.padding, 4, isNonNegative, 'integers >= 0 ([top, left, bottom, right])'],
    ['dilation', window.dilation, 2, isPositive, 'integers >= 1'],
  ] as const;
  for (const [name, value, length, valid, expected] of entries) {
    if (!Array.isArray(value) || value.length !== length || !value.every(valid)) {
      const found = Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
      throw new RangeError(`${kernel}: window.${name} is ${found}; expected ${length} ${expected}`);
    }
  }
}

/** Throws unless `t` is 4-D; returns its shape. */
export function fourD(kernel: string, name: string, layout: string, t: Tensor): readonly [number, number, number, number] {
  if (t.shape.length !== 4) {
    throw new RangeError(`${kernel}: ${name} is ${formatShape(t.shape)}; expected a 4-D ${layout} tensor`);
  }
  return t.shape as unknown as readonly [number, number, number, number];
}

/**
 * The geometry of x [n, c, h, w] under `window` with f filters. Throws when the window does
 * not fit (an output side < 1).
 */
export function geometry(kernel: string, xShape: readonly number[], f: number, window: ConvWindow): ConvGeometry {
  const [n, c, h, w] = xShape as [number, number, number, number];
  const [kh, kw] = window.kernel;
  const [sh, sw] = window.stride;
  const [pt, pl, pb, pr] = window.padding;
  const [dh, dw] = window.dilation;
  const oh = convOutputSize(h, kh, sh, pt, pb, dh);
  const ow = convOutputSize(w, kw, sw, pl, pr, dw);
  if (oh < 1 || ow < 1) {
    throw new RangeError(
      `${kernel}: the kernel [${kh}, ${kw}] (dilation [${dh}, ${dw}], padding [${window.padding.join(', ')}]) spans ` +
        `[${dh * (kh - 1) + 1}, ${dw * (kw - 1) + 1}], more than the padded input [${h + pt + pb}, ${w + pl + pr}] ` +
        `of x ${formatShape(xShape)}; use a smaller kernel or dilation, or more padding`,
    );
  }
  return { n, c, h, w, f, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw };
}

/** Throws unless weight is [f, c, kh, kw] with c input channels and the window's kernel size. */
export function checkWeight(kernel: string, weight: Tensor, c: number, window: ConvWindow): number {
  const [f, wc, kh, kw] = fourD(kernel, 'weight', '[filters, channels, kh, kw]', weight);
  if (wc !== c || kh !== window.kernel[0] || kw !== window.kernel[1]) {
    throw new RangeError(
      `${kernel}: weight is ${formatShape(weight.shape)} but the input has ${c} channels and window.kernel is ` +
        `[${window.kernel.join(', ')}]; expected weight [${f}, ${c}, ${window.kernel.join(', ')}]`,
    );
  }
  return f;
}

/** Throws unless dy is [n, f, oh, ow] for geometry `g`. */
export function checkOutputGrad(kernel: string, dy: Tensor, g: ConvGeometry): void {
  const expected = [g.n, g.f, g.oh, g.ow];
  fourD(kernel, 'dy', '[n, filters, oh, ow]', dy);
  if (!dy.shape.every((d, i) => d === expected[i])) {
    throw new RangeError(`${kernel}: dy is ${formatShape(dy.shape)} but the convolution's output is ${formatShape(expected)}`);
  }
}

/** Throws unless the gradient tensor `t` (a required destination) holds `shape` in `dtype`. */
export function checkDestination(kernel: string, name: string, t: Tensor, shape: Shape, dtype: DType): void {
  const size = shape.reduce((a, b) => a * b, 1);
  if (t.size !== size || t.dtype !== dtype) {
    throw new RangeError(`${kernel}: ${name} is ${describeTensor(t)} but the result is ${formatShape(shape)} ${dtype}; pass a tensor of that size and dtype`);
  }
}

