import type { ImageLayout, Pixels } from './image-planes.js';

/**
 * Inverse-mapping coordinates of one sample: output pixel (x, y), at i = y * width + x, takes
 * the source plane's value at the fractional point (sx[i], sy[i]).
 */
export interface SampleGrid {
  readonly sx: Float64Array;
  readonly sy: Float64Array;
}

/**
 * A copy of one height x width plane with a one-pixel frame of the fill around it, (height + 2)
 * rows of width + 2 values: pixel (x, y) at (y + 1) (width + 2) + x + 1. The output overwrites
 * the original plane, so the resampling reads this copy; the frame lets every point whose four
 * neighbours touch the plane read them without a bounds check per neighbour.
 */
export function createPaddedPlane(layout: ImageLayout): Float64Array {
  return new Float64Array((layout.height + 2) * (layout.width + 2));
}

/**
 * Copies the plane at images[offset..] into `padded` and returns its minimum, the fill: the
 * plane's background, which pixels brought in from outside the frame take (ink is high in every
 * data set we read, and after `standardise` the background is negative, so 0 would draw a
 * visible frame). The one-pixel frame of `padded` is set to it.
 */
export function copyPadded(images: Pixels, offset: number, width: number, height: number, padded: Float64Array): number {
  const span = width + 2;
  let minimum = Infinity;
  for (let y = 0, i = offset, at = span + 1; y < height; y++, at += span) {
    for (let x = 0; x < width; x++, i++) {
      const value = images[i]!;
      padded[at + x] = value;
      if (value < minimum) minimum = value;
    }
  }
  const last = (height + 1) * span;
  for (let x = 0; x < span; x++) {
    padded[x] = minimum;
    padded[last + x] = minimum;
  }
  for (let at = span; at < last; at += span) {
    padded[at] = minimum;
    padded[at + span - 1] = minimum;
  }
  return minimum;
}

/**
 * Bilinear resampling reads the plane in `padded` (see copyPadded) at a fractional point
 * (x, y). With x0 = floor(x), fx = x - x0 (likewise y):
 *   top = s(x0, y0) + fx (s(x0 + 1, y0) - s(x0, y0)),   bottom = the same on row y0 + 1
 *   out = top + fy (bottom - top)
 * where s() of a pixel outside the plane is the fill (the padding, or no read at all for points
 * further out), so the picture fades into the background at its edges instead of ending in a
 * hard line. The lerp form returns a pixel bit-exactly when the point is on it (fx = fy = 0),
 * so an identity map leaves the plane unchanged. It is written out in each per-pixel loop
 * (resampleAffine, ElasticField.warp) rather than called: V8 does not always inline a call,
 * and a call that is not inlined boxes its result, which measured 2 to 3 times slower.
 */

/**
 * The inverse map of an affine transform about the image centre (cx, cy) = ((w - 1) / 2, (h - 1) / 2):
 *   sx = cx + a (x - cx) + b (y - cy)
 *   sy = cy + c (x - cx) + d (y - cy)
 * [[a, b], [c, d]] is the inverse of the transform the picture undergoes (rotation, zoom).
 */
export interface AffineMap {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}

/**
 * Resamples every channel of the sample starting at images[offset] through the affine map, in
 * place, each channel filled with its own minimum. The points are computed as the plane is
 * written, the row's part cx + b (y - cy), cy + d (y - cy) once per row: no grid in memory.
 * `padded` is scratch from createPaddedPlane.
 */
export function resampleAffine(images: Pixels, offset: number, layout: ImageLayout, padded: Float64Array, map: AffineMap): void {
  const { channels, width, height, planeSize } = layout;
  const { a, b, c, d } = map;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const span = width + 2;
  for (let channel = 0, start = offset; channel < channels; channel++, start += planeSize) {
    const fill = copyPadded(images, start, width, height, padded);
    for (let y = 0, i = start; y < height; y++) {
      const dy = y - cy;
      const rowX = cx + b * dy;
      const rowY = cy + d * dy;
      for (let x = 0; x < width; x++, i++) {
        const dx = x - cx;
        const sx = rowX + a * dx;
        const sy = rowY + c * dx;
        // Bilinear (see above), written out.
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        if (x0 >= -1 && y0 >= -1 && x0 < width && y0 < height) {
          const fx = sx - x0;
          const p = (y0 + 1) * span + x0 + 1;
          const s00 = padded[p]!;
          const s01 = padded[p + span]!;
          const top = s00 + fx * (padded[p + 1]! - s00);
          images[i] = top + (sy - y0) * (s01 + fx * (padded[p + span + 1]! - s01) - top);
        } else {
          images[i] = fill; // entirely outside, or NaN coordinates
        }
      }
    }
  }
}
