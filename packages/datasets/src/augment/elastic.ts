import { SPEC_VERSION, defineAugmentation } from '@scratchnet/spec';
import type { Rng } from '@scratchnet/tensor';
import { checkBatch, imageLayout } from './image-planes.js';
import { createResampleWork, resampleSample } from './resample.js';

export interface ElasticOptions {
  /** Std in pixels of the Gaussian that smooths the displacement field (> 0); default 4 * side / 28. */
  readonly sigma?: number;
  /** Strength: the smoothed field is multiplied by it (>= 0); default 34 * side / 28. */
  readonly alpha?: number;
}

/** Simard et al.'s settings for 28x28 MNIST, scaled to other sizes through `side / 28`. */
const MNIST_SIDE = 28;
const MNIST_SIGMA = 4;
const MNIST_ALPHA = 34;

/**
 * The sigma and alpha used when the options leave them out: 4 and 34 (Simard et al.'s MNIST
 * values) times side / 28, side = max(height, width), so the field's smoothness keeps the same
 * proportion to the picture (8x8: sigma 1.14, alpha 9.71; 32x32: 4.57, 38.9). The smoothed
 * field's amplitude goes as alpha / sigma, which this keeps at 34 / 4: displacements stay about
 * 1.4 pixels whatever the size.
 */
export function elasticDefaults(height: number, width: number): { readonly sigma: number; readonly alpha: number } {
  const ratio = Math.max(height, width) / MNIST_SIDE;
  return { sigma: MNIST_SIGMA * ratio, alpha: MNIST_ALPHA * ratio };
}

/**
 * Elastic distortion (Simard, Steinkraus & Platt 2003, "Best practices for convolutional neural
 * networks applied to visual document analysis"). Per chosen sample (in `which` order) it draws
 * a field u(x, y) ~ uniform(-1, 1), one value per pixel in row-major order, then a second field
 * v the same way, and resamples bilinearly at
 *   sx = x + alpha (G * u)(x, y),   sy = y + alpha (G * v)(x, y)
 * where G is a normalised Gaussian of std sigma, applied as two 1-D passes (rows, then columns)
 * with radius ceil(3 sigma) (at most side - 1: further taps never reach a pixel). The field is
 * zero-padded at the frame edges: zero is its mean, so padding adds no bias, while clamping
 * would repeat the edge values up to radius times and give border pixels larger, correlated
 * moves. Points outside the frame read the fill (each channel's minimum). Every channel
 * moves alike. Samples: [C, H, W], [H, W] or a flat square [N] (see image-planes.ts).
 */
export const elasticAugmentation = defineAugmentation<ElasticOptions>({
  kind: 'augmentation',
  type: 'elastic',
  specVersion: SPEC_VERSION,
  description: 'Elastic distortion (Simard et al. 2003): a random smooth displacement field per image',
  optionsSchema: {
    type: 'object',
    properties: {
      sigma: {
        type: 'number',
        exclusiveMinimum: 0,
        description: 'Std in pixels of the Gaussian smoothing the displacement field; default 4 * max(height, width) / 28 (4 for 28x28).',
      },
      alpha: {
        type: 'number',
        minimum: 0,
        description: 'Scale of the smoothed field (0 leaves images unchanged); default 34 * max(height, width) / 28 (34 for 28x28).',
      },
    },
    additionalProperties: false,
  },
  create(options, context) {
    const layout = imageLayout('elastic', context.sampleShape);
    const { width, height, planeSize, sampleSize } = layout;
    const defaults = elasticDefaults(height, width);
    const sigma = options.sigma ?? defaults.sigma;
    const alpha = options.alpha ?? defaults.alpha;
    const kernel = gaussianKernel(sigma, Math.max(height, width) - 1);
    const work = createResampleWork(layout);
    const field = new Float64Array(planeSize);
    const rows = new Float64Array(planeSize);
    return {
      apply(images, sampleShape, which, rng) {
        checkBatch('elastic', layout, images, sampleShape, which);
        const { sx, sy } = work.grid;
        for (const index of which) {
          // Both fields are drawn even when alpha is 0, so the draws depend on `which` alone.
          smoothRandomField(rng, field, rows, kernel, width, height);
          for (let y = 0, i = 0; y < height; y++) for (let x = 0; x < width; x++, i++) sx[i] = x + alpha * field[i]!;
          smoothRandomField(rng, field, rows, kernel, width, height);
          for (let y = 0, i = 0; y < height; y++) for (let x = 0; x < width; x++, i++) sy[i] = y + alpha * field[i]!;
          if (alpha === 0) continue;
          resampleSample(images, index * sampleSize, layout, work);
        }
      },
    };
  },
});

/**
 * Taps k(-r..r) of exp(-j² / (2 sigma²)), r = min(ceil(3 sigma), maxRadius), normalised to sum
 * 1 so a constant field stays constant. The centre tap is set to 1 directly: for a tiny sigma,
 * 0 / (2 sigma²) could be 0 / 0.
 */
export function gaussianKernel(sigma: number, maxRadius: number): Float64Array {
  const radius = Math.max(0, Math.min(Math.ceil(3 * sigma), maxRadius));
  const kernel = new Float64Array(2 * radius + 1);
  const denominator = 2 * sigma * sigma;
  let sum = 0;
  for (let j = -radius; j <= radius; j++) {
    const weight = j === 0 ? 1 : Math.exp(-(j * j) / denominator);
    kernel[j + radius] = weight;
    sum += weight;
  }
  for (let j = 0; j < kernel.length; j++) kernel[j] = kernel[j]! / sum;
  return kernel;
}

/**
 * Draws `field` ~ uniform(-1, 1) (width * height values, row-major) and smooths it in place by
 * the separable kernel with zero padding: along rows into `rows`, then along columns back. The
 * kernel is symmetric, so taps +j and -j share one multiply, and each tap runs over a whole
 * row at once (contiguous loops): together about twice as fast as a dot product per pixel.
 */
function smoothRandomField(rng: Rng, field: Float64Array, rows: Float64Array, kernel: Float64Array, width: number, height: number): void {
  const size = width * height;
  for (let i = 0; i < size; i++) field[i] = rng.uniform(-1, 1);
  const radius = (kernel.length - 1) / 2;
  const centre = kernel[radius]!;
  for (let row = 0; row < size; row += width) {
    for (let x = 0; x < width; x++) rows[row + x] = centre * field[row + x]!;
    for (let j = 1; j <= radius; j++) {
      const k = kernel[radius + j]!;
      // x - j is outside for x < j, x + j for x >= width - j; zero padding drops those terms.
      const bothFrom = j;
      const bothTo = width - j;
      for (let x = 0, end = Math.min(bothFrom, bothTo); x < end; x++) rows[row + x] = rows[row + x]! + k * field[row + x + j]!;
      for (let x = bothFrom; x < bothTo; x++) rows[row + x] = rows[row + x]! + k * (field[row + x + j]! + field[row + x - j]!);
      for (let x = Math.max(bothFrom, bothTo); x < width; x++) rows[row + x] = rows[row + x]! + k * field[row + x - j]!;
    }
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) field[row + x] = centre * rows[row + x]!;
    for (let j = 1; j <= radius; j++) {
      const k = kernel[radius + j]!;
      const above = (y - j) * width;
      const below = (y + j) * width;
      if (y - j >= 0 && y + j < height) {
        for (let x = 0; x < width; x++) field[row + x] = field[row + x]! + k * (rows[above + x]! + rows[below + x]!);
      } else if (y - j >= 0) {
        for (let x = 0; x < width; x++) field[row + x] = field[row + x]! + k * rows[above + x]!;
      } else if (y + j < height) {
        for (let x = 0; x < width; x++) field[row + x] = field[row + x]! + k * rows[below + x]!;
      }
    }
  }
}
