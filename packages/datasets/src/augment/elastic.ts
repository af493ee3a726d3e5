import { SPEC_VERSION, defineAugmentation } from '@scratchnet/spec';
import { checkBatch, imageLayout } from './image-planes.js';
import { ElasticField } from './elastic-field.js';
import { createPaddedPlane } from './resample.js';

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
 * networks applied to visual document analysis"): each chosen sample is resampled bilinearly at
 *   sx = x + alpha (G * u)(x, y),   sy = y + alpha (G * v)(x, y)
 * where u and v are fields of independent uniform(-1, 1) values and G a normalised Gaussian of
 * std sigma; the fields are zero-padded at the frame edges (zero is their mean, so padding adds
 * no bias, while clamping would repeat the edge values and give border pixels larger, correlated
 * moves). Points outside the frame read the fill (each channel's minimum); every channel moves
 * alike. Samples: [C, H, W], [H, W] or a flat square [N] (see image-planes.ts).
 *
 * Computed the fast way (see ElasticField): G is three successive box filters (Wells 1986), run
 * as running sums, and the smoothed field, which has no detail finer than sigma, is drawn on a
 * grid coarser by `fieldStride(sigma)` (2 pixels at the MNIST default sigma 4) and interpolated
 * back. The field's spread, its correlation between neighbours and its gradients stay within a
 * few per cent of the exact Gaussian's, in the middle of the frame and at its edges (tested),
 * for a fraction of the work: at 28x28, 98 draws instead of 1,568 and about 8,000 additions
 * instead of about 40,000 multiply-adds.
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
    const { width, height, sampleSize } = layout;
    const defaults = elasticDefaults(height, width);
    const sigma = options.sigma ?? defaults.sigma;
    const alpha = options.alpha ?? defaults.alpha;
    const field = new ElasticField(width, height, sigma, alpha);
    const padded = createPaddedPlane(layout);
    return {
      apply(images, sampleShape, which, rng) {
        checkBatch('elastic', layout, images, sampleShape, which);
        for (const index of which) {
          // The field is drawn even when alpha is 0, so the draws depend on `which` alone.
          field.draw(rng);
          if (alpha !== 0) field.warp(images, index * sampleSize, layout, padded);
        }
      },
    };
  },
});
