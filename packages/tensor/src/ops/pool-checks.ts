import { type Shape, type Tensor, formatShape } from '../tensor.js';
import { describeTensor } from './checks.js';
import { type PoolGeometry, type PoolWindow, poolOutputSize } from './pool.js';

// Argument checks of the pool family's methods (src/ops/pool.ts): every message names the
// kernel, what was expected and what was found.

const isCount = (v: unknown, min: number): boolean => Number.isInteger(v) && (v as number) >= min;

/** The geometry of pooling `input` ([n, c, h, w]) with `window`; RangeError naming the kernel otherwise. */
export function poolGeometry(kernel: string, input: Shape, window: PoolWindow): PoolGeometry {
  if (input.length !== 4 || !input.every((d) => isCount(d, 0))) {
    throw new RangeError(
      `${kernel}: x is ${formatShape(input)}; expected a 4-D NCHW tensor [n, c, h, w] ` +
        '(reshape [n, features] data to [n, channels, height, width] first)',
    );
  }
  const { kernel: size, stride, padding } = window;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((k) => isCount(k, 1))) {
    throw new RangeError(`${kernel}: window.kernel is ${JSON.stringify(size)}; expected [kh, kw], integers >= 1`);
  }
  if (!Array.isArray(stride) || stride.length !== 2 || !stride.every((s) => isCount(s, 1))) {
    throw new RangeError(`${kernel}: window.stride is ${JSON.stringify(stride)}; expected [sh, sw], integers >= 1`);
  }
  if (!Array.isArray(padding) || padding.length !== 4 || !padding.every((p) => isCount(p, 0))) {
    throw new RangeError(
      `${kernel}: window.padding is ${JSON.stringify(padding)}; expected [top, left, bottom, right], integers >= 0`,
    );
  }
  const [n, c, h, w] = input as [number, number, number, number];
  const [kh, kw] = size;
  const [sh, sw] = stride;
  const [pt, pl, pb, pr] = padding;
  if (Math.max(pt, pb) >= kh || Math.max(pl, pr) >= kw) {
    throw new RangeError(
      `${kernel}: window.padding [${padding.join(', ')}] (top, left, bottom, right) reaches a whole window of ` +
        `${formatShape(size)} into the padding; every side must be smaller than the window on its axis ` +
        '(a window of padding alone has nothing to pool)',
    );
  }
  const oh = poolOutputSize(h, kh, sh, pt, pb);
  const ow = poolOutputSize(w, kw, sw, pl, pr);
  if (oh < 1 || ow < 1) {
    throw new RangeError(
      `${kernel}: x is ${formatShape(input)} but the window ${formatShape(size)} with padding [${padding.join(', ')}] ` +
        `does not fit in its ${h}×${w} planes (output ${oh}×${ow}); use a smaller window or more padding`,
    );
  }
  return { n, c, h, w, oh, ow, kh, kw, sh, sw, pt, pl };
}

/** Throws unless `dy` holds one value per output cell of `g`. */
export function checkPoolOutputGrad(kernel: string, dy: Tensor, g: PoolGeometry): void {
  const expected = g.n * g.c * g.oh * g.ow;
  if (dy.size !== expected) {
    throw new RangeError(
      `${kernel}: dy is ${describeTensor(dy)} (${dy.size} values) but the pooled output is ` +
        `[${g.n}, ${g.c}, ${g.oh}, ${g.ow}] (${expected} values); pass the gradient of this pooling's output`,
    );
  }
}
