import { ConfigError, SPEC_VERSION, defineAugmentation } from '@scratchnet/spec';
import { checkBatch, imageLayout } from './image-planes.js';
import { createPaddedPlane, resampleAffine } from './resample.js';

export interface ScaleAugmentationOptions {
  /** Smallest zoom factor (> 0); default 0.9. */
  readonly min?: number;
  /** Largest zoom factor (> 0, >= min); default 1.1. */
  readonly max?: number;
}

const DEFAULTS = { min: 0.9, max: 1.1 } as const;

/**
 * Random zoom about the image centre (cx, cy) = ((w - 1) / 2, (h - 1) / 2), the same factor
 * along both axes. Per chosen sample (in `which` order) it draws z = rng.uniform(min, max);
 * z > 1 enlarges the picture, z < 1 shrinks it. Each output pixel takes the bilinear sample of
 * the input at
 *   sx = cx + (x - cx) / z,   sy = cy + (y - cy) / z
 * so the ink's total grows by about z² (its area). Points outside the frame read the fill (each
 * channel's minimum). Every channel zooms alike. The augmentation kind's id `scale` is separate
 * from the preprocess `scale` (ids are per kind). Samples: [C, H, W], [H, W] or a flat square [N].
 */
export const scaleAugmentation = defineAugmentation<ScaleAugmentationOptions>({
  kind: 'augmentation',
  type: 'scale',
  specVersion: SPEC_VERSION,
  description: 'Zooms each image in or out by a random factor about its centre (bilinear)',
  optionsSchema: {
    type: 'object',
    properties: {
      min: { type: 'number', exclusiveMinimum: 0, default: DEFAULTS.min, description: 'Smallest zoom factor (below 1 shrinks the picture).' },
      max: { type: 'number', exclusiveMinimum: 0, default: DEFAULTS.max, description: 'Largest zoom factor (above 1 enlarges the picture); at least min.' },
    },
    additionalProperties: false,
  },
  create(options, context) {
    const min = options.min ?? DEFAULTS.min;
    const max = options.max ?? DEFAULTS.max;
    // JSON Schema cannot compare two options, so this one is checked here. The path is relative
    // to this plugin's entry: only the caller knows which data.augment item that is.
    if (!(min <= max)) {
      throw new ConfigError([{ path: ['min'], plugin: 'scale', message: `must be <= max (${max}), got ${min}; lower min or raise max` }]);
    }
    const layout = imageLayout('scale', context.sampleShape);
    const padded = createPaddedPlane(layout);
    return {
      apply(images, sampleShape, which, rng) {
        checkBatch('scale', layout, images, sampleShape, which);
        for (const index of which) {
          const zoom = rng.uniform(min, max);
          if (zoom === 1) continue;
          const inverse = 1 / zoom;
          resampleAffine(images, index * layout.sampleSize, layout, padded, { a: inverse, b: 0, c: 0, d: inverse });
        }
      },
    };
  },
});
