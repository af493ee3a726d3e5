import { ConfigError } from '@scratchnet/spec';
import { formatShape, type Shape } from '@scratchnet/tensor';

/** The typed arrays an augmenter transforms: a batch of samples, sample-major. */
export type Pixels = Float32Array | Float64Array;

/**
 * How one sample's values split into image planes: `channels` planes of height x width,
 * row-major, one after the other (so plane c of sample b starts at b * sampleSize + c * planeSize).
 * Augmentations move every plane of a sample the same way.
 */
export interface ImageLayout {
  /** The per-sample shape this layout was read from. */
  readonly shape: Shape;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  /** height * width */
  readonly planeSize: number;
  /** channels * planeSize */
  readonly sampleSize: number;
}

const isSize = (d: number | undefined): d is number => d !== undefined && Number.isInteger(d) && d >= 1;

/**
 * The planes of a per-sample shape: [C, H, W] -> C planes of H x W; [H, W] -> one; a flat [N]
 * with N a perfect square -> one sqrt(N) x sqrt(N) plane (the shape after a `flatten` of square
 * digits). Anything else throws a ConfigError naming `plugin`; its path is relative to the
 * plugin's entry, which the caller knows and the plugin does not.
 */
export function imageLayout(plugin: string, sampleShape: Shape): ImageLayout {
  const planes = readPlanes(sampleShape);
  if (planes === undefined) {
    throw new ConfigError([
      {
        path: [],
        plugin,
        message:
          `needs image-shaped samples: [channels, height, width], [height, width] or a flat [n] with n a perfect square, ` +
          `but the training samples it gets have shape ${formatShape(sampleShape)}. ` +
          'Remove the augmentation, or the preprocess step that gives that shape.',
      },
    ]);
  }
  const [channels, height, width] = planes;
  const planeSize = height * width;
  return { shape: [...sampleShape], channels, height, width, planeSize, sampleSize: channels * planeSize };
}

function readPlanes(shape: Shape): readonly [number, number, number] | undefined {
  if (!shape.every(isSize)) return undefined;
  if (shape.length === 3) return [shape[0]!, shape[1]!, shape[2]!];
  if (shape.length === 2) return [1, shape[0]!, shape[1]!];
  if (shape.length === 1) {
    const side = Math.round(Math.sqrt(shape[0]!));
    return side * side === shape[0] ? [1, side, side] : undefined;
  }
  return undefined;
}

/**
 * Checks what apply() was given against the layout from create(): the same per-sample shape, a
 * whole number of samples, and `which` holding batch indexes. These are the training loop's
 * contract, so a breach is a TypeError/RangeError (a bug), not a config error.
 */
export function checkBatch(plugin: string, layout: ImageLayout, images: Pixels, sampleShape: Shape, which: readonly number[]): void {
  const { shape } = layout;
  if (sampleShape.length !== shape.length || sampleShape.some((d, i) => d !== shape[i])) {
    throw new TypeError(`${plugin}: created for samples of shape ${formatShape(shape)}, applied to ${formatShape(sampleShape)}; create it again for the new shape.`);
  }
  const count = images.length / layout.sampleSize;
  if (!Number.isInteger(count)) {
    throw new RangeError(`${plugin}: ${images.length} values are not a whole number of ${formatShape(shape)} samples (${layout.sampleSize} values each).`);
  }
  for (const index of which) {
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new RangeError(`${plugin}: which holds ${index}, not an index into this batch of ${count} samples.`);
    }
  }
}

/**
 * Copies `size` values from images[offset..] into `into` (so the transform can write over the
 * original in place) and returns their minimum: the plane's background, which fills pixels the
 * transform brings in from outside the frame. Ink is high in every data set we read, and after
 * `standardise` the background is negative, so 0 would draw a visible frame.
 */
export function copyPlane(images: Pixels, offset: number, size: number, into: Float64Array): number {
  let minimum = Infinity;
  for (let i = 0; i < size; i++) {
    const value = images[offset + i]!;
    into[i] = value;
    if (value < minimum) minimum = value;
  }
  return minimum;
}
