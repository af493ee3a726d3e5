import { base64 } from './base64.js';
import { encodePng } from './png.js';
import type { GreyImage } from './report-data.js';

/** The image's pixels mapped to 0..255 from its `range` (default: its own minimum and maximum). */
export function greyBytes(image: GreyImage): Uint8Array {
  const { pixels } = image;
  let [low, high] = image.range ?? [Infinity, -Infinity];
  if (image.range === undefined) {
    for (let i = 0; i < pixels.length; i++) {
      const value = pixels[i]!;
      if (value < low) low = value;
      if (value > high) high = value;
    }
  }
  const out = new Uint8Array(pixels.length);
  // A flat image (all weights equal, a blank digit) has no contrast to stretch: draw it black.
  if (!(high > low)) return out;
  const scale = 255 / (high - low);
  for (let i = 0; i < pixels.length; i++) {
    const value = (pixels[i]! - low) * scale;
    out[i] = value > 0 ? (value < 255 ? Math.round(value) : 255) : 0;
  }
  return out;
}

/** The image as a `data:image/png;base64,...` URL, so a page carries it inline. */
export function imageDataUrl(image: GreyImage): string {
  return `data:image/png;base64,${base64(encodePng(image.width, image.height, greyBytes(image)))}`;
}
