import { copyPlane, type ImageLayout, type Pixels } from './image-planes.js';

/**
 * Inverse-mapping coordinates of one sample: output pixel (x, y), at i = y * width + x, takes
 * the source plane's value at the fractional point (sx[i], sy[i]). One grid serves every
 * channel of the sample, so it is computed once per sample.
 */
export interface SampleGrid {
  readonly sx: Float64Array;
  readonly sy: Float64Array;
}

/** What resampling a sample needs besides the images, allocated once per augmenter. */
export interface ResampleWork {
  readonly grid: SampleGrid;
  /** A copy of the plane being resampled: the output overwrites the original. */
  readonly plane: Float64Array;
}

export function createResampleWork(layout: ImageLayout): ResampleWork {
  const size = layout.planeSize;
  return { grid: { sx: new Float64Array(size), sy: new Float64Array(size) }, plane: new Float64Array(size) };
}

/**
 * Fills `grid` with an affine map about the image centre (cx, cy) = ((w - 1) / 2, (h - 1) / 2):
 *   sx = cx + a (x - cx) + b (y - cy)
 *   sy = cy + c (x - cx) + d (y - cy)
 * [[a, b], [c, d]] is the inverse of the transform the picture undergoes (rotation, zoom).
 */
export function affineGrid(grid: SampleGrid, width: number, height: number, a: number, b: number, c: number, d: number): void {
  const { sx, sy } = grid;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  let i = 0;
  for (let y = 0; y < height; y++) {
    const dy = y - cy;
    const rowX = cx + b * dy;
    const rowY = cy + d * dy;
    for (let x = 0; x < width; x++, i++) {
      const dx = x - cx;
      sx[i] = rowX + a * dx;
      sy[i] = rowY + c * dx;
    }
  }
}

/**
 * Bilinear resampling of one height x width plane (`source`, row-major) at the grid's points,
 * written to target[offset + i]. With x0 = floor(sx), fx = sx - x0 (likewise y):
 *   top = s(x0, y0) + fx (s(x0 + 1, y0) - s(x0, y0)),   bottom = the same on row y0 + 1
 *   out = top + fy (bottom - top)
 * where s() of a pixel outside the plane is `fill`, so the picture fades into the background
 * at its edges instead of ending in a hard line. The lerp form returns a pixel bit-exactly when
 * the point is on it (fx = fy = 0), so an identity grid leaves the plane unchanged.
 */
export function bilinearPlane(
  source: Float64Array,
  width: number,
  height: number,
  grid: SampleGrid,
  fill: number,
  target: Pixels,
  offset: number,
): void {
  const { sx, sy } = grid;
  const size = width * height;
  for (let i = 0; i < size; i++) {
    const x = sx[i]!;
    const y = sy[i]!;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    let value: number;
    if (x0 >= 0 && y0 >= 0 && x0 < width - 1 && y0 < height - 1) {
      // The common case: all four neighbours inside, no bounds checks.
      const p = y0 * width + x0;
      const s00 = source[p]!;
      const s10 = source[p + 1]!;
      const s01 = source[p + width]!;
      const top = s00 + fx * (s10 - s00);
      const bottom = s01 + fx * (source[p + width + 1]! - s01);
      value = top + fy * (bottom - top);
    } else if (x0 >= -1 && y0 >= -1 && x0 < width && y0 < height) {
      const s00 = pixelOr(source, width, height, x0, y0, fill);
      const s01 = pixelOr(source, width, height, x0, y0 + 1, fill);
      const top = s00 + fx * (pixelOr(source, width, height, x0 + 1, y0, fill) - s00);
      const bottom = s01 + fx * (pixelOr(source, width, height, x0 + 1, y0 + 1, fill) - s01);
      value = top + fy * (bottom - top);
    } else {
      // Entirely outside (or NaN coordinates): background.
      value = fill;
    }
    target[offset + i] = value;
  }
}

function pixelOr(source: Float64Array, width: number, height: number, x: number, y: number, fill: number): number {
  return x >= 0 && y >= 0 && x < width && y < height ? source[y * width + x]! : fill;
}

/**
 * Resamples every channel of the sample starting at images[offset] through `work.grid`, in
 * place; each channel's fill is its own minimum (see copyPlane).
 */
export function resampleSample(images: Pixels, offset: number, layout: ImageLayout, work: ResampleWork): void {
  const { channels, width, height, planeSize } = layout;
  for (let c = 0, start = offset; c < channels; c++, start += planeSize) {
    const fill = copyPlane(images, start, planeSize, work.plane);
    bilinearPlane(work.plane, width, height, work.grid, fill, images, start);
  }
}
