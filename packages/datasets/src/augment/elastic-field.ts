// Simard's smoothed random displacement field, computed fast: the elastic augmentation's engine.
import type { Rng } from '@scratchnet/tensor';
import type { ImageLayout, Pixels } from './image-planes.js';
import { copyPadded, type SampleGrid } from './resample.js';

/**
 * The coarse grid's spacing in pixels for a given sigma: max(1, floor(sigma / 2)), so the
 * Gaussian spans at least 2 coarse cells either way (sigma / stride in [2, 4) from sigma 2 on)
 * and the interpolation back to pixels stays close to the exact field. 28x28 MNIST (sigma 4): 2.
 */
export function fieldStride(sigma: number): number {
  return Math.max(1, Math.floor(sigma / 2));
}

/**
 * Odd widths of three box filters whose succession approximates a Gaussian of std sigma: the
 * standard "Gaussian by 3 box blurs" recipe (Wells 1986; widths as in Kutskir's boxesForGauss):
 * the ideal width sqrt(12 sigma² / 3 + 1), rounded down to an odd w, then m boxes of width w
 * and 3 - m of width w + 2, m chosen so that the variances (w² - 1) / 12 add up nearest to
 * sigma². sigma 4: 7, 7, 9 (std 3.83); sigma 2: 3, 3, 5.
 */
export function boxWidths(sigma: number): readonly [number, number, number] {
  const ideal = Math.sqrt(4 * sigma * sigma + 1);
  let lower = Math.floor(ideal);
  if (lower % 2 === 0) lower--;
  const smaller = Math.round((12 * sigma * sigma - 3 * lower * lower - 12 * lower - 9) / (-4 * lower - 4));
  const width = (i: number): number => (i < smaller ? lower : lower + 2);
  return [width(0), width(1), width(2)];
}

/**
 * The two smoothed random fields of one sample, drawn and smoothed on a coarse grid:
 *
 * 1. The frame is cut into blocks of stride x stride pixels (`fieldStride`; the last row and
 *    column of blocks may stick out of the frame). Each block gets one random value per field,
 *    standing for the mean over its stride² pixels of their uniform(-1, 1) values (0 outside
 *    the frame): uniform(-1, 1) times sqrt(n) / stride², n its pixels inside the frame
 *    (1 / stride for a whole block), so it has the variance of that mean, and the smoothed
 *    field the spread of the exact one. Draws: blocks row-major, one `rng.next()` per two
 *    blocks (the last one alone when their number is odd); the 32 bits of its fraction give,
 *    8 at a time from the top, the x and y values of the first block, then of the second,
 *    each as (2k + 1) / 256 - 1, k in 0..255: symmetric about 0, mean exactly 0, variance
 *    1/3 - 1/196608 instead of 1/3. Smoothing averages dozens of block values, so the 256
 *    levels are as good as a continuous uniform, at a quarter of the draws.
 * 2. Both fields are smoothed on the block grid by three box filters (`boxWidths(sigma /
 *    stride)`) along rows, then three along columns, with zero padding: outside the frame the
 *    field is 0, and each pass is computed far enough past the frame for the next ones to see
 *    the spill-over, exactly as one convolution of the zero-padded field would. Each pass is a
 *    running sum (add the value entering the window, subtract the one leaving), two additions
 *    per value whatever sigma, for both fields in the same loop. The box normalisation
 *    (1 / width per pass) is applied once, at the end.
 * 3. The smoothed block values are interpolated bilinearly back to every pixel (block i sits at
 *    pixel stride i + (stride - 1) / 2) and multiplied by alpha: along x for every block row in
 *    `draw`, along y on the fly in `warp`.
 *
 * With stride 1 (sigma < 4) this is the three-box smoothing of a per-pixel field itself.
 */
export class ElasticField {
  readonly stride: number;
  /** Box widths on the block grid. */
  readonly widths: readonly [number, number, number];
  /** Blocks across and down. */
  readonly columns: number;
  readonly rows: number;
  private readonly width: number;
  private readonly height: number;
  private readonly alpha: number;
  /**
   * Radii of the three boxes, (width - 1) / 2, in the order the passes apply them: widest first
   * (the order does not change the result), so that the passes that must run past the frame
   * for the later ones are the narrow ones.
   */
  private readonly r1: number;
  private readonly r2: number;
  private readonly r3: number;
  /**
   * Blocks of zero padding around the frame's blocks in the padded grids: r1 + r2 + r3 + 1, as
   * far as the first pass reads to give the last one block -1 and block `columns` (`rows`),
   * which the interpolation needs.
   */
  private readonly pad: number;
  /** Values per row of the padded grids: columns + 2 pad. */
  private readonly span: number;
  /** Per-block scale: sqrt(pixels in the frame) / stride, by block column and by block row. */
  private readonly columnWeight: Float64Array;
  private readonly rowWeight: Float64Array;
  /**
   * Padded grids, (rows + 2 pad) x span, one per field and stage: the draws, two scratch grids,
   * the row-smoothed field and the smoothed field. Values the passes do not write stay 0.
   */
  private readonly noiseU: Float64Array;
  private readonly noiseV: Float64Array;
  private readonly passU: Float64Array;
  private readonly passV: Float64Array;
  private readonly nextU: Float64Array;
  private readonly nextV: Float64Array;
  private readonly rowU: Float64Array;
  private readonly rowV: Float64Array;
  private readonly smoothU: Float64Array;
  private readonly smoothV: Float64Array;
  /** Interpolation from blocks to pixels: left (upper) block's index in the padded grid, and weight of the next. */
  private readonly xBlock: Int32Array;
  private readonly xWeight: Float64Array;
  private readonly yBlock: Int32Array;
  private readonly yWeight: Float64Array;
  /** The smoothed fields interpolated along x, times alpha, for block rows -1..rows: (rows + 2) x width. */
  private readonly alongU: Float64Array;
  private readonly alongV: Float64Array;
  /** alpha / (2^8 (w1 w2 w3)²): the draws' scale, alpha and the six box normalisations. */
  private readonly scale: number;

  constructor(width: number, height: number, sigma: number, alpha: number) {
    this.width = width;
    this.height = height;
    this.alpha = alpha;
    const stride = fieldStride(sigma);
    this.stride = stride;
    this.widths = boxWidths(sigma / stride);
    const [w1, w2, w3] = this.widths;
    this.r1 = (w3 - 1) / 2;
    this.r2 = (w2 - 1) / 2;
    this.r3 = (w1 - 1) / 2;
    this.pad = this.r1 + this.r2 + this.r3 + 1;
    this.columns = Math.ceil(width / stride);
    this.rows = Math.ceil(height / stride);
    this.span = this.columns + 2 * this.pad;
    const weights = (blocks: number, side: number): Float64Array =>
      Float64Array.from({ length: blocks }, (_, i) => Math.sqrt(Math.min(stride, side - i * stride)) / stride);
    this.columnWeight = weights(this.columns, width);
    this.rowWeight = weights(this.rows, height);
    const size = (this.rows + 2 * this.pad) * this.span;
    this.noiseU = new Float64Array(size);
    this.noiseV = new Float64Array(size);
    this.passU = new Float64Array(size);
    this.passV = new Float64Array(size);
    this.nextU = new Float64Array(size);
    this.nextV = new Float64Array(size);
    this.rowU = new Float64Array(size);
    this.rowV = new Float64Array(size);
    this.smoothU = new Float64Array(size);
    this.smoothV = new Float64Array(size);
    const interpolation = (pixels: number): { block: Int32Array; weight: Float64Array } => {
      const block = new Int32Array(pixels);
      const weight = new Float64Array(pixels);
      for (let p = 0; p < pixels; p++) {
        const at = (p - (stride - 1) / 2) / stride;
        const before = Math.floor(at); // -1..blocks - 1
        block[p] = this.pad + before;
        weight[p] = at - before;
      }
      return { block, weight };
    };
    ({ block: this.xBlock, weight: this.xWeight } = interpolation(width));
    ({ block: this.yBlock, weight: this.yWeight } = interpolation(height));
    this.alongU = new Float64Array((this.rows + 2) * width);
    this.alongV = new Float64Array((this.rows + 2) * width);
    this.scale = alpha / (256 * (w1 * w2 * w3) ** 2);
  }

  /**
   * Draws both fields from `rng` (one `next()` per two blocks) and, unless alpha is 0, smooths
   * them and interpolates them along x (times alpha) for `warp`.
   */
  draw(rng: Rng): void {
    const { columns, rows, pad, span, noiseU, noiseV, columnWeight, rowWeight } = this;
    let second = -1; // the low 16 bits of the last draw, while its second block is to come
    for (let row = 0, at = pad * span + pad; row < rows; row++, at += span) {
      const weight = rowWeight[row]!;
      for (let column = 0; column < columns; column++) {
        let bits = second;
        if (bits < 0) {
          const draw = rng.next() * 65536;
          bits = Math.floor(draw);
          second = Math.floor((draw - bits) * 65536);
        } else {
          second = -1;
        }
        const scale = weight * columnWeight[column]!;
        noiseU[at + column] = (2 * (bits >> 8) - 255) * scale;
        noiseV[at + column] = (2 * (bits & 255) - 255) * scale;
      }
    }
    if (this.alpha === 0) return;
    this.smooth();
    this.alongX();
  }

  /**
   * Resamples every channel of the sample at images[offset] in place (each filled with its own
   * minimum) at (x + dx, y + dy), the displacement of the last `draw`, interpolated along y on
   * the fly: no per-pixel grid in memory. `padded` is scratch from createPaddedPlane.
   */
  warp(images: Pixels, offset: number, layout: ImageLayout, padded: Float64Array): void {
    const { width, height, yBlock, yWeight, alongU, alongV } = this;
    const first = this.pad - 1; // the padded index of block -1, alongU's row 0
    const span = width + 2;
    for (let channel = 0, start = offset; channel < layout.channels; channel++, start += layout.planeSize) {
      const fill = copyPadded(images, start, width, height, padded);
      for (let y = 0, i = start; y < height; y++) {
        const upper = (yBlock[y]! - first) * width;
        const lower = upper + width;
        const f = yWeight[y]!;
        for (let x = 0; x < width; x++, i++) {
          const u = alongU[upper + x]!;
          const v = alongV[upper + x]!;
          const sx = x + u + f * (alongU[lower + x]! - u);
          const sy = y + v + f * (alongV[lower + x]! - v);
          // Bilinear, written out as in resampleAffine (see resample.ts).
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
            images[i] = fill;
          }
        }
      }
    }
  }

  /** The sample points `warp` uses after the last `draw`, written out: grid.sx = x + dx, grid.sy = y + dy (for tests). */
  displace(grid: SampleGrid): void {
    const { width, height, yBlock, yWeight, alongU, alongV } = this;
    const first = this.pad - 1;
    for (let y = 0, i = 0; y < height; y++) {
      const upper = (yBlock[y]! - first) * width;
      const f = yWeight[y]!;
      for (let x = 0; x < width; x++, i++) {
        const u = alongU[upper + x]!;
        const v = alongV[upper + x]!;
        grid.sx[i] = x + u + f * (alongU[upper + width + x]! - u);
        grid.sy[i] = y + v + f * (alongV[upper + width + x]! - v);
      }
    }
  }

  /**
   * The three passes along the frame's block rows (noise -> pass -> next -> row), then the three
   * down block columns -1..columns (row -> pass -> next -> smooth), two rows or columns at a
   * time. Pass k writes every value pass k + 1 reads: 1 + r2 + r3 blocks past the frame, then
   * 1 + r3, then 1.
   */
  private smooth(): void {
    const { pad, span, r1, r2, r3, noiseU, noiseV, passU, passV, nextU, nextV, rowU, rowV, smoothU, smoothV } = this;
    const [columns, rows] = [this.columns, this.rows];
    for (let row = pad; row < pad + rows; row += 2) {
      const base = row * span;
      const other = row + 1 < pad + rows ? span : 0; // an odd last row is done twice over
      slide(noiseU, noiseV, passU, passV, base, other, 1, pad - 1 - r2 - r3, pad + columns + 1 + r2 + r3, r1);
      slide(passU, passV, nextU, nextV, base, other, 1, pad - 1 - r3, pad + columns + 1 + r3, r2);
      slide(nextU, nextV, rowU, rowV, base, other, 1, pad - 1, pad + columns + 1, r3);
    }
    for (let column = pad - 1; column < pad + columns + 1; column += 2) {
      const other = column + 1 < pad + columns + 1 ? 1 : 0;
      slide(rowU, rowV, passU, passV, column, other, span, pad - 1 - r2 - r3, pad + rows + 1 + r2 + r3, r1);
      slide(passU, passV, nextU, nextV, column, other, span, pad - 1 - r3, pad + rows + 1 + r3, r2);
      slide(nextU, nextV, smoothU, smoothV, column, other, span, pad - 1, pad + rows + 1, r3);
    }
  }

  /** The smoothed block rows -1..rows interpolated along x to every pixel column, times alpha. */
  private alongX(): void {
    const { width, span, xBlock, xWeight, alongU, alongV, smoothU, smoothV, scale } = this;
    for (let row = 0, from = (this.pad - 1) * span, to = 0; row < this.rows + 2; row++, from += span) {
      for (let x = 0; x < width; x++, to++) {
        const at = from + xBlock[x]!;
        const f = xWeight[x]!;
        const u = smoothU[at]!;
        const v = smoothV[at]!;
        alongU[to] = scale * (u + f * (smoothU[at + 1]! - u));
        alongV[to] = scale * (v + f * (smoothV[at + 1]! - v));
      }
    }
  }
}

/**
 * Running window sums along two lines of both fields at once (four independent chains of
 * additions keep the CPU busier than one): for j in [from, to) and each line start
 * s = base, base + other,
 *   outU[s + j step] = inU[s + (j - r) step] + ... + inU[s + (j + r) step]
 * and the same for V. step 1 runs along grid rows, step = the row length down columns.
 */
function slide(
  inU: Float64Array,
  inV: Float64Array,
  outU: Float64Array,
  outV: Float64Array,
  base: number,
  other: number,
  step: number,
  from: number,
  to: number,
  r: number,
): void {
  let u = 0;
  let v = 0;
  let u2 = 0;
  let v2 = 0;
  for (let k = base + (from - r) * step, end = base + (from + r) * step; k <= end; k += step) {
    u += inU[k]!;
    v += inV[k]!;
    u2 += inU[k + other]!;
    v2 += inV[k + other]!;
  }
  let at = base + from * step;
  outU[at] = u;
  outV[at] = v;
  outU[at + other] = u2;
  outV[at + other] = v2;
  const entering = r * step;
  const leaving = (r + 1) * step;
  for (let j = from + 1; j < to; j++) {
    at += step;
    const enter = at + entering;
    const leave = at - leaving;
    u += inU[enter]! - inU[leave]!;
    v += inV[enter]! - inV[leave]!;
    u2 += inU[enter + other]! - inU[leave + other]!;
    v2 += inV[enter + other]! - inV[leave + other]!;
    outU[at] = u;
    outV[at] = v;
    outU[at + other] = u2;
    outV[at + other] = v2;
  }
}
