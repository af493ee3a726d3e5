import type { InkImage } from './ink.js';

interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly height: number;
}

/** The bounding box of the ink that reaches a fifth of the strongest ink; undefined when there is none. */
export function inkBox(image: InkImage): Box | undefined {
  let max = 0;
  for (const v of image.ink) max = Math.max(max, v);
  if (max < 0.05) return undefined;
  let x0 = image.width;
  let y0 = image.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.ink[y * image.width + x]! < 0.2 * max) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  return { x0, y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * Draws the ink inside `box` scaled by `scale` onto a rows x cols canvas with its top-left at
 * (offsetX, offsetY): area averaging when shrinking (anti-aliased, as MNIST's digits were),
 * bilinear sampling when enlarging.
 */
function render(image: InkImage, box: Box, scale: number, rows: number, cols: number, offsetX: number, offsetY: number): Float32Array {
  const out = new Float32Array(rows * cols);
  const at = (x: number, y: number): number =>
    x < 0 || y < 0 || x >= image.width || y >= image.height ? 0 : image.ink[y * image.width + x]!;
  if (scale < 1) {
    // Exact area averaging: each source pixel spreads its ink over the (at most 2x2) target
    // pixels its scaled square overlaps, by overlap area, so no ink is lost or doubled.
    const xs = overlaps(box.width, scale, offsetX, cols);
    const ys = overlaps(box.height, scale, offsetY, rows);
    for (let j = 0; j < box.height; j++) {
      for (let i = 0; i < box.width; i++) {
        const v = at(box.x0 + i, box.y0 + j);
        if (v === 0) continue;
        for (const [ty, wy] of ys[j]!) for (const [tx, wx] of xs[i]!) out[ty * cols + tx]! += v * wx * wy;
      }
    }
    return out.map((v) => Math.min(1, v));
  }
  for (let ty = 0; ty < rows; ty++) {
    for (let tx = 0; tx < cols; tx++) {
      const sx = box.x0 + (tx + 0.5 - offsetX) / scale - 0.5;
      const sy = box.y0 + (ty + 0.5 - offsetY) / scale - 0.5;
      const fx = Math.floor(sx);
      const fy = Math.floor(sy);
      const ax = sx - fx;
      const ay = sy - fy;
      out[ty * cols + tx] =
        (1 - ay) * ((1 - ax) * at(fx, fy) + ax * at(fx + 1, fy)) + ay * ((1 - ax) * at(fx, fy + 1) + ax * at(fx + 1, fy + 1));
    }
  }
  return out;
}

/** For each of `count` source pixels: the target pixels its scaled extent overlaps, with the overlap lengths. */
function overlaps(count: number, scale: number, offset: number, limit: number): [number, number][][] {
  return Array.from({ length: count }, (_, k) => {
    const from = offset + k * scale;
    const to = from + scale;
    const parts: [number, number][] = [];
    for (let t = Math.floor(from); t < to && t < limit; t++) {
      const length = Math.min(to, t + 1) - Math.max(from, t);
      if (t >= 0 && length > 0) parts.push([t, length]);
    }
    return parts;
  });
}

/** The centre of mass of a rows x cols image, in pixel units from its top-left corner. */
export function centreOfMass(pixels: ArrayLike<number>, rows: number, cols: number): { x: number; y: number; mass: number } {
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const v = pixels[y * cols + x]!;
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return mass === 0 ? { x: cols / 2, y: rows / 2, mass } : { x: mx / mass, y: my / mass, mass };
}

/**
 * Shifts content by whole pixels so its centre of mass sits on the centre of pixel (cols/2,
 * rows/2), the way MNIST digits are placed: their centres of mass average (14.5, 14.5) in these
 * edge-based coordinates, not (14, 14), and a digit half a pixel off is a different input.
 */
export function centreByMass(pixels: Float32Array, rows: number, cols: number): Float32Array {
  const com = centreOfMass(pixels, rows, cols);
  if (com.mass === 0) return pixels;
  const dx = Math.round(Math.floor(cols / 2) + 0.5 - com.x);
  const dy = Math.round(Math.floor(rows / 2) + 0.5 - com.y);
  const out = new Float32Array(rows * cols);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sy >= 0 && sx < cols && sy < rows) out[y * cols + x] = pixels[sy * cols + sx]!;
    }
  }
  return out;
}

/**
 * The ink cropped to its bounding box and fitted, aspect kept, inside a margin of a rows x cols
 * canvas; then centred by mass (MNIST) or left centred by its box.
 */
export function fitInk(image: InkImage, rows: number, cols: number, margin: number, byMass: boolean): Float32Array {
  const box = inkBox(image);
  if (box === undefined) return new Float32Array(rows * cols);
  const scale = Math.min((rows - 2 * margin) / box.height, (cols - 2 * margin) / box.width);
  const offsetX = (cols - box.width * scale) / 2;
  const offsetY = (rows - box.height * scale) / 2;
  const drawn = render(image, box, scale, rows, cols, offsetX, offsetY);
  return byMass ? centreByMass(drawn, rows, cols) : drawn;
}
