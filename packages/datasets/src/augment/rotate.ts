import { SPEC_VERSION, defineAugmentation } from '@scratchnet/spec';
import { checkBatch, imageLayout } from './image-planes.js';
import { createPaddedPlane, resampleAffine } from './resample.js';

export interface RotateOptions {
  /** Largest rotation in degrees, 0..180; default 10. */
  readonly maxDegrees?: number;
}

const DEFAULT_MAX_DEGREES = 10;

/**
 * Random rotation about the image centre (cx, cy) = ((w - 1) / 2, (h - 1) / 2). Per chosen
 * sample (in `which` order) it draws one angle θ = rng.uniform(-maxDegrees, maxDegrees) degrees;
 * a positive θ turns the picture counter-clockwise as displayed (rows run downwards). Each
 * output pixel takes the bilinear sample of the input at the inverse rotation of its position:
 *   sx = cx + cos θ (x - cx) - sin θ (y - cy)
 *   sy = cy + sin θ (x - cx) + cos θ (y - cy)
 * Points outside the frame read the fill (each channel's minimum). Every channel turns alike.
 * Samples: [C, H, W], [H, W] or a flat square [N] (see image-planes.ts).
 */
export const rotateAugmentation = defineAugmentation<RotateOptions>({
  kind: 'augmentation',
  type: 'rotate',
  specVersion: SPEC_VERSION,
  description: 'Rotates each image by a random angle about its centre (bilinear)',
  optionsSchema: {
    type: 'object',
    properties: {
      maxDegrees: {
        type: 'number',
        minimum: 0,
        maximum: 180,
        default: DEFAULT_MAX_DEGREES,
        description: 'Largest rotation; the angle is uniform in -maxDegrees..maxDegrees (positive: counter-clockwise).',
      },
    },
    additionalProperties: false,
  },
  create(options, context) {
    const maxDegrees = options.maxDegrees ?? DEFAULT_MAX_DEGREES;
    const layout = imageLayout('rotate', context.sampleShape);
    const padded = createPaddedPlane(layout);
    return {
      apply(images, sampleShape, which, rng) {
        checkBatch('rotate', layout, images, sampleShape, which);
        for (const index of which) {
          const degrees = rng.uniform(-maxDegrees, maxDegrees);
          if (degrees === 0) continue;
          const theta = (degrees * Math.PI) / 180;
          const cos = Math.cos(theta);
          const sin = Math.sin(theta);
          resampleAffine(images, index * layout.sampleSize, layout, padded, { a: cos, b: -sin, c: sin, d: cos });
        }
      },
    };
  },
});
