import { definePool2d } from './pool-window.js';

/**
 * 2-D average pooling over NCHW images, per channel. Input x [n, c, h, w], output y [n, c, oh, ow]:
 *   y[b, ch, i, j] = mean of x[b, ch, r, q] over the window cells inside the image,
 *                    r ∈ [i·sh − pt, i·sh − pt + kh), q ∈ [j·sw − pl, j·sw − pl + kw)
 *   dx[b, ch, r, q] = Σ over the windows (i, j) holding (r, q) of dy[b, ch, i, j] / count(i, j)
 * count(i, j) is the number of window cells inside the image: padding cells are not counted
 * (ONNX AveragePool count_include_pad = 0, PyTorch count_include_pad=False, TensorFlow 'SAME'),
 * so a border window averages only real pixels. Options: `poolSize` (default 2), `stride`
 * (default poolSize), `padding` ('valid'); see pool-window.ts for output sizes. No parameters.
 * Given buffers, y goes into buffer `output` and dx into `inputGrad`.
 */
export const avgPool2d = definePool2d('avg-pool2d', 'Average pooling over [channels, height, width] images (padding not counted)', {
  forward: (backend, x, window, out) => backend.avgPool2d(x, window, out),
  backward: (backend, _x, dy, image, window, out) => backend.avgPool2dBackward(dy, image, window, out),
});
