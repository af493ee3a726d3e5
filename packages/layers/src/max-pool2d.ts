import { definePool2d } from './pool-window.js';

/**
 * 2-D max pooling over NCHW images, per channel. Input x [n, c, h, w], output y [n, c, oh, ow]:
 *   y[b, ch, i, j] = max of x[b, ch, r, q] over the window rows r ∈ [i·sh − pt, i·sh − pt + kh)
 *                    and columns q ∈ [j·sw − pl, j·sw − pl + kw) that lie inside the image
 *   dx[b, ch, r, q] = Σ of dy[b, ch, i, j] over the windows whose maximum is at (r, q)
 * Padding cells never win (they are not values, not zeros). The maximum of a window with ties is
 * its first in row-major order (NaN wins). Backward finds each window's maximum again from x
 * (the backend's maxPool2dBackward) instead of keeping an index tensor per batch. Options:
 * `poolSize` (default 2), `stride` (default poolSize), `padding` ('valid'); see pool-window.ts
 * for output sizes. No parameters. Given buffers, y goes into buffer `output` and dx into
 * `inputGrad`.
 */
export const maxPool2d = definePool2d('max-pool2d', 'Max pooling over [channels, height, width] images', {
  forward: (backend, x, window, out) => backend.maxPool2d(x, window, out),
  backward: (backend, x, dy, _image, window, out) => backend.maxPool2dBackward(x, dy, window, out),
});
