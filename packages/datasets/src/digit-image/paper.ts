import { median } from './otsu.js';
import type { RgbPlanes } from './pixels.js';

/**
 * The paper's colour at every pixel, estimated at a large scale: the picture is cut into
 * blockSize x blockSize blocks, each block's paper colour is the median of its pixels not marked
 * as ink, blocks that are (nearly) all ink borrow from their neighbours, a 3x3 median over blocks
 * drops blocks fooled by a thick stroke, and the grid is interpolated bilinearly. A light
 * gradient, a shadow or tinted paper become part of the paper instead of looking like ink.
 */
export function estimatePaper(planes: RgbPlanes, isInk: Uint8Array, blockSize: number): RgbPlanes {
  const { width, height } = planes;
  const cols = Math.ceil(width / blockSize);
  const rows = Math.ceil(height / blockSize);
  const grids = [planes.r, planes.g, planes.b].map(() => new Float32Array(cols * rows));
  const valid = new Uint8Array(cols * rows);
  const values: number[][] = [[], [], []];
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      for (const list of values) list.length = 0;
      let pixels = 0;
      for (let y = by * blockSize; y < Math.min(height, (by + 1) * blockSize); y++) {
        for (let x = bx * blockSize; x < Math.min(width, (bx + 1) * blockSize); x++) {
          pixels++;
          const i = y * width + x;
          if (isInk[i]) continue;
          values[0]!.push(planes.r[i]!);
          values[1]!.push(planes.g[i]!);
          values[2]!.push(planes.b[i]!);
        }
      }
      // A block with only a sliver of paper gives the colour of ink fringes, not of paper.
      if (values[0]!.length < Math.max(1, 0.1 * pixels)) continue;
      valid[by * cols + bx] = 1;
      grids.forEach((grid, c) => (grid[by * cols + bx] = median(values[c]!)));
    }
  }
  fillFromNeighbours(grids, valid, cols, rows, planes);
  const smooth = grids.map((grid) => medianOf3x3(grid, cols, rows));
  const [r, g, b] = smooth.map((grid) => interpolate(grid, cols, rows, blockSize, width, height)) as [Float32Array, Float32Array, Float32Array];
  return { width, height, r, g, b };
}

/** Blocks without a paper estimate take the mean of their estimated neighbours, ring by ring. */
function fillFromNeighbours(grids: Float32Array[], valid: Uint8Array, cols: number, rows: number, planes: RgbPlanes): void {
  if (!valid.some((v) => v === 1)) {
    // No block shows paper: the picture is all ink or all paper; its median colour is the best guess.
    const all = [planes.r, planes.g, planes.b].map((plane) => median(plane));
    grids.forEach((grid, c) => grid.fill(all[c]!));
    return;
  }
  let missing = valid.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);
  while (missing > 0) {
    const next = valid.slice();
    for (let by = 0; by < rows; by++) {
      for (let bx = 0; bx < cols; bx++) {
        const at = by * cols + bx;
        if (valid[at]) continue;
        const sums = [0, 0, 0];
        let n = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const x = bx + dx;
            const y = by + dy;
            if (x < 0 || y < 0 || x >= cols || y >= rows || !valid[y * cols + x]) continue;
            grids.forEach((grid, c) => (sums[c]! += grid[y * cols + x]!));
            n++;
          }
        }
        if (n === 0) continue;
        grids.forEach((grid, c) => (grid[at] = sums[c]! / n));
        next[at] = 1;
        missing--;
      }
    }
    valid.set(next);
  }
}

/** 3x3 median over blocks, edges repeated so a straight gradient survives at the borders. */
function medianOf3x3(grid: Float32Array, cols: number, rows: number): Float32Array {
  const out = new Float32Array(grid.length);
  const window: number[] = [];
  const clamp = (v: number, n: number): number => Math.min(n - 1, Math.max(0, v));
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      window.length = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) window.push(grid[clamp(y + dy, rows) * cols + clamp(x + dx, cols)]!);
      }
      out[y * cols + x] = median(window);
    }
  }
  return out;
}

/**
 * For each pixel coordinate along one axis: the two block centres around it and the weight of
 * the second. Beyond the outer centres the weights extrapolate, so a gradient goes on to the
 * picture's edge instead of flattening out half a block before it.
 */
function axisWeights(length: number, blocks: number, blockSize: number): { i0: Int32Array; i1: Int32Array; w: Float32Array } {
  const centres = Array.from({ length: blocks }, (_, k) => (k * blockSize + Math.min(length, (k + 1) * blockSize)) / 2);
  const i0 = new Int32Array(length);
  const i1 = new Int32Array(length);
  const w = new Float32Array(length);
  let k = 0;
  for (let p = 0; p < length; p++) {
    const at = p + 0.5;
    while (k < blocks - 2 && centres[k + 1]! <= at) k++;
    i0[p] = k;
    i1[p] = Math.min(k + 1, blocks - 1);
    const span = centres[i1[p]!]! - centres[k]!;
    w[p] = span > 0 ? (at - centres[k]!) / span : 0;
  }
  return { i0, i1, w };
}

function interpolate(grid: Float32Array, cols: number, rows: number, blockSize: number, width: number, height: number): Float32Array {
  const xs = axisWeights(width, cols, blockSize);
  const ys = axisWeights(height, rows, blockSize);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const top = ys.i0[y]! * cols;
    const bottom = ys.i1[y]! * cols;
    const wy = ys.w[y]!;
    for (let x = 0; x < width; x++) {
      const wx = xs.w[x]!;
      const upper = (1 - wx) * grid[top + xs.i0[x]!]! + wx * grid[top + xs.i1[x]!]!;
      const lower = (1 - wx) * grid[bottom + xs.i0[x]!]! + wx * grid[bottom + xs.i1[x]!]!;
      out[y * width + x] = (1 - wy) * upper + wy * lower;
    }
  }
  return out;
}

/**
 * How far each pixel's colour is from the paper under it: the largest difference over the three
 * channels, so blue ink on cream paper counts as much as black ink on white even where its
 * luminance differs little, and light-on-dark pictures need no special case.
 */
export function distanceFromPaper(planes: RgbPlanes, paper: RgbPlanes): Float32Array {
  const out = new Float32Array(planes.r.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.max(Math.abs(planes.r[i]! - paper.r[i]!), Math.abs(planes.g[i]! - paper.g[i]!), Math.abs(planes.b[i]! - paper.b[i]!));
  }
  return out;
}
