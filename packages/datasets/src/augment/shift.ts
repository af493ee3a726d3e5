import { SPEC_VERSION, defineAugmentation } from '@scratchnet/spec';
import { checkBatch, copyPlane, imageLayout, type Pixels } from './image-planes.js';

export interface ShiftOptions {
  /** Largest move in pixels along each axis (integer >= 0); default 2. */
  readonly maxPixels?: number;
}

const DEFAULT_MAX_PIXELS = 2;

/**
 * Random translation by whole pixels. Per chosen sample (in `which` order) it draws
 *   dx = rng.int(2m + 1) - m,  then  dy = rng.int(2m + 1) - m,   m = maxPixels
 * and moves the picture: out(x, y) = in(x - dx, y - dy), or the fill where (x - dx, y - dy)
 * falls outside the frame. Every channel moves alike; each channel's fill is its own minimum
 * (the background). Whole pixels need no interpolation, so the values are copied, not blurred.
 * Samples: [C, H, W], [H, W] or a flat square [N] (see image-planes.ts).
 */
export const shiftAugmentation = defineAugmentation<ShiftOptions>({
  kind: 'augmentation',
  type: 'shift',
  specVersion: SPEC_VERSION,
  description: 'Moves each image by a random whole number of pixels along x and y',
  optionsSchema: {
    type: 'object',
    properties: {
      maxPixels: {
        type: 'integer',
        minimum: 0,
        default: DEFAULT_MAX_PIXELS,
        description: 'Largest move along each axis; dx and dy are drawn independently from -maxPixels..maxPixels.',
      },
    },
    additionalProperties: false,
  },
  create(options, context) {
    const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
    const layout = imageLayout('shift', context.sampleShape);
    const { channels, width, height, planeSize, sampleSize } = layout;
    const span = 2 * maxPixels + 1;
    const plane = new Float64Array(planeSize);
    return {
      apply(images, sampleShape, which, rng) {
        checkBatch('shift', layout, images, sampleShape, which);
        for (const index of which) {
          const dx = rng.int(span) - maxPixels;
          const dy = rng.int(span) - maxPixels;
          if (dx === 0 && dy === 0) continue;
          for (let c = 0, start = index * sampleSize; c < channels; c++, start += planeSize) {
            const fill = copyPlane(images, start, planeSize, plane);
            shiftPlane(plane, width, height, dx, dy, fill, images, start);
          }
        }
      },
    };
  },
});

/** out(x, y) = source(x - dx, y - dy) inside the frame, else fill; written to target[offset..]. */
function shiftPlane(source: Float64Array, width: number, height: number, dx: number, dy: number, fill: number, target: Pixels, offset: number): void {
  // Columns whose source column x - dx lies inside: [xFrom, xTo).
  const xFrom = Math.min(width, Math.max(0, dx));
  const xTo = Math.max(xFrom, Math.min(width, width + dx));
  for (let y = 0; y < height; y++) {
    const row = offset + y * width;
    const sourceY = y - dy;
    if (sourceY < 0 || sourceY >= height) {
      target.fill(fill, row, row + width);
      continue;
    }
    const from = sourceY * width - dx;
    for (let x = 0; x < xFrom; x++) target[row + x] = fill;
    for (let x = xFrom; x < xTo; x++) target[row + x] = source[from + x]!;
    for (let x = xTo; x < width; x++) target[row + x] = fill;
  }
}
