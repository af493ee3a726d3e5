import type { Rng } from '@scratchnet/tensor';

/** How a 28x28 MNIST digit is turned into a phone-style picture. */
export interface PhotoStyle {
  readonly width: number;
  readonly height: number;
  /** Paper colour at the top-left and bottom-right corners (a linear gradient between them). */
  readonly paper: readonly [readonly [number, number, number], readonly [number, number, number]];
  readonly ink: readonly [number, number, number];
  /** Gaussian noise (per channel) and paper texture (blotches) strength, in grey levels. */
  readonly noise?: number;
  /** > 0 dilates (thick pen) by that many MNIST pixels; < 0 keeps only the stroke cores (thin pen). */
  readonly stroke?: number;
  /** Where the digit's 28x28 box goes and how big it is, as fractions of the picture. */
  readonly box?: { readonly x: number; readonly y: number; readonly size: number };
}

/** Max over a 3x3 neighbourhood of a 28x28 grey digit in 0..1 (dilation). */
function morph(digit: Float32Array): Float32Array {
  return digit.map((_, i) => {
    const x = i % 28;
    const y = (i - x) / 28;
    let v = digit[i]!;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        const n = nx < 0 || ny < 0 || nx >= 28 || ny >= 28 ? 0 : digit[ny * 28 + nx]!;
        v = Math.max(v, n);
      }
    }
    return v;
  });
}

/** Bilinear sample of a 28x28 image at fractional pixel coordinates (0 outside). */
function sample(digit: Float32Array, x: number, y: number): number {
  const fx = Math.floor(x - 0.5);
  const fy = Math.floor(y - 0.5);
  const ax = x - 0.5 - fx;
  const ay = y - 0.5 - fy;
  const at = (px: number, py: number): number => (px < 0 || py < 0 || px >= 28 || py >= 28 ? 0 : digit[py * 28 + px]!);
  return (1 - ay) * ((1 - ax) * at(fx, fy) + ax * at(fx + 1, fy)) + ay * ((1 - ax) * at(fx, fy + 1) + ax * at(fx + 1, fy + 1));
}

/**
 * Renders an MNIST digit (784 grey values in 0..1) as an RGBA "photo": upscaled smoothly onto a
 * paper gradient with the given ink colour, optionally thickened or thinned, with sensor noise and
 * a low-frequency paper texture, all drawn from `rng`.
 */
export function renderPhoto(digit: Float32Array, style: PhotoStyle, rng: Rng): Uint8Array {
  let strokes = digit;
  for (let k = 0; k < (style.stroke ?? 0); k++) strokes = morph(strokes);
  // Eroding MNIST's 2-3 pixel strokes would erase them; a high threshold keeps a thin core instead.
  if ((style.stroke ?? 0) < 0) strokes = strokes.map((v) => Math.max(0, (v - 0.6) / 0.4));
  const { width, height } = style;
  const box = style.box ?? { x: 0.5, y: 0.5, size: 1 };
  const side = box.size * Math.min(width, height);
  const left = box.x * width - side / 2;
  const top = box.y * height - side / 2;
  const noise = style.noise ?? 0;
  // Paper texture: a coarse random grid, interpolated, so it varies slowly like fibres and shading.
  const grid = Array.from({ length: 8 * 8 }, () => rng.normal(0, noise / 2));
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x / width + y / height) / 2;
      const texture = grid[Math.min(7, Math.floor((y / height) * 8)) * 8 + Math.min(7, Math.floor((x / width) * 8))]!;
      const ink = Math.min(1, Math.max(0, sample(strokes, ((x + 0.5 - left) / side) * 28, ((y + 0.5 - top) / side) * 28)));
      for (let c = 0; c < 3; c++) {
        const paper = (1 - t) * style.paper[0][c]! + t * style.paper[1][c]! + texture;
        const value = (1 - ink) * paper + ink * style.ink[c]! + (noise > 0 ? rng.normal(0, noise) : 0);
        data[4 * (y * width + x) + c] = Math.min(255, Math.max(0, Math.round(value)));
      }
      data[4 * (y * width + x) + 3] = 255;
    }
  }
  return data;
}
