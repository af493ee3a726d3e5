/**
 * A decoded picture as it comes from a PNG or JPEG decoder or a canvas: 8-bit channels, row by
 * row. `channels` is 4 (RGBA, the default), 3 (RGB), 2 (grey + alpha) or 1 (grey).
 */
export interface PixelImage {
  readonly width: number;
  readonly height: number;
  readonly data: ArrayLike<number>;
  readonly channels?: 1 | 2 | 3 | 4;
}

/** Three planes of 0..255 colour values (transparency already composited over white). */
export interface RgbPlanes {
  readonly width: number;
  readonly height: number;
  readonly r: Float32Array;
  readonly g: Float32Array;
  readonly b: Float32Array;
}

/**
 * Colour planes of a picture. Transparency is composited over white because a drawing canvas
 * left transparent is blank paper, not black ink.
 */
export function toRgbPlanes(image: PixelImage): RgbPlanes {
  const { width, height, data } = image;
  const channels = image.channels ?? 4;
  const size = width * height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || data.length < size * channels) {
    throw new RangeError(`a ${width}x${height} picture of ${channels} channels needs ${size * channels} values, got ${data.length}`);
  }
  const r = new Float32Array(size);
  const g = new Float32Array(size);
  const b = new Float32Array(size);
  const grey = channels < 3;
  const hasAlpha = channels === 2 || channels === 4;
  for (let i = 0; i < size; i++) {
    const at = i * channels;
    const alpha = hasAlpha ? data[at + channels - 1]! / 255 : 1;
    const over = (255 * (1 - alpha));
    r[i] = alpha * data[at]! + over;
    g[i] = alpha * data[grey ? at : at + 1]! + over;
    b[i] = alpha * data[grey ? at : at + 2]! + over;
  }
  return { width, height, r, g, b };
}

/** Rec. 601 luma, the grey level a greyscale scan of the picture would have. */
export function luminance(planes: RgbPlanes): Float32Array {
  const out = new Float32Array(planes.r.length);
  for (let i = 0; i < out.length; i++) out[i] = 0.299 * planes.r[i]! + 0.587 * planes.g[i]! + 0.114 * planes.b[i]!;
  return out;
}

/**
 * Shrinks a plane by an integer factor, averaging each factor x factor block. Phone photos have
 * millions of pixels but end up as 28x28; working on a few hundred pixels a side keeps the
 * background estimation fast without losing the strokes.
 */
export function shrinkPlane(plane: Float32Array, width: number, height: number, factor: number): Float32Array {
  const w = Math.ceil(width / factor);
  const h = Math.ceil(height / factor);
  const sum = new Float32Array(w * h);
  const count = new Float32Array(w * h);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / factor) * w;
    for (let x = 0; x < width; x++) {
      const to = row + Math.floor(x / factor);
      sum[to]! += plane[y * width + x]!;
      count[to]! += 1;
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i]! /= count[i]!;
  return sum;
}

export function shrinkPlanes(planes: RgbPlanes, factor: number): RgbPlanes {
  if (factor <= 1) return planes;
  const { width, height } = planes;
  return {
    width: Math.ceil(width / factor),
    height: Math.ceil(height / factor),
    r: shrinkPlane(planes.r, width, height, factor),
    g: shrinkPlane(planes.g, width, height, factor),
    b: shrinkPlane(planes.b, width, height, factor),
  };
}

/** Mean over a (2 radius + 1)^2 window, clipped at the edges; separable, so O(pixels) per radius. */
export function boxBlur(plane: Float32Array, width: number, height: number, radius: number): Float32Array {
  if (radius < 1) return plane;
  const pass = (source: Float32Array, length: number, lines: number, step: number, lineStep: number): Float32Array => {
    const out = new Float32Array(source.length);
    for (let line = 0; line < lines; line++) {
      const base = line * lineStep;
      for (let i = 0; i < length; i++) {
        let sum = 0;
        const from = Math.max(0, i - radius);
        const to = Math.min(length - 1, i + radius);
        for (let k = from; k <= to; k++) sum += source[base + k * step]!;
        out[base + i * step] = sum / (to - from + 1);
      }
    }
    return out;
  };
  return pass(pass(plane, width, height, 1, width), height, width, width, 1);
}

export function blurPlanes(planes: RgbPlanes, radius: number): RgbPlanes {
  if (radius < 1) return planes;
  const { width, height } = planes;
  return {
    width,
    height,
    r: boxBlur(planes.r, width, height, radius),
    g: boxBlur(planes.g, width, height, radius),
    b: boxBlur(planes.b, width, height, radius),
  };
}
