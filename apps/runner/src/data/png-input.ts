import { DataFormatError } from '@scratchnet/spec';
import { shapeSize } from '@scratchnet/tensor';
import pngjs from 'pngjs';
import type { InputFormat } from '../run-dir/model-files.js';

/** A decoded picture as ink coverage: 0 background, 1 full ink. */
export interface InkImage {
  readonly width: number;
  readonly height: number;
  readonly ink: Float32Array;
}

/**
 * Decodes a PNG (any colour type; transparency composited over white) and finds which way round
 * the ink is: the border is taken as background, so dark-on-light and light-on-dark both work.
 */
export function decodePngInk(bytes: Uint8Array, file: string): InkImage {
  let png: { width: number; height: number; data: Uint8Array };
  try {
    png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new DataFormatError({ file }, 'a PNG image', `bytes that do not decode as PNG (${(error as Error).message})`);
  }
  const { width, height, data } = png;
  const grey = new Float32Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    const alpha = data[4 * i + 3]! / 255;
    const luminance = (0.299 * data[4 * i]! + 0.587 * data[4 * i + 1]! + 0.114 * data[4 * i + 2]!) / 255;
    grey[i] = alpha * luminance + (1 - alpha);
  }
  let border = 0;
  let borderCount = 0;
  for (let x = 0; x < width; x++) {
    border += grey[x]! + grey[(height - 1) * width + x]!;
    borderCount += 2;
  }
  for (let y = 0; y < height; y++) {
    border += grey[y * width]! + grey[y * width + width - 1]!;
    borderCount += 2;
  }
  const lightBackground = border / borderCount > 0.5;
  const ink = grey.map((v) => (lightBackground ? 1 - v : v));
  return { width, height, ink };
}

interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly height: number;
}

function inkBox(image: InkImage): Box | undefined {
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
 * Draws the ink inside `box` scaled by `scale` onto a `side`x`side` canvas with its top-left at
 * (offsetX, offsetY): area averaging when shrinking, bilinear sampling when enlarging.
 */
function render(image: InkImage, box: Box, scale: number, rows: number, cols: number, offsetX: number, offsetY: number): Float32Array {
  const out = new Float32Array(rows * cols);
  const at = (x: number, y: number): number =>
    x < 0 || y < 0 || x >= image.width || y >= image.height ? 0 : image.ink[y * image.width + x]!;
  if (scale < 1) {
    for (let y = box.y0; y < box.y0 + box.height; y++) {
      for (let x = box.x0; x < box.x0 + box.width; x++) {
        const tx = Math.floor(offsetX + (x - box.x0 + 0.5) * scale);
        const ty = Math.floor(offsetY + (y - box.y0 + 0.5) * scale);
        if (tx >= 0 && ty >= 0 && tx < cols && ty < rows) out[ty * cols + tx]! += at(x, y) * scale * scale;
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

/** Shifts content so its centre of mass sits at the canvas centre (how MNIST digits are placed). */
function centreByMass(pixels: Float32Array, rows: number, cols: number): Float32Array {
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
  if (mass === 0) return pixels;
  const dx = Math.round(cols / 2 - mx / mass);
  const dy = Math.round(rows / 2 - my / mass);
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

/** Rows and columns of a per-sample shape: the last two dimensions, or a square for a flat one. */
export function imageSize(sampleShape: readonly number[]): { rows: number; cols: number } {
  if (sampleShape.length >= 2) return { rows: sampleShape.at(-2)!, cols: sampleShape.at(-1)! };
  const side = Math.round(Math.sqrt(shapeSize(sampleShape)));
  return { rows: side, cols: shapeSize(sampleShape) / side };
}

/** The digit fitted into a box (aspect kept), either centred by mass in a margin (MNIST) or by its box. */
function fitted(image: InkImage, rows: number, cols: number, margin: number, byMass: boolean): Float32Array {
  const box = inkBox(image);
  if (box === undefined) return new Float32Array(rows * cols);
  const scale = Math.min((rows - 2 * margin) / box.height, (cols - 2 * margin) / box.width);
  const offsetX = (cols - box.width * scale) / 2;
  const offsetY = (rows - box.height * scale) / 2;
  const drawn = render(image, box, scale, rows, cols, offsetX, offsetY);
  return byMass ? centreByMass(drawn, rows, cols) : drawn;
}

/**
 * A picture turned into one raw sample of the model's training data, prepared the way each
 * data set was: MNIST digits fill a 20x20 box centred by mass in 28x28 grey levels; the 8x8
 * sklearn digits are 4x4 ink counts (0..16) of a 32x32 bitmap; binary data (txt32) is a
 * thresholded bitmap filling the frame; other data fills the frame in the training value range.
 */
export function pngToSample(image: InkImage, input: InputFormat): Float32Array {
  const { rows, cols } = imageSize(input.sampleShape);
  const range = input.max - input.min;
  let pixels: Float32Array;
  if (input.dataset === 'sklearn-digits-json' || (rows === 8 && cols === 8 && input.max === 16)) {
    const bitmap = fitted(image, rows * 4, cols * 4, 0, false);
    pixels = new Float32Array(rows * cols);
    for (let y = 0; y < rows * 4; y++) {
      for (let x = 0; x < cols * 4; x++) if (bitmap[y * cols * 4 + x]! >= 0.5) pixels[(y >> 2) * cols + (x >> 2)]! += 1 / 16;
    }
  } else if (input.dataset === 'mnist' || input.dataset === 'idx') {
    pixels = fitted(image, rows, cols, Math.round((rows * 4) / 28), true);
  } else {
    pixels = fitted(image, rows, cols, 0, false);
  }
  const sample = new Float32Array(shapeSize(input.sampleShape));
  for (let i = 0; i < sample.length; i++) {
    const ink = pixels[i] ?? 0;
    sample[i] = input.binary ? (ink >= 0.5 ? input.max : input.min) : input.min + ink * range;
  }
  return sample;
}
