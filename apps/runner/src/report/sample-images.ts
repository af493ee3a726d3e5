import type { GreyImage } from '@scratchnet/report';

/** How a flat run of values is drawn: `channels` planes of height x width, row-major. */
export interface ImageLayout {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

/**
 * The picture in a per-sample shape: [c, h, w] and [h, w] as they are; a flat [n] as a square
 * when n is one (784 -> 28x28, 64 -> 8x8, 1024 -> 32x32), since flattened digits are square;
 * anything else has no layout to draw.
 */
export function imageLayout(shape: readonly number[]): ImageLayout | undefined {
  const dims = shape.slice(Math.max(0, shape.findIndex((d) => d !== 1)));
  if (dims.length === 3) return { channels: dims[0]!, height: dims[1]!, width: dims[2]! };
  if (dims.length === 2) return { channels: 1, height: dims[0]!, width: dims[1]! };
  if (dims.length === 1) {
    const side = Math.round(Math.sqrt(dims[0]!));
    if (side > 1 && side * side === dims[0]) return { channels: 1, height: side, width: side };
  }
  return undefined;
}

/** Smallest and largest value (for a data set's pixel range); [0, 1] when there are none. */
export function valueRange(values: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [0, 1];
}

/**
 * Sample `index` of sample-major `images` as a grey image (its first channel when there are
 * several), drawn over `range` so every digit of the set is on the same scale.
 */
export function sampleImage(images: ArrayLike<number> & { slice(start: number, end: number): ArrayLike<number> }, layout: ImageLayout, index: number, range: readonly [number, number]): GreyImage {
  const size = layout.channels * layout.height * layout.width;
  const start = index * size;
  if (!Number.isInteger(index) || index < 0 || start + size > images.length) {
    throw new RangeError(`sampleImage: sample ${index} is outside the ${Math.floor(images.length / size)} samples`);
  }
  return { width: layout.width, height: layout.height, pixels: images.slice(start, start + layout.height * layout.width), range: [range[0], range[1]] };
}
