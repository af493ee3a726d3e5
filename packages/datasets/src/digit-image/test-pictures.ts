import type { Rng } from '@scratchnet/tensor';
import type { PixelImage } from './pixels.js';

/** Test-only: synthetic RGBA pictures with a rectangle or chosen pixels of ink. */
export interface PictureOptions {
  readonly width: number;
  readonly height: number;
  /** Paper colour at (x, y). */
  readonly paper: (x: number, y: number) => readonly [number, number, number];
  readonly ink: readonly [number, number, number];
  readonly isInk: (x: number, y: number) => boolean;
  /** Gaussian noise added to every channel. */
  readonly noise?: { readonly rng: Rng; readonly std: number };
  /** Ink pixels are opaque, paper pixels fully transparent (a canvas). */
  readonly transparentPaper?: boolean;
}

export function picture(options: PictureOptions): PixelImage {
  const { width, height } = options;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const ink = options.isInk(x, y);
      const colour = ink ? options.ink : options.paper(x, y);
      const at = 4 * (y * width + x);
      for (let c = 0; c < 3; c++) data[at + c] = Math.round(colour[c]! + (options.noise ? options.noise.rng.normal(0, options.noise.std) : 0));
      data[at + 3] = options.transparentPaper && !ink ? 0 : 255;
    }
  }
  return { width, height, data };
}

export const rectangle =
  (x0: number, y0: number, x1: number, y1: number) =>
  (x: number, y: number): boolean =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1;

export const plain =
  (value: readonly [number, number, number]) =>
  (): readonly [number, number, number] =>
    value;

export const WHITE = [255, 255, 255] as const;
export const BLACK = [0, 0, 0] as const;
